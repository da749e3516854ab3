import {
  Button,
  Form,
  ImageUploader,
  type ImageUploadItem,
  Input,
  NavBar,
  Switch,
  TextArea,
  Toast,
} from 'antd-mobile';
import { CheckCircleFill, EnvironmentOutline, RightOutline } from 'antd-mobile-icons';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError, errorText } from '../../api/client.ts';
import {
  createTicket,
  followTicket,
  myCompounds,
  type PlaceBuilding,
  type PlaceCompound,
  placeBuildings,
  responsibilityItems,
  type SimilarTicket,
  searchPlaces,
  similarTickets,
  type TicketView,
  uploadTicketPhotos,
} from '../../api/index.ts';
import {
  groupItems,
  newIdempotencyKey,
  PHOTO_ACCEPT,
  PHOTO_MAX_COUNT,
  photoProblem,
} from '../../ui/tickets.ts';
import { useLoad } from '../../ui/useLoad.ts';
import { PickSheet, useShortTime } from './parts.tsx';

const DESCRIPTION_MAX = 500;
/** Look for similar reports once the description has this many characters, after a pause. */
const SIMILAR_MIN_CHARS = 4;
const SIMILAR_PAUSE_MS = 600;
const SIMILAR_SHOWN = 3;
/** The item picker's "not sure" choice. */
const UNSURE = 0;

type Coords = { lat: number; lng: number };
/** A photo taken this close to a compound suggests the report is about that compound. */
const NEAR_METRES = 1500;

function metresBetween(a: Coords, b: Coords): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/** 随手拍 / 我要反映: what, a description, photos, where; then the ticket number, big. */
export function ReportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [done, setDone] = useState<TicketView | null>(null);
  // A fresh form (and so a fresh idempotency key) for each report.
  const [round, setRound] = useState(0);

  return (
    <div className="m-app">
      <NavBar onBack={() => navigate(-1)} backIcon className="m-navbar">
        {t('report.title')}
      </NavBar>
      <div className="m-body">
        {done ? (
          <ReportDone
            ticket={done}
            onAnother={() => {
              setDone(null);
              setRound((n) => n + 1);
            }}
          />
        ) : (
          <ReportForm key={round} onDone={setDone} />
        )}
      </div>
    </div>
  );
}

function ReportForm({ onDone }: { onDone: (t: TicketView) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ description: string; spot?: string; private: boolean }>();
  const [key] = useState(newIdempotencyKey);
  const items = useLoad(() => responsibilityItems(), []);
  const home = useLoad(() => myCompounds(), []);

  const [itemId, setItemId] = useState<number>(UNSURE);
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  const [uploading, setUploading] = useState(0);
  const [place, setPlace] = useState<PlaceCompound | null>(null);
  const [placeTouched, setPlaceTouched] = useState(false);
  const [coords, setCoords] = useState<Coords | null>(null);
  const [buildingId, setBuildingId] = useState<number | null>(null);
  const [sheet, setSheet] = useState<'item' | 'place' | 'building' | null>(null);
  const [photoHint, setPhotoHint] = useState<PlaceCompound | null>(null);

  const [busy, setBusy] = useState(false);
  const sending = useRef(false);
  const top = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [offline, setOffline] = useState(false);
  const [placeError, setPlaceError] = useState(false);
  const description: string | undefined = Form.useWatch('description', form);
  const similar = useSimilar(description ?? '', place?.id ?? null, coords);

  // My compound, preselected once it is known (unless the user already chose a place).
  const homeCompound = home.data?.[0];
  useEffect(() => {
    if (!homeCompound || placeTouched) return;
    setPlace(
      (p) =>
        p ?? {
          id: homeCompound.id,
          name: homeCompound.name,
          communityCode: homeCompound.communityCode,
          regionLabel: homeCompound.regionLabel,
          address: homeCompound.address,
          lat: homeCompound.lat,
          lng: homeCompound.lng,
        },
    );
  }, [homeCompound, placeTouched]);

  const buildings = useLoad<PlaceBuilding[]>(
    () => (place ? placeBuildings(place.id) : Promise.resolve([])),
    [place?.id],
  );

  const item = items.data?.items.find((i) => i.id === itemId);
  const building = buildings.data?.find((b) => b.id === buildingId);

  const choosePlace = (p: PlaceCompound, at: Coords | null) => {
    setPlace(p);
    setCoords(at);
    setPlaceTouched(true);
    setBuildingId(null);
    setPlaceError(false);
    setPhotoHint(null);
    setSheet(null);
  };

  const upload = async (file: File): Promise<ImageUploadItem> => {
    try {
      const [stored] = await uploadTicketPhotos([file]);
      if (!stored) throw new Error('no photo stored');
      // A photo that knows where it was taken may point at a better place than my own compound.
      if (stored.gps && !placeTouched) {
        searchPlaces({ lat: stored.gps.lat, lng: stored.gps.lng, limit: 1 })
          .then(([near]) => {
            const at = stored.gps;
            if (!near || !at || near.lat === null || near.lng === null) return;
            // Only a compound the photo was really taken at (the server's own nearest-compound radius).
            if (metresBetween(at, { lat: near.lat, lng: near.lng }) > NEAR_METRES) return;
            setPhotoHint((h) => h ?? { ...near, lat: at.lat, lng: at.lng });
          })
          .catch(() => undefined);
      }
      return { key: stored.id, url: URL.createObjectURL(file), extra: { id: stored.id } };
    } catch (e) {
      Toast.show({
        icon: 'fail',
        content: t('ticket.photoFailed', { detail: errorText(e) }),
        duration: 3000,
      });
      throw e;
    }
  };

  const submit = async () => {
    if (sending.current) return;
    let values: { description: string; spot?: string; private: boolean };
    try {
      values = await form.validateFields();
    } catch {
      // Show the first problem: the description box is far above the button on a phone.
      window.setTimeout(
        () =>
          top.current?.querySelector('.adm-form-item-feedback-error')?.scrollIntoView({ block: 'center' }),
        0,
      );
      return;
    }
    if (uploading > 0) {
      Toast.show({ content: t('ticket.photoUploading') });
      return;
    }
    if (!place) {
      setPlaceError(true);
      top.current?.querySelector('[data-testid="report-place"]')?.scrollIntoView({ block: 'center' });
      return;
    }
    sending.current = true;
    setBusy(true);
    setError(null);
    try {
      const ticket = await createTicket(
        {
          itemId: itemId === UNSURE ? undefined : itemId,
          description: values.description.trim(),
          private: !!values.private,
          urgent: false,
          compoundId: place.id,
          buildingId: buildingId ?? undefined,
          ...(coords ?? {}),
          place: values.spot?.trim() || undefined,
          photoIds: photos.map((p) => (p.extra as { id: number }).id),
          channel: 'app',
        },
        key,
      );
      onDone(ticket);
    } catch (e) {
      const network = e instanceof ApiError && e.code === 'network';
      setOffline(network);
      setError(network ? t('report.networkRetry') : errorText(e));
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };

  return (
    <div data-testid="report-form" ref={top}>
      <Form
        form={form}
        name="report"
        className="m-form"
        layout="vertical"
        mode="card"
        requiredMarkStyle="none"
        initialValues={{ private: false }}
        footer={
          <>
            {similar.length > 0 && <SimilarCard items={similar} />}
            {error && (
              <div className="m-error m-error-footer" role="alert">
                {error}
              </div>
            )}
            <Button
              block
              color="primary"
              size="large"
              className="m-btn-big"
              loading={busy}
              disabled={busy}
              onClick={submit}
              data-testid="report-submit"
            >
              {offline ? t('report.retry') : t('report.submit')}
            </Button>
          </>
        }
      >
        <Form.Item
          label={t('report.category')}
          description={t('report.categoryHint')}
          onClick={() => setSheet('item')}
          arrowIcon={<RightOutline />}
          clickable
        >
          <span
            className={item ? 'm-pick-value' : 'm-pick-value m-pick-placeholder'}
            data-testid="report-item"
          >
            {item ? item.name : t('report.categoryUnsure')}
          </span>
          {item && <span className="m-pick-sub">{item.categoryName}</span>}
        </Form.Item>

        <Form.Item
          name="description"
          label={t('report.description')}
          rules={[{ required: true, whitespace: true, message: t('report.descriptionRequired') }]}
        >
          <TextArea
            placeholder={t('report.descriptionPlaceholder')}
            maxLength={DESCRIPTION_MAX}
            showCount
            autoSize={{ minRows: 4, maxRows: 10 }}
            aria-label={t('report.description')}
          />
        </Form.Item>

        <Form.Item label={t('report.photos')} description={t('report.photosHint')}>
          <ImageUploader
            value={photos}
            onChange={setPhotos}
            upload={upload}
            accept={PHOTO_ACCEPT}
            multiple
            maxCount={PHOTO_MAX_COUNT}
            onCountExceed={() => Toast.show({ content: t('ticket.photoMax') })}
            beforeUpload={(file) => {
              const problem = photoProblem(t, file);
              if (problem) {
                Toast.show({ icon: 'fail', content: problem, duration: 3000 });
                return null;
              }
              return file;
            }}
            onUploadQueueChange={(tasks) => setUploading(tasks.filter((x) => x.status === 'pending').length)}
            showFailed
            style={{ '--cell-size': '96px', '--gap': '10px' }}
          />
        </Form.Item>

        <Form.Item label={t('report.place')}>
          <div className="m-place" data-testid="report-place">
            {place ? (
              <>
                <div className="m-place-name">
                  {place.name}
                  {homeCompound?.id === place.id && (
                    <span className="m-place-mine">{t('report.placeMine')}</span>
                  )}
                </div>
                <div className="m-place-region">{place.regionLabel}</div>
              </>
            ) : (
              <div className={placeError ? 'm-place-none m-field-error' : 'm-place-none'}>
                {placeError ? t('report.placeRequired') : t('report.placeNone')}
              </div>
            )}
            {photoHint && photoHint.id !== place?.id && (
              <div className="m-place-hint" data-testid="photo-place-hint">
                <span>
                  <EnvironmentOutline /> {t('report.photoNear', { name: photoHint.name })}
                </span>
                <Button
                  size="small"
                  color="primary"
                  fill="outline"
                  onClick={() =>
                    choosePlace(
                      photoHint,
                      photoHint.lat !== null && photoHint.lng !== null
                        ? { lat: photoHint.lat, lng: photoHint.lng }
                        : null,
                    )
                  }
                >
                  {t('report.usePhotoPlace')}
                </Button>
              </div>
            )}
            <Button
              block
              color="primary"
              fill="outline"
              className="m-btn-mid"
              onClick={() => setSheet('place')}
            >
              {place ? t('report.placeChange') : t('report.placePick')}
            </Button>
          </div>
        </Form.Item>

        {place && (buildings.data?.length ?? 0) > 0 && (
          <Form.Item
            label={t('report.building')}
            description={t('report.buildingHint')}
            onClick={() => setSheet('building')}
            arrowIcon={<RightOutline />}
            clickable
          >
            <span className={building ? 'm-pick-value' : 'm-pick-value m-pick-placeholder'}>
              {building ? building.name : t('report.buildingNone')}
            </span>
          </Form.Item>
        )}

        <Form.Item name="spot" label={t('report.spot')}>
          <Input placeholder={t('report.spotPlaceholder')} maxLength={200} clearable />
        </Form.Item>

        <Form.Item>
          <div className="m-switch-row">
            <div className="m-switch-text">
              <div className="m-switch-label">{t('report.private')}</div>
              <div className="m-switch-hint">{t('report.privateHint')}</div>
            </div>
            <Form.Item name="private" valuePropName="checked" noStyle>
              <Switch aria-label={t('report.private')} />
            </Form.Item>
          </div>
        </Form.Item>
      </Form>

      <ItemSheet
        visible={sheet === 'item'}
        items={items.data?.items}
        value={itemId}
        onPick={(id) => {
          setItemId(id);
          setSheet(null);
        }}
        onClose={() => setSheet(null)}
      />
      <PlaceSheet
        visible={sheet === 'place'}
        current={place}
        onPick={choosePlace}
        onClose={() => setSheet(null)}
      />
      <PickSheet<number>
        visible={sheet === 'building'}
        title={t('report.building')}
        value={buildingId ?? UNSURE}
        groups={[
          {
            key: 'b',
            options: [
              { value: UNSURE, title: t('report.buildingNone') },
              ...(buildings.data ?? []).map((b) => ({ value: b.id, title: b.name })),
            ],
          },
        ]}
        onPick={(id) => {
          setBuildingId(id === UNSURE ? null : id);
          setSheet(null);
        }}
        onClose={() => setSheet(null)}
      />
    </div>
  );
}

/** Open public tickets nearby whose text is like mine: asked after a pause in typing, and when the place changes. */
function useSimilar(text: string, compoundId: number | null, coords: Coords | null): SimilarTicket[] {
  const [found, setFound] = useState<SimilarTicket[]>([]);
  const seq = useRef(0);
  const q = text.trim();
  const lat = coords?.lat;
  const lng = coords?.lng;
  useEffect(() => {
    const mine = ++seq.current;
    if (q.length < SIMILAR_MIN_CHARS || (!compoundId && lat === undefined)) {
      setFound([]);
      return;
    }
    const timer = window.setTimeout(() => {
      similarTickets({ compoundId: compoundId ?? undefined, lat, lng, text: q })
        .then((r) => mine === seq.current && setFound(r))
        // A hint only: without it the resident just reports as usual.
        .catch(() => mine === seq.current && setFound([]));
    }, SIMILAR_PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [q, compoundId, lat, lng]);
  return found;
}

/** 附近已有类似的反映: "+1" follows one of them; the resident may still report their own. */
function SimilarCard({ items }: { items: SimilarTicket[] }) {
  const { t } = useTranslation();
  // What "+1" did here, by ticket: the new follower count.
  const [followed, setFollowed] = useState<Record<number, number>>({});
  const [busy, setBusy] = useState<number | null>(null);

  const plusOne = async (x: SimilarTicket) => {
    if (busy !== null) return;
    setBusy(x.id);
    try {
      const r = await followTicket(x.id);
      setFollowed((m) => ({ ...m, [x.id]: r.followers }));
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorText(e), duration: 3000 });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="m-similar" data-testid="similar-list" aria-labelledby="similar-title">
      <h3 className="m-similar-title" id="similar-title">
        {t('report.similarTitle')}
      </h3>
      <p className="m-similar-hint">{t('report.similarHint')}</p>
      {items.slice(0, SIMILAR_SHOWN).map((x) => {
        const count = followed[x.id] ?? x.followers;
        const following = x.following || x.id in followed;
        return (
          <div className="m-similar-item" key={x.id} data-testid="similar-item">
            <div className="m-similar-desc">{x.description}</div>
            <div className="m-similar-meta">
              <span>{x.placeLabel}</span>
              <span>{t('report.similarFollowers', { count })}</span>
            </div>
            {following ? (
              <div className="m-similar-done" role="status">
                <CheckCircleFill aria-hidden /> {t('report.similarFollowed')}{' '}
                <Link to={`/tickets/${x.id}`} data-testid="similar-view">
                  {t('report.similarView', { number: x.number })}
                </Link>
              </div>
            ) : (
              <Button
                block
                color="primary"
                fill="outline"
                size="large"
                className="m-btn-big"
                loading={busy === x.id}
                disabled={busy !== null}
                onClick={() => plusOne(x)}
                data-testid="plus-one"
              >
                {t('report.plusOne')}
              </Button>
            )}
          </div>
        );
      })}
      <p className="m-similar-hint">{t('report.similarStill')}</p>
    </section>
  );
}

function ItemSheet({
  visible,
  items,
  value,
  onPick,
  onClose,
}: {
  visible: boolean;
  items: Parameters<typeof groupItems>[0] | undefined;
  value: number;
  onPick: (id: number) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const groups = useMemo(() => groupItems(items ?? [], q), [items, q]);
  return (
    <PickSheet<number>
      visible={visible}
      title={t('report.categoryPick')}
      value={value}
      search={{ placeholder: t('report.categorySearch'), value: q, onChange: setQ }}
      onPick={onPick}
      onClose={onClose}
      groups={[
        { key: 'unsure', options: [{ value: UNSURE, title: t('report.categoryUnsure') }] },
        ...groups.map((g) => ({
          key: g.code,
          title: g.name,
          options: g.items.map((i) => ({ value: i.id, title: i.name, description: i.description })),
        })),
      ]}
      empty={null}
      top={q && groups.length === 0 ? <div className="m-sheet-empty">{t('report.categoryNone')}</div> : null}
    />
  );
}

function PlaceSheet({
  visible,
  current,
  onPick,
  onClose,
}: {
  visible: boolean;
  current: PlaceCompound | null;
  onPick: (p: PlaceCompound, at: Coords | null) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [here, setHere] = useState<Coords | null>(null);
  const [locating, setLocating] = useState(false);
  const [results, setResults] = useState<PlaceCompound[] | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  // Search as one types (a short pause first), or list what is near "my location".
  useEffect(() => {
    const text = q.trim();
    if (!text && !here) {
      setResults(null);
      return;
    }
    const mine = ++seq.current;
    const timer = window.setTimeout(
      () => {
        setLoading(true);
        searchPlaces(text ? { q: text, limit: 20 } : { lat: here?.lat, lng: here?.lng, limit: 10 })
          .then((r) => mine === seq.current && setResults(r))
          .catch((e: unknown) => mine === seq.current && Toast.show({ icon: 'fail', content: errorText(e) }))
          .finally(() => mine === seq.current && setLoading(false));
      },
      text ? 300 : 0,
    );
    return () => window.clearTimeout(timer);
  }, [q, here]);

  const locate = () => {
    if (!navigator.geolocation) {
      Toast.show({ content: t('report.locationFailed'), duration: 3000 });
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        setQ('');
        setHere({ lat: pos.coords.latitude, lng: pos.coords.longitude });
      },
      () => {
        setLocating(false);
        Toast.show({ content: t('report.locationFailed'), duration: 3000 });
      },
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  };

  const byText = q.trim() !== '';
  return (
    <PickSheet<number>
      visible={visible}
      title={t('report.placePick')}
      value={current?.id}
      search={{ placeholder: t('report.placeSearch'), value: q, onChange: setQ }}
      onPick={(id) => {
        const p = results?.find((r) => r.id === id);
        if (p) onPick(p, byText ? null : here);
      }}
      onClose={onClose}
      top={
        <div className="m-sheet-top">
          <Button
            block
            color="primary"
            fill="outline"
            className="m-btn-mid"
            loading={locating}
            onClick={locate}
          >
            <EnvironmentOutline /> {locating ? t('report.locating') : t('report.useLocation')}
          </Button>
          {results === null && !loading && <div className="m-sheet-empty">{t('report.searchHint')}</div>}
          {results?.length === 0 && !loading && <div className="m-sheet-empty">{t('report.noPlaces')}</div>}
        </div>
      }
      groups={[
        {
          key: 'r',
          title: results?.length ? (byText ? t('report.results') : t('report.nearby')) : undefined,
          options: (results ?? []).map((p) => ({
            value: p.id,
            title: p.name,
            description: [p.regionLabel, p.address].filter(Boolean).join(' · '),
          })),
        },
      ]}
    />
  );
}

function ReportDone({ ticket, onAnother }: { ticket: TicketView; onAnother: () => void }) {
  const { t } = useTranslation();
  const time = useShortTime();
  return (
    <div className="m-done" data-testid="report-done">
      <CheckCircleFill className="m-done-icon" aria-hidden />
      <h2 className="m-done-title">{t('report.doneTitle')}</h2>
      <div className="m-done-label">{t('ticket.number')}</div>
      <div className="m-done-number" data-testid="ticket-number">
        {ticket.number}
      </div>
      <p className="m-done-hint">
        {ticket.acceptDueAt
          ? t('report.doneHint', { due: time(ticket.acceptDueAt) })
          : t('report.doneHintNoDue')}
      </p>
      <div className="m-done-actions">
        <Link
          to={`/tickets/${ticket.id}`}
          className="m-link-btn m-link-btn-primary"
          data-testid="report-view"
        >
          {t('report.view')}
        </Link>
        <Button block size="large" className="m-btn-big" onClick={onAnother}>
          {t('report.another')}
        </Button>
        <Link to="/" className="m-link-btn">
          {t('report.backHome')}
        </Link>
      </div>
    </div>
  );
}
