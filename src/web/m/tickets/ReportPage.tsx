import {
  Button,
  DotLoading,
  Form,
  ImageUploader,
  type ImageUploadItem,
  Input,
  NavBar,
  Popup,
  Switch,
  TextArea,
  Toast,
} from 'antd-mobile';
import { CheckCircleFill, EnvironmentOutline, ExclamationCircleFill, RightOutline } from 'antd-mobile-icons';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError, errorText } from '../../api/client.ts';
import {
  createTicket,
  followTicket,
  getTicket,
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
import { type Loaded, useLoad } from '../../ui/useLoad.ts';
import { isPhone } from '../../ui/validate.ts';
import { LoadFailed, PickSheet, StatusTag, useShortTime } from './parts.tsx';
import {
  byDistance,
  type Coords,
  matchPlaces,
  metresBetween,
  NEAR_METRES,
  nearestWithin,
  toPlace,
} from './places.ts';
import { TicketDetail } from './TicketDetailPage.tsx';
import { useGridCompounds } from './useGridCompounds.ts';
import { VoiceInput } from './VoiceInput.tsx';

const DESCRIPTION_MAX = 500;
/** The resident concerned by a patrol report (the server's limit). */
const CONTACT_NAME_MAX = 40;
/** A phone number as typed ("138 0000 1234") in the digits the server takes. */
const phoneDigits = (s: string) => s.replace(/[\s-]/g, '');
/** Look for similar reports once the description has this many characters, after a pause. */
const SIMILAR_MIN_CHARS = 4;
const SIMILAR_PAUSE_MS = 600;
const SIMILAR_SHOWN = 3;
/** The item picker's "not sure" choice. */
const UNSURE = 0;

/**
 * Who is reporting: a resident about their own life (随手拍, channel `app`), or a 网格员 on patrol
 * (网格巡查上报, channel `patrol`): the places of their grid, the resident concerned, an urgent flag.
 */
export type ReportMode = 'resident' | 'patrol';

type Values = {
  description: string;
  spot?: string;
  private: boolean;
  urgent: boolean;
  contactName?: string;
  contactPhone?: string;
};

/** 随手拍 / 我要反映 (or 网格巡查上报): what, a description, photos, where; then the ticket number, big. */
export function ReportPage({ mode = 'resident' }: { mode?: ReportMode }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [done, setDone] = useState<TicketView | null>(null);
  // A fresh form (and so a fresh idempotency key) for each report.
  const [round, setRound] = useState(0);

  return (
    <div className="m-app">
      <NavBar onBack={() => navigate(-1)} backIcon className="m-navbar">
        {mode === 'patrol' ? t('patrol.title') : t('report.title')}
      </NavBar>
      <div className="m-body">
        {done ? (
          <ReportDone
            ticket={done}
            mode={mode}
            onAnother={() => {
              setDone(null);
              setRound((n) => n + 1);
            }}
          />
        ) : (
          <ReportForm key={`${mode}-${round}`} mode={mode} onDone={setDone} />
        )}
      </div>
    </div>
  );
}

function ReportForm({ mode, onDone }: { mode: ReportMode; onDone: (t: TicketView) => void }) {
  const { t } = useTranslation();
  const patrol = mode === 'patrol';
  const [form] = Form.useForm<Values>();
  const [key] = useState(newIdempotencyKey);
  const items = useLoad(() => responsibilityItems(), []);
  // A resident's own compound; on patrol, the compounds of the worker's grid instead.
  const home = useLoad(() => (patrol ? Promise.resolve([]) : myCompounds()), [patrol]);
  const grid = useGridCompounds(patrol);
  const gridPlaces = useMemo(() => grid.data?.map(toPlace), [grid.data]);

  const [itemId, setItemId] = useState<number>(UNSURE);
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  const [uploading, setUploading] = useState(0);
  const [place, setPlace] = useState<PlaceCompound | null>(null);
  const [placeTouched, setPlaceTouched] = useState(false);
  const [coords, setCoords] = useState<Coords | null>(null);
  const [buildingId, setBuildingId] = useState<number | null>(null);
  const [sheet, setSheet] = useState<'item' | 'place' | 'building' | null>(null);
  const [photoHint, setPhotoHint] = useState<PlaceCompound | null>(null);

  // Resident: a similar ticket followed ("+1") instead, so this form need not be sent.
  const [followed, setFollowed] = useState(false);
  const [phoneWrong, setPhoneWrong] = useState(false);

  const [busy, setBusy] = useState(false);
  const sending = useRef(false);
  const top = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [offline, setOffline] = useState(false);
  const [placeError, setPlaceError] = useState(false);
  const description: string | undefined = Form.useWatch('description', form);
  const similar = useSimilar(description ?? '', place?.id ?? null, coords);

  // Preselected once known (unless the user already chose a place): my compound, or on patrol the
  // grid's compound when the grid has only one.
  const homeCompound = home.data?.[0];
  const suggested = useMemo(
    () =>
      patrol ? (gridPlaces?.length === 1 ? gridPlaces[0] : undefined) : homeCompound && toPlace(homeCompound),
    [patrol, gridPlaces, homeCompound],
  );
  useEffect(() => {
    if (!suggested || placeTouched) return;
    setPlace((p) => p ?? suggested);
  }, [suggested, placeTouched]);
  // The tag beside the place's name: 我的小区, or 本网格 on patrol.
  const placeTag =
    place &&
    (patrol
      ? gridPlaces?.some((p) => p.id === place.id) && t('patrol.placeGrid')
      : homeCompound?.id === place.id && t('report.placeMine'));

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
      // A photo that knows where it was taken may point at a better place than my own compound
      // (on patrol: at the compound of my grid where it was taken).
      if (stored.gps && !placeTouched && patrol) {
        const at = stored.gps;
        const near = gridPlaces && nearestWithin(gridPlaces, at);
        if (near) setPhotoHint((h) => h ?? { ...near, lat: at.lat, lng: at.lng });
      } else if (stored.gps && !placeTouched) {
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
    let values: Values;
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
          urgent: patrol && !!values.urgent,
          compoundId: place.id,
          buildingId: buildingId ?? undefined,
          ...(coords ?? {}),
          place: values.spot?.trim() || undefined,
          photoIds: photos.map((p) => (p.extra as { id: number }).id),
          channel: patrol ? 'patrol' : 'app',
          ...(patrol && {
            contactName: values.contactName?.trim() || undefined,
            contactPhone: phoneDigits(values.contactPhone ?? '') || undefined,
          }),
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
        initialValues={{ private: false, urgent: false }}
        onFieldsChange={() => setPhoneWrong(form.getFieldError('contactPhone').length > 0)}
        footer={
          <>
            {similar.length > 0 &&
              (patrol ? (
                <SimilarWarning items={similar} />
              ) : (
                <SimilarCard items={similar} onFollowed={() => setFollowed(true)} />
              ))}
            {error && (
              <div className="m-error m-error-footer" role="alert">
                {error}
              </div>
            )}
            {followed && (
              // "+1" was the report: say plainly that nothing more is needed.
              <Link
                to="/"
                className="m-link-btn m-link-btn-primary m-followed-done"
                data-testid="followed-done"
              >
                {t('report.followedDone')}
              </Link>
            )}
            <Button
              block
              color="primary"
              fill={followed ? 'outline' : 'solid'}
              size="large"
              className="m-btn-big"
              loading={busy}
              disabled={busy}
              onClick={submit}
              data-testid="report-submit"
            >
              {offline ? t('report.retry') : followed ? t('report.submitAnyway') : t('report.submit')}
            </Button>
          </>
        }
      >
        <PickRow
          label={t('report.category')}
          hint={t('report.categoryHint')}
          onOpen={() => setSheet('item')}
          value={item?.name}
          sub={item?.categoryName}
          placeholder={t('report.categoryUnsure')}
          testId="report-item"
        />

        <Form.Item
          name="description"
          label={t('report.description')}
          rules={[{ required: true, whitespace: true, message: t('report.descriptionRequired') }]}
        >
          <TextArea
            placeholder={patrol ? t('patrol.descriptionPlaceholder') : t('report.descriptionPlaceholder')}
            maxLength={DESCRIPTION_MAX}
            showCount
            autoSize={{ minRows: 4, maxRows: 10 }}
            aria-label={t('report.description')}
          />
        </Form.Item>
        <div className="m-voice">
          <VoiceInput
            onText={(heard) => {
              const now = (form.getFieldValue('description') as string | undefined) ?? '';
              form.setFieldValue('description', `${now}${heard}`.slice(0, DESCRIPTION_MAX));
            }}
          />
        </div>

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
                  {placeTag && <span className="m-place-mine">{placeTag}</span>}
                </div>
                <div className="m-place-region">{place.regionLabel}</div>
              </>
            ) : (
              <div className={placeError ? 'm-place-none m-field-error' : 'm-place-none'}>
                {placeError
                  ? t('report.placeRequired')
                  : patrol
                    ? t('patrol.placeNone')
                    : t('report.placeNone')}
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
              data-testid="report-place-pick"
            >
              {place ? t('report.placeChange') : t('report.placePick')}
            </Button>
          </div>
        </Form.Item>

        {place && (buildings.data?.length ?? 0) > 0 && (
          <PickRow
            label={t('report.building')}
            hint={t('report.buildingHint')}
            onOpen={() => setSheet('building')}
            value={building?.name}
            placeholder={t('report.buildingNone')}
            testId="report-building"
          />
        )}

        <Form.Item name="spot" label={t('report.spot')}>
          <Input placeholder={t('report.spotPlaceholder')} maxLength={200} clearable />
        </Form.Item>

        {patrol && (
          <Form.Item>
            <div className="m-switch-row">
              <div className="m-switch-text">
                <div className="m-switch-label">{t('patrol.urgent')}</div>
                <div className="m-switch-hint">{t('patrol.urgentHint')}</div>
              </div>
              <Form.Item name="urgent" valuePropName="checked" noStyle>
                <Switch aria-label={t('patrol.urgent')} data-testid="report-urgent" />
              </Form.Item>
            </div>
          </Form.Item>
        )}

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

        {patrol && <Form.Header>{t('patrol.concerned')}</Form.Header>}
        {patrol && (
          <Form.Item
            name="contactName"
            label={t('patrol.contactName')}
            description={t('patrol.concernedHint')}
          >
            <Input
              placeholder={t('patrol.contactNamePlaceholder')}
              maxLength={CONTACT_NAME_MAX}
              clearable
              autoComplete="off"
            />
          </Form.Item>
        )}
        {patrol && (
          <Form.Item
            name="contactPhone"
            label={t('patrol.contactPhone')}
            description={t('patrol.contactPhoneHint')}
            // Checked when leaving the box, not at the first digit; once wrong, at every change.
            validateTrigger={phoneWrong ? ['onChange', 'onBlur'] : 'onBlur'}
            rules={[
              {
                validator: (_, v: unknown) =>
                  typeof v !== 'string' || v.trim() === '' || isPhone(phoneDigits(v))
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('validation.phone'))),
              },
            ]}
          >
            <Input
              type="tel"
              inputMode="numeric"
              placeholder={t('patrol.contactPhonePlaceholder')}
              maxLength={13}
              clearable
              autoComplete="off"
            />
          </Form.Item>
        )}
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
      {patrol ? (
        <GridPlaceSheet
          visible={sheet === 'place'}
          current={place}
          places={gridPlaces}
          load={grid}
          onPick={choosePlace}
          onClose={() => setSheet(null)}
        />
      ) : (
        <PlaceSheet
          visible={sheet === 'place'}
          current={place}
          onPick={choosePlace}
          onClose={() => setSheet(null)}
        />
      )}
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

/** Status, reported when, and how many follow it: what tells two similar tickets apart. */
function SimilarMeta({ x, followers }: { x: SimilarTicket; followers?: number }) {
  const { t } = useTranslation();
  const time = useShortTime();
  return (
    <>
      <div className="m-similar-top">
        <StatusTag status={x.status} />
        <span className="m-ticket-date">{time(x.createdAt)}</span>
      </div>
      {x.itemName && <div className="m-similar-item-name">{x.itemName}</div>}
      <div className="m-similar-desc">{x.description}</div>
      <div className="m-similar-meta">
        <span>{x.placeLabel}</span>
        {/* Nobody following (a hotline or patrol report) is nothing to show. */}
        {!!followers && <span>{t('report.similarFollowers', { count: followers })}</span>}
      </div>
    </>
  );
}

/** 附近已有类似的反映: "+1" follows one of them; the resident may still report their own. */
function SimilarCard({ items, onFollowed }: { items: SimilarTicket[]; onFollowed: () => void }) {
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
      onFollowed();
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
            <SimilarMeta x={x} followers={count} />
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

/**
 * On patrol: similar open tickets nearby, as a warning only. A patrol report is the worker's own
 * record, so there is no "+1" in its place; the worker checks, then reports or not.
 */
function SimilarWarning({ items }: { items: SimilarTicket[] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<number | null>(null);
  return (
    <section
      className="m-similar m-similar-warn"
      data-testid="similar-list"
      aria-labelledby="similar-title"
      role="note"
    >
      <h3 className="m-similar-title" id="similar-title">
        <ExclamationCircleFill className="m-similar-warn-icon" aria-hidden /> {t('patrol.similarTitle')}
      </h3>
      <p className="m-similar-hint">{t('patrol.similarHint')}</p>
      {items.slice(0, SIMILAR_SHOWN).map((x) => (
        <div className="m-similar-item" key={x.id} data-testid="similar-item">
          <SimilarMeta x={x} followers={x.followers} />
          {/* Opened over the form, so what was typed and photographed stays. */}
          <button
            type="button"
            className="m-similar-open"
            onClick={() => setOpen(x.id)}
            data-testid="similar-view"
          >
            {t('report.similarView', { number: x.number })}
            <RightOutline aria-hidden />
          </button>
        </div>
      ))}
      <TicketSheet id={open} onClose={() => setOpen(null)} />
    </section>
  );
}

/** One ticket in a bottom sheet, read-only. */
function TicketSheet({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Popup
      visible={id !== null}
      onMaskClick={onClose}
      onClose={onClose}
      destroyOnClose
      bodyClassName="m-sheet"
      bodyStyle={{ height: '85vh' }}
    >
      <div className="m-sheet-head">
        <span className="m-sheet-title">{t('mticket.detail')}</span>
        <button type="button" className="m-sheet-close" onClick={onClose} data-testid="ticket-sheet-close">
          {t('common.close')}
        </button>
      </div>
      <div className="m-sheet-body m-sheet-body-grey" data-testid="ticket-sheet">
        {id !== null && <TicketSheetBody id={id} />}
      </div>
    </Popup>
  );
}

function TicketSheetBody({ id }: { id: number }) {
  const ticket = useLoad(() => getTicket(id), [id]);
  if (ticket.error) return <LoadFailed error={ticket.error} onRetry={ticket.reload} />;
  if (!ticket.data)
    return (
      <div className="m-loading-more">
        <DotLoading color="primary" />
      </div>
    );
  return <TicketDetail ticket={ticket.data} onChange={(v) => ticket.setData(v)} />;
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
  const { here, locating, locate } = useLocate(() => setQ(''));
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

/**
 * On patrol: the compounds of my grid (the server takes a patrol report only there), filtered by
 * the words typed, or nearest first once the phone knows where I am.
 */
function GridPlaceSheet({
  visible,
  current,
  places,
  load,
  onPick,
  onClose,
}: {
  visible: boolean;
  current: PlaceCompound | null;
  places: PlaceCompound[] | undefined;
  load: Pick<Loaded<unknown>, 'error' | 'reload'>;
  onPick: (p: PlaceCompound, at: Coords | null) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const { here, locating, locate } = useLocate();
  const shown = useMemo(() => {
    const found = matchPlaces(places ?? [], q);
    return here ? byDistance(found, here) : found;
  }, [places, q, here]);

  // Where I am is where the problem is only when I stand at (or near) that compound.
  const atPlace = (p: PlaceCompound): Coords | null =>
    here &&
    (p.lat === null || p.lng === null || metresBetween(here, { lat: p.lat, lng: p.lng }) <= NEAR_METRES)
      ? here
      : null;

  return (
    <PickSheet<number>
      visible={visible}
      title={t('report.placePick')}
      value={current?.id}
      search={
        (places?.length ?? 0) > 1
          ? { placeholder: t('patrol.placeSearch'), value: q, onChange: setQ }
          : undefined
      }
      onPick={(id) => {
        const p = shown.find((r) => r.id === id);
        if (p) onPick(p, atPlace(p));
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
            <EnvironmentOutline /> {locating ? t('report.locating') : t('patrol.useLocation')}
          </Button>
          {load.error ? (
            <div className="m-sheet-empty" role="alert">
              <div>{load.error}</div>
              <Button color="primary" fill="outline" className="m-btn-mid" onClick={load.reload}>
                {t('m.retry')}
              </Button>
            </div>
          ) : places === undefined ? (
            <div className="m-sheet-empty">{t('common.loading')}</div>
          ) : places.length === 0 ? (
            <div className="m-sheet-empty">{t('patrol.noGridPlaces')}</div>
          ) : shown.length === 0 ? (
            <div className="m-sheet-empty">{t('patrol.noGridMatch')}</div>
          ) : null}
        </div>
      }
      groups={[
        {
          key: 'grid',
          title: shown.length ? (here ? t('patrol.gridPlacesNear') : t('patrol.gridPlaces')) : undefined,
          options: shown.map((p) => ({
            value: p.id,
            title: p.name,
            description: [p.regionLabel, p.address].filter(Boolean).join(' · '),
          })),
        },
      ]}
      bottom={<p className="m-sheet-foot">{t('patrol.elsewhere')}</p>}
    />
  );
}

/** "用我的位置": asks the phone once, says so plainly when it cannot. */
function useLocate(onLocated?: () => void) {
  const { t } = useTranslation();
  const [here, setHere] = useState<Coords | null>(null);
  const [locating, setLocating] = useState(false);
  const locate = () => {
    if (!navigator.geolocation) {
      Toast.show({ content: t('report.locationFailed'), duration: 3000 });
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        onLocated?.();
        setHere({ lat: pos.coords.latitude, lng: pos.coords.longitude });
      },
      () => {
        setLocating(false);
        Toast.show({ content: t('report.locationFailed'), duration: 3000 });
      },
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  };
  return { here, locating, locate };
}

function ReportDone({
  ticket,
  mode,
  onAnother,
}: {
  ticket: TicketView;
  mode: ReportMode;
  onAnother: () => void;
}) {
  const { t } = useTranslation();
  const time = useShortTime();
  const patrol = mode === 'patrol';
  return (
    <div className="m-done" data-testid="report-done">
      <CheckCircleFill className="m-done-icon" aria-hidden />
      <h2 className="m-done-title">{patrol ? t('patrol.doneTitle') : t('report.doneTitle')}</h2>
      <div className="m-done-label">{t('ticket.number')}</div>
      <div className="m-done-number" data-testid="ticket-number">
        {ticket.number}
      </div>
      {patrol && ticket.urgent && (
        <div className="m-done-badges">
          <span className="m-badge-urgent">{t('ticket.urgent')}</span>
        </div>
      )}
      <p className="m-done-hint">
        {ticket.acceptDueAt
          ? t(patrol ? 'patrol.doneHint' : 'report.doneHint', { due: time(ticket.acceptDueAt) })
          : t(patrol ? 'patrol.doneHintNoDue' : 'report.doneHintNoDue')}
      </p>
      <div className="m-done-actions">
        <Link
          to={`/tickets/${ticket.id}`}
          className="m-link-btn m-link-btn-primary"
          data-testid="report-view"
        >
          {t('report.view')}
        </Link>
        <Button block size="large" className="m-btn-big" onClick={onAnother} data-testid="report-another">
          {patrol ? t('patrol.another') : t('report.another')}
        </Button>
        <Link to="/" className="m-link-btn">
          {t('report.backHome')}
        </Link>
      </div>
    </div>
  );
}

/** A form row that opens a picker sheet: the choice (or what happens without one) and its hint. */
function PickRow(p: {
  label: string;
  hint: string;
  onOpen: () => void;
  value: string | undefined;
  sub?: string;
  placeholder: string;
  testId: string;
}) {
  return (
    <Form.Item label={p.label} description={p.hint} onClick={p.onOpen} arrowIcon={<RightOutline />} clickable>
      <span className={p.value ? 'm-pick-value' : 'm-pick-value m-pick-placeholder'} data-testid={p.testId}>
        {p.value ?? p.placeholder}
      </span>
      {p.sub && <span className="m-pick-sub">{p.sub}</span>}
    </Form.Item>
  );
}
