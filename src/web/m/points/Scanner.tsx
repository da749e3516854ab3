import { Button } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** What a voucher's QR code holds: its 12-digit code (ShopPage draws it). */
export const VOUCHER_CODE = /^\d{12}$/;

/** The browser's own QR reader (Chrome on Android, Safari 17+), where there is one. */
interface NativeDetector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
interface NativeDetectorClass {
  new (o: { formats: string[] }): NativeDetector;
  getSupportedFormats?: () => Promise<string[]>;
}

type Reader = (video: HTMLVideoElement) => Promise<string | null>;

/** The native BarcodeDetector when it reads QR codes, else jsQR on a canvas (loaded on first use). */
async function makeReader(): Promise<Reader> {
  const Native = (window as unknown as { BarcodeDetector?: NativeDetectorClass }).BarcodeDetector;
  if (Native) {
    try {
      const formats = (await Native.getSupportedFormats?.()) ?? ['qr_code'];
      if (formats.includes('qr_code')) {
        const d = new Native({ formats: ['qr_code'] });
        return async (video) => (await d.detect(video))[0]?.rawValue ?? null;
      }
    } catch {
      // Fall back to jsQR below.
    }
  }
  const jsQR = (await import('jsqr')).default;
  const canvas = document.createElement('canvas');
  const g = canvas.getContext('2d', { willReadFrequently: true });
  return async (video) => {
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (!g || !w || !h) return null;
    // A smaller frame reads as well and keeps slow phones responsive.
    const scale = Math.min(1, 640 / Math.max(w, h));
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    g.drawImage(video, 0, 0, canvas.width, canvas.height);
    const img = g.getImageData(0, 0, canvas.width, canvas.height);
    return jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
  };
}

type CameraProblem = 'cameraDenied' | 'cameraNone' | 'cameraBusy' | 'cameraInsecure' | 'cameraFailed';

function problemOf(e: unknown): CameraProblem {
  const name = (e as { name?: string })?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError')
    return 'cameraDenied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError')
    return 'cameraNone';
  if (name === 'NotReadableError' || name === 'TrackStartError') return 'cameraBusy';
  return 'cameraFailed';
}

const voucherCode = (raw: string) => {
  const code = raw.replace(/\s+/g, '');
  return VOUCHER_CODE.test(code) ? code : null;
};

/**
 * 扫码: the rear camera, full screen, reading until it sees a code that `accept` takes (by
 * default a voucher's), which it hands to `onCode` and closes. Nothing is fetched from the
 * network. A refused or missing camera is said in words; typing the code stays available behind it.
 */
export function Scanner({
  onCode,
  onClose,
  accept = voucherCode,
  title,
  hint,
  wrongText,
  typeText,
}: {
  onCode: (code: string) => void;
  onClose: () => void;
  /** The code a scanned text holds, or null when it is not one of ours. */
  accept?: (raw: string) => string | null;
  title?: string;
  hint?: string;
  wrongText?: string;
  typeText?: string;
}) {
  const { t } = useTranslation();
  const take = useRef(accept);
  take.current = accept;
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<CameraProblem | null>(null);
  const [starting, setStarting] = useState(true);
  const [wrong, setWrong] = useState(false);
  const done = useRef(onCode);
  done.current = onCode;

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    const stop = () => {
      stopped = true;
      window.clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
    (async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        setProblem(window.isSecureContext ? 'cameraNone' : 'cameraInsecure');
        setStarting(false);
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: { ideal: 'environment' } },
          audio: false,
        });
      } catch (e) {
        if (!stopped) setProblem(problemOf(e));
        setStarting(false);
        return;
      }
      if (stopped) return stop();
      const v = video.current;
      if (!v) return stop();
      v.srcObject = stream;
      try {
        await v.play();
      } catch {
        // Autoplay of a muted inline video is allowed; a refusal here still shows frames once tapped.
      }
      setStarting(false);
      const read = await makeReader();
      const tick = async () => {
        if (stopped) return;
        let value: string | null = null;
        try {
          value = v.readyState >= 2 ? await read(v) : null;
        } catch {
          value = null;
        }
        if (stopped) return;
        const code = value ? take.current(value) : null;
        if (code) {
          stop();
          done.current(code);
          return;
        }
        if (value) setWrong(true);
        timer = window.setTimeout(tick, 150);
      };
      tick();
    })();
    return stop;
  }, []);

  useEffect(() => {
    if (!wrong) return;
    const h = window.setTimeout(() => setWrong(false), 2000);
    return () => window.clearTimeout(h);
  }, [wrong]);

  return (
    <div
      role="dialog"
      aria-modal="true"
      aria-label={title ?? t('merchants.scanTitle')}
      data-testid="m-scanner"
      style={{
        position: 'fixed',
        inset: 0,
        zIndex: 1000,
        background: '#000',
        display: 'flex',
        flexDirection: 'column',
        color: '#fff',
      }}
    >
      <div style={{ padding: '16px 16px 8px', fontSize: 19, textAlign: 'center' }}>
        {title ?? t('merchants.scanTitle')}
      </div>
      <div style={{ position: 'relative', flex: 1, overflow: 'hidden' }}>
        <video
          ref={video}
          muted
          playsInline
          autoPlay
          style={{ width: '100%', height: '100%', objectFit: 'cover', display: problem ? 'none' : 'block' }}
        />
        {!problem && (
          <div
            aria-hidden
            style={{
              position: 'absolute',
              left: '50%',
              top: '50%',
              width: '64vmin',
              height: '64vmin',
              transform: 'translate(-50%, -50%)',
              border: '3px solid rgba(255,255,255,0.9)',
              borderRadius: 12,
              boxShadow: '0 0 0 100vmax rgba(0,0,0,0.35)',
            }}
          />
        )}
        {problem && (
          <div
            role="alert"
            data-testid="m-scanner-problem"
            style={{ padding: 24, fontSize: 18, lineHeight: 1.7, marginTop: '20vh', textAlign: 'center' }}
          >
            {t(`merchants.${problem}`)}
          </div>
        )}
      </div>
      <div style={{ padding: 16, textAlign: 'center' }}>
        <p style={{ fontSize: 16, minHeight: 24, margin: '0 0 12px' }} aria-live="polite">
          {problem
            ? ''
            : starting
              ? t('merchants.scanStarting')
              : wrong
                ? (wrongText ?? t('merchants.notVoucher'))
                : (hint ?? t('merchants.scanHint'))}
        </p>
        <Button block size="large" className="m-btn-big" onClick={onClose}>
          {problem ? (typeText ?? t('merchants.typeCode')) : t('common.cancel')}
        </Button>
      </div>
    </div>
  );
}
