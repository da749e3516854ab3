import { Button, Toast } from 'antd-mobile';
import { AudioOutline } from 'antd-mobile-icons';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** The browser's speech recognition (Chrome and Safari name it differently); absent elsewhere. */
interface Recognition {
  lang: string;
  interimResults: boolean;
  continuous: boolean;
  start(): void;
  stop(): void;
  onresult:
    | ((e: { results: ArrayLike<ArrayLike<{ transcript: string }> & { isFinal: boolean }> }) => void)
    | null;
  onerror: ((e: { error: string }) => void) | null;
  onend: (() => void) | null;
}
type RecognitionClass = new () => Recognition;

function recognitionClass(): RecognitionClass | null {
  const w = window as unknown as {
    SpeechRecognition?: RecognitionClass;
    webkitSpeechRecognition?: RecognitionClass;
  };
  return w.SpeechRecognition ?? w.webkitSpeechRecognition ?? null;
}

/**
 * 语音输入: speak the description instead of typing it, where the browser offers recognition
 * (shown only there). What is heard is appended to the text already typed.
 */
export function VoiceInput({ onText }: { onText: (text: string) => void }) {
  const { t, i18n } = useTranslation();
  const [listening, setListening] = useState(false);
  const rec = useRef<Recognition | null>(null);
  const Klass = recognitionClass();
  useEffect(() => () => rec.current?.stop(), []);
  if (!Klass) return null;

  const start = () => {
    const r = new Klass();
    r.lang = i18n.language === 'en' ? 'en-US' : 'zh-CN';
    r.interimResults = false;
    r.continuous = false;
    r.onresult = (e) => {
      const heard = Array.from(e.results)
        .filter((x) => x.isFinal)
        .map((x) => x[0]?.transcript ?? '')
        .join('');
      if (heard) onText(heard);
    };
    r.onerror = (e) => {
      if (e.error !== 'aborted' && e.error !== 'no-speech')
        Toast.show({
          content: e.error === 'not-allowed' ? t('report.voiceDenied') : t('report.voiceFailed'),
        });
    };
    r.onend = () => setListening(false);
    rec.current = r;
    setListening(true);
    r.start();
  };

  return (
    <Button
      size="middle"
      color={listening ? 'danger' : 'default'}
      onClick={() => (listening ? rec.current?.stop() : start())}
      aria-pressed={listening}
      data-testid="report-voice"
    >
      <AudioOutline /> {listening ? t('report.voiceListening') : t('report.voice')}
    </Button>
  );
}
