import {
  Button,
  Card,
  Dialog,
  Ellipsis,
  ErrorBlock,
  Form,
  Input,
  List,
  NavBar,
  SpinLoading,
  Tabs,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { ClockCircleOutline, ScanningOutline } from 'antd-mobile-icons';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { CHECK_IN_EARLY_MINUTES, CHECK_OUT_LATE_MINUTES } from '../../../contracts/service-states.ts';
import { ApiError, errorText } from '../../api/client.ts';
import {
  cancelServiceClaim,
  claimServiceSlot,
  type MyClaim,
  myServiceClaims,
  myServicePosts,
  myServiceRecords,
  type PostView,
  type RecordView,
  recordServiceProblems,
  type SlotView,
} from '../../api/service.ts';
import { formatShort } from '../../ui/format.ts';
import { useSubmit } from '../../ui/forms.ts';
import { useCursorList } from '../../ui/useCursorList.ts';
import { useLoad } from '../../ui/useLoad.ts';
import { MForm } from '../forms.tsx';
import { Scanner } from '../points/Scanner.tsx';
import { ServiceProgress } from './Progress.tsx';
import {
  AttendResult,
  CodeSheet,
  type CodeTarget,
  durationText,
  hhmm,
  isToday,
  type Phase,
  RecordState,
  Sheet,
  tokenFromScan,
  when,
} from './parts.tsx';

const TABS = ['posts', 'mine', 'records'] as const;
type Tab = (typeof TABS)[number];
const MINUTE = 60_000;

type Outcome = { record: RecordView; phase: Phase };

/**
 * 志愿服务: posts of my community to claim (mine and my skills' first), my claims with check-in
 * and check-out on the day, my service records, and printed hour codes. For elderly members:
 * big type, big buttons, plain words, every deadline said in words.
 */
export function ServicePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  // `null` data: the caller is not a party member on a community's ledger.
  const claims = useLoad(
    () =>
      myServiceClaims().catch((e: unknown) => {
        if (e instanceof ApiError && e.code === 'service.not_member') return null;
        throw e;
      }),
    [],
  );
  const [code, setCode] = useState<CodeTarget | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [fresh, setFresh] = useState(0);

  // Without a tab in the address: 我的认领 when something is on today, else the posts. Decided once,
  // so claiming a slot for today does not move the member off the posts they are looking at.
  const [auto, setAuto] = useState<Tab | null>(null);
  useEffect(() => {
    if (auto !== null || claims.loading) return;
    setAuto(claims.data?.some((c) => c.status === 'claimed' && isToday(c.slot.startsAt)) ? 'mine' : 'posts');
  }, [auto, claims.loading, claims.data]);
  const asked = params.get('tab');
  const tab: Tab | null = TABS.includes(asked as Tab) ? (asked as Tab) : auto;

  const attended = (record: RecordView, phase: Phase) => {
    setCode(null);
    setOutcome({ record, phase });
    claims.reload();
    setFresh((n) => n + 1);
  };
  // The in-app camera reads the organiser's QR and hands its token to the scan page, which sends it.
  const [scanning, setScanning] = useState(false);
  const scan = () => setScanning(true);
  const back = () => (location.key === 'default' ? navigate('/') : navigate(-1));

  return (
    <div className="m-app">
      <NavBar onBack={back} backIcon style={{ background: '#fff', '--height': '52px' }}>
        <span style={{ fontSize: 19 }}>{t('service.title')}</span>
      </NavBar>
      <div className="m-body" data-testid="m-service">
        {claims.data === null ? (
          <NotMember />
        ) : (
          <>
            {claims.data !== undefined && (
              <div className="m-svc-progress">
                <ServiceProgress />
              </div>
            )}
            <div className="m-svc-actions">
              <button type="button" className="m-svc-action" onClick={scan} data-testid="m-service-scan">
                <ScanningOutline className="m-svc-action-icon" aria-hidden />
                <span className="m-svc-action-title">{t('service.scan')}</span>
                <span className="m-svc-action-hint">{t('service.scanHint')}</span>
              </button>
              <button
                type="button"
                className="m-svc-action"
                onClick={() => setCode({ kind: 'hourCode' })}
                data-testid="m-service-hour-code"
              >
                <ClockCircleOutline className="m-svc-action-icon" aria-hidden />
                <span className="m-svc-action-title">{t('service.hourCode')}</span>
                <span className="m-svc-action-hint">{t('service.hourCodeShort')}</span>
              </button>
            </div>
            {tab === null ? (
              <Spinner />
            ) : (
              <>
                <Tabs
                  className="m-tabs-big m-svc-tabs"
                  activeKey={tab}
                  onChange={(k) => setParams({ tab: k }, { replace: true })}
                >
                  <Tabs.Tab title={t('service.tabs.posts')} key="posts" data-testid="m-service-tab-posts" />
                  <Tabs.Tab title={t('service.tabs.mine')} key="mine" data-testid="m-service-tab-mine" />
                  <Tabs.Tab
                    title={t('service.tabs.records')}
                    key="records"
                    data-testid="m-service-tab-records"
                  />
                </Tabs>
                <div className="m-svc-pane" key={`${tab}.${fresh}`}>
                  {tab === 'posts' && <PostsTab onChanged={claims.reload} />}
                  {tab === 'mine' && (
                    <MineTab
                      claims={claims.data}
                      error={claims.error}
                      loading={claims.loading}
                      reload={claims.reload}
                      onScan={scan}
                      onType={setCode}
                      onPosts={() => setParams({ tab: 'posts' }, { replace: true })}
                    />
                  )}
                  {tab === 'records' && <RecordsTab />}
                </div>
              </>
            )}
          </>
        )}
      </div>
      <CodeSheet target={code} onClose={() => setCode(null)} onDone={attended} />
      {scanning && (
        <Scanner
          accept={tokenFromScan}
          title={t('service.scanTitle')}
          hint={t('service.scanHintLong')}
          wrongText={t('service.scanWrong')}
          typeText={t('service.scanTypeInstead')}
          onClose={() => setScanning(false)}
          onCode={(token) => {
            setScanning(false);
            navigate(`/service/scan?t=${encodeURIComponent(token)}`);
          }}
        />
      )}
      <Sheet
        visible={outcome !== null}
        title={t('service.title')}
        onClose={() => setOutcome(null)}
        testid="m-service-outcome"
      >
        {outcome && <AttendResult {...outcome} />}
        <Button
          block
          color="primary"
          size="large"
          className="m-btn-big"
          onClick={() => setOutcome(null)}
          data-testid="m-service-outcome-ok"
        >
          {t('service.ok')}
        </Button>
      </Sheet>
    </div>
  );
}

function Spinner() {
  return (
    <div className="m-center" style={{ minHeight: 160 }}>
      <SpinLoading color="primary" />
    </div>
  );
}

function LoadError({ message, retry }: { message: string; retry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="m-empty">
      <ErrorBlock status="disconnected" title={t('m.loadFailed')} description={message} />
      <Button color="primary" size="large" className="m-btn-big" onClick={retry}>
        {t('m.retry')}
      </Button>
    </div>
  );
}

/** Someone without a party record: what the service pages are for, and where to register. */
function NotMember() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <div className="m-empty" style={{ margin: 12 }} data-testid="m-service-not-member">
      <div className="m-empty-title">{t('service.notMember')}</div>
      <div className="m-empty-hint">{t('service.notMemberHint')}</div>
      <Button
        color="primary"
        size="large"
        className="m-btn-big"
        style={{ marginTop: 16 }}
        onClick={() => navigate('/party/register')}
      >
        {t('party.register.entry')}
      </Button>
    </div>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="m-row">
      <span className="m-row-label">{label}</span>
      <span className="m-row-value">{children}</span>
    </div>
  );
}

// 岗位 -------------------------------------------------------------------------------------------

function PostsTab({ onChanged }: { onChanged: () => void }) {
  const { t } = useTranslation();
  const posts = useLoad(() => myServicePosts(), []);
  // The answer to a claim is the post without the member's fit: keep the list's fit, take the slots.
  const update = (p: PostView) =>
    posts.setData((prev) =>
      prev?.map((x) =>
        x.id === p.id ? { ...x, slots: p.slots.filter((s) => x.slots.some((y) => y.id === s.id)) } : x,
      ),
    );
  if (posts.loading && !posts.data) return <Spinner />;
  if (posts.error) return <LoadError message={posts.error} retry={posts.reload} />;
  if (!posts.data?.length)
    return (
      <p className="m-empty-text" data-testid="m-service-no-posts">
        {t('service.noPosts')}
      </p>
    );
  return (
    <div data-testid="m-service-posts">
      <p className="m-svc-intro">{t('service.postsIntro')}</p>
      {posts.data.map((p) => (
        <PostCard
          key={p.id}
          post={p}
          onPost={(next) => {
            update(next);
            onChanged();
          }}
          onFailed={posts.reload}
        />
      ))}
    </div>
  );
}

function PostCard({
  post,
  onPost,
  onFailed,
}: {
  post: PostView;
  onPost: (p: PostView) => void;
  onFailed: () => void;
}) {
  const { t } = useTranslation();
  const fit = post.fit;
  return (
    <Card className="m-card m-svc-post" data-testid="m-service-post" data-post-id={post.id}>
      <h3 className="m-svc-post-title">{post.title}</h3>
      <div className="m-svc-badges">
        {fit?.compound && (
          <Tag color="danger" className="m-tag-big" data-testid="m-service-fit-compound">
            {t('service.fitCompound')}
          </Tag>
        )}
        {!!fit?.skills.length && (
          <Tag color="success" className="m-tag-big" data-testid="m-service-fit-skills">
            {t('service.fitSkills', { skills: fit.skills.join('、') })}
          </Tag>
        )}
        <Tag color="default" fill="outline" className="m-tag-big">
          {t(`service.kinds.${post.kind}`)}
        </Tag>
      </div>
      <Row label={t('service.place')}>{post.place}</Row>
      {post.recipients && <Row label={t('service.recipients')}>{post.recipients}</Row>}
      <Row label={t('service.content')}>
        <Ellipsis
          content={post.content}
          rows={3}
          expandText={t('service.more')}
          collapseText={t('service.less')}
        />
      </Row>
      {post.skills.length > 0 && <Row label={t('service.skills')}>{post.skills.join('、')}</Row>}
      <Row label={t('service.organiser')}>{post.compound?.name ?? post.community.name}</Row>
      <Row label={t('service.reward')}>{t('service.perHour', { n: post.pointsPerHour })}</Row>
      <div className="m-svc-slots">
        {post.slots.map((s) => (
          <SlotBox key={s.id} post={post} slot={s} onPost={onPost} onFailed={onFailed} />
        ))}
      </div>
    </Card>
  );
}

function SlotBox({
  post,
  slot,
  onPost,
  onFailed,
}: {
  post: PostView;
  slot: SlotView;
  onPost: (p: PostView) => void;
  onFailed: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const full = slot.claimed >= slot.capacity;
  const started = Date.parse(slot.startsAt) <= Date.now();
  const time = when(t, i18n.language, slot.startsAt, slot.endsAt);
  const take = async () => {
    const ok = await Dialog.confirm({
      content: (
        <div className="m-svc-dialog">
          <strong>{post.title}</strong>
          <div>{time}</div>
          <div>{post.place}</div>
          <p>
            {full
              ? t('service.waitlistExplain')
              : post.cancelHours > 0
                ? t('service.claimExplain', { hours: post.cancelHours })
                : t('service.claimExplainAnytime')}
          </p>
        </div>
      ),
      confirmText: full ? t('service.waitlistOk') : t('service.claimOk'),
      cancelText: t('service.notNow'),
    });
    if (!ok) return;
    setBusy(true);
    try {
      const p = await claimServiceSlot(slot.id);
      onPost(p);
      const mine = p.slots.find((s) => s.id === slot.id)?.mine;
      Toast.show({
        icon: 'success',
        content:
          mine?.status === 'waitlisted'
            ? t('service.waitlistedToast', { n: mine.position ?? 1 })
            : t('service.claimedToast'),
      });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorText(e), duration: 4000 });
      onFailed();
    } finally {
      setBusy(false);
    }
  };

  let action: ReactNode;
  if (slot.status === 'cancelled') action = <div className="m-svc-note">{t('service.slotCancelled')}</div>;
  else if (slot.mine?.status === 'claimed' || slot.mine?.status === 'waitlisted')
    action = (
      <MyPlace
        claimId={slot.mine.claimId}
        status={slot.mine.status}
        position={slot.mine.position}
        startsAt={slot.startsAt}
        cancelUntil={slot.cancelUntil}
        cancelHours={post.cancelHours}
        title={post.title}
        time={time}
        onCancelled={onPost}
        onFailed={onFailed}
      />
    );
  else if (started) action = <div className="m-svc-note">{t('service.slotStarted')}</div>;
  else
    action = (
      <Button
        block
        size="large"
        color={full ? 'warning' : 'primary'}
        className="m-btn-big"
        loading={busy}
        onClick={take}
        data-testid={full ? 'm-service-waitlist' : 'm-service-claim'}
      >
        {full ? t('service.waitlist') : t('service.claim')}
      </Button>
    );

  return (
    <section className="m-svc-slot" data-testid="m-service-slot" data-slot-id={slot.id}>
      <div className="m-svc-when">{time}</div>
      <div className={full ? 'm-svc-places m-svc-places-full' : 'm-svc-places'}>
        {full
          ? slot.waitlisted > 0
            ? t('service.fullWaiting', { n: slot.waitlisted })
            : t('service.full')
          : t('service.placesLeft', { n: slot.capacity - slot.claimed, total: slot.capacity })}
      </div>
      {action}
    </section>
  );
}

/**
 * My place on a slot (or in its line), and giving it back: until when that is possible, or in
 * words why it no longer is.
 */
function MyPlace({
  claimId,
  status,
  position,
  startsAt,
  cancelUntil,
  cancelHours,
  title,
  time,
  onCancelled,
  onFailed,
  showStatus = true,
}: {
  claimId: number;
  status: 'claimed' | 'waitlisted';
  position: number | null;
  startsAt: string;
  cancelUntil: string;
  cancelHours: number;
  title: string;
  time: string;
  onCancelled: (p: PostView) => void;
  onFailed: () => void;
  showStatus?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const now = Date.now();
  const canCancel = status === 'claimed' ? now < Date.parse(cancelUntil) : now < Date.parse(startsAt);
  const giveBack = async () => {
    const ok = await Dialog.confirm({
      content: (
        <div className="m-svc-dialog">
          <strong>{title}</strong>
          <div>{time}</div>
          <p>{status === 'claimed' ? t('service.cancelConfirm') : t('service.cancelWaitConfirm')}</p>
        </div>
      ),
      confirmText: status === 'claimed' ? t('service.cancelYes') : t('service.cancelWaitYes'),
      cancelText: t('service.cancelNo'),
    });
    if (!ok) return;
    setBusy(true);
    try {
      onCancelled(await cancelServiceClaim(claimId));
      Toast.show({ icon: 'success', content: t('service.cancelledToast') });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorText(e), duration: 4000 });
      onFailed();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="m-svc-mine" data-testid="m-service-my-place" data-status={status}>
      {showStatus &&
        (status === 'claimed' ? (
          <div className="m-svc-mine-status m-svc-mine-claimed">✓ {t('service.mineClaimed')}</div>
        ) : (
          <>
            <div className="m-svc-mine-status m-svc-mine-waiting" data-testid="m-service-position">
              {t('service.mineWaitlisted', { n: position ?? 1 })}
            </div>
            <div className="m-svc-note">{t('service.waitlistedHint')}</div>
          </>
        ))}
      {canCancel ? (
        <>
          <Button
            block
            size="large"
            fill="outline"
            className="m-btn-mid m-svc-cancel"
            loading={busy}
            onClick={giveBack}
            data-testid="m-service-cancel"
          >
            {status === 'claimed' ? t('service.cancel') : t('service.cancelWait')}
          </Button>
          {status === 'claimed' && (
            <div className="m-svc-note">
              {t('service.cancelUntil', { at: formatShort(cancelUntil, i18n.language) })}
            </div>
          )}
        </>
      ) : (
        status === 'claimed' &&
        now < Date.parse(startsAt) && (
          <div className="m-svc-note" data-testid="m-service-cancel-closed">
            {t('service.cancelClosed', { hours: cancelHours })}
          </div>
        )
      )}
    </div>
  );
}

// 我的认领 ---------------------------------------------------------------------------------------

function MineTab({
  claims,
  error,
  loading,
  reload,
  onScan,
  onType,
  onPosts,
}: {
  claims: MyClaim[] | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
  onScan: () => void;
  onType: (target: CodeTarget) => void;
  onPosts: () => void;
}) {
  const { t } = useTranslation();
  if (loading && !claims) return <Spinner />;
  if (error) return <LoadError message={error} retry={reload} />;
  if (!claims?.length)
    return (
      <div className="m-empty" data-testid="m-service-no-claims">
        <div className="m-empty-title">{t('service.noClaims')}</div>
        <Button
          color="primary"
          size="large"
          className="m-btn-big"
          style={{ marginTop: 16 }}
          onClick={onPosts}
        >
          {t('service.seePosts')}
        </Button>
      </div>
    );
  // What is on or still to come first (soonest first); what is over below, the latest first.
  const over = (c: MyClaim) => Date.now() > Date.parse(c.slot.endsAt) + CHECK_OUT_LATE_MINUTES * MINUTE;
  const current = claims.filter((c) => !over(c));
  const past = claims.filter(over).reverse();
  return (
    <div data-testid="m-service-claims">
      {current.map((c) => (
        <ClaimCard key={c.claimId} c={c} reload={reload} onScan={onScan} onType={onType} />
      ))}
      {past.length > 0 && <h3 className="m-section-title">{t('service.overClaims')}</h3>}
      {past.map((c) => (
        <ClaimCard key={c.claimId} c={c} reload={reload} onScan={onScan} onType={onType} />
      ))}
    </div>
  );
}

function ClaimCard({
  c,
  reload,
  onScan,
  onType,
}: {
  c: MyClaim;
  reload: () => void;
  onScan: () => void;
  onType: (target: CodeTarget) => void;
}) {
  const { t, i18n } = useTranslation();
  const now = Date.now();
  const starts = Date.parse(c.slot.startsAt);
  const ends = Date.parse(c.slot.endsAt);
  const opens = starts - CHECK_IN_EARLY_MINUTES * MINUTE;
  const closes = ends + CHECK_OUT_LATE_MINUTES * MINUTE;
  const time = when(t, i18n.language, c.slot.startsAt, c.slot.endsAt);
  const r = c.record;
  // In by the rotating code when there is no record yet; out when checked in by it and not yet out.
  const phase: 'in' | 'out' | null = !r
    ? 'in'
    : r.method === 'qr' && r.status === 'onDuty' && r.checkInAt && !r.checkOutAt
      ? 'out'
      : null;
  const onDay =
    c.status === 'claimed' && phase !== null && (isToday(c.slot.startsAt) || now >= opens) && now <= closes;
  // Leaving before the end records only the time so far, for good: say so and ask first.
  const sure = async () => {
    if (phase !== 'out' || now >= ends || !r?.checkInAt) return true;
    const from = Math.max(Date.parse(r.checkInAt), starts);
    const soFar = Math.max(0, Math.floor((now - from) / MINUTE));
    return Dialog.confirm({
      content: (
        <div className="m-svc-dialog">
          <strong>{c.post.title}</strong>
          <p>{t('service.earlyOut', { end: hhmm(c.slot.endsAt), duration: durationText(t, soFar) })}</p>
        </div>
      ),
      confirmText: t('service.earlyOutYes'),
      cancelText: t('service.earlyOutNo'),
    });
  };
  return (
    <Card className="m-card m-svc-claim" data-testid="m-service-claim-card" data-claim-id={c.claimId}>
      <div className="m-svc-when m-svc-when-big">{time}</div>
      <h3 className="m-svc-post-title">{c.post.title}</h3>
      <Row label={t('service.place')}>{c.post.place}</Row>
      {r ? (
        <RecordState r={r} />
      ) : c.status === 'waitlisted' ? null : (
        <div className="m-svc-mine-status m-svc-mine-claimed">✓ {t('service.mineClaimed')}</div>
      )}
      {onDay && phase && (
        <div className="m-svc-day" data-testid="m-service-day" data-phase={phase}>
          {now < opens && (
            <div className="m-svc-note">
              {t('service.opensAt', { at: hhmm(new Date(opens).toISOString()) })}
            </div>
          )}
          <Button
            block
            color="primary"
            size="large"
            className="m-btn-big m-svc-day-btn"
            onClick={async () => {
              if (await sure()) onScan();
            }}
            data-testid={phase === 'in' ? 'm-service-scan-in' : 'm-service-scan-out'}
          >
            <ScanningOutline aria-hidden /> {phase === 'in' ? t('service.scanIn') : t('service.scanOut')}
          </Button>
          <Button
            block
            size="large"
            fill="outline"
            color="primary"
            className="m-btn-big m-svc-day-btn"
            onClick={async () => {
              if (await sure())
                onType({ kind: 'digits', slotId: c.slot.id, phase, title: `${c.post.title} · ${time}` });
            }}
            data-testid={phase === 'in' ? 'm-service-type-in' : 'm-service-type-out'}
          >
            {phase === 'in' ? t('service.typeIn') : t('service.typeOut')}
          </Button>
        </div>
      )}
      {c.status === 'claimed' && !r && now < opens && !onDay && (
        <div className="m-svc-note">{t('service.onTheDay', { early: CHECK_IN_EARLY_MINUTES })}</div>
      )}
      {c.status === 'claimed' && !r && now > closes && (
        <div className="m-svc-note" data-testid="m-service-missed">
          {t('service.missed')}
        </div>
      )}
      {c.status === 'waitlisted' && now >= starts && (
        <div className="m-svc-note" data-testid="m-service-not-moved-up">
          {t('service.notMovedUp')}
        </div>
      )}
      {!r && now < starts && (
        <MyPlace
          claimId={c.claimId}
          status={c.status === 'waitlisted' ? 'waitlisted' : 'claimed'}
          position={c.position}
          startsAt={c.slot.startsAt}
          cancelUntil={c.cancelUntil}
          cancelHours={Math.round((starts - Date.parse(c.cancelUntil)) / 3_600_000)}
          title={c.post.title}
          time={time}
          onCancelled={reload}
          onFailed={reload}
          showStatus={c.status === 'waitlisted'}
        />
      )}
    </Card>
  );
}

// 服务记录 ---------------------------------------------------------------------------------------

function RecordsTab() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [attempt, setAttempt] = useState(0);
  const list = useCursorList(async (cursor) => myServiceRecords({ cursor, limit: 20 }), [attempt]);
  const [editing, setEditing] = useState<RecordView | null>(null);
  if (list.loading && !list.items.length) return <Spinner />;
  if (list.error && !list.items.length)
    return <LoadError message={list.error} retry={() => setAttempt((n) => n + 1)} />;
  return (
    <div data-testid="m-service-records">
      <List style={{ marginBottom: 12 }}>
        <List.Item
          arrow
          onClick={() => navigate('/service/certificates')}
          data-testid="m-service-certificates"
        >
          {t('serviceTargets.m.certificates')}
        </List.Item>
      </List>
      {list.items.length === 0 && (
        <p className="m-empty-text" data-testid="m-service-no-records">
          {t('service.noRecords')}
        </p>
      )}
      {list.items.map((r) => (
        <RecordCard key={r.id} r={r} onProblems={() => setEditing(r)} />
      ))}
      {list.more && (
        <Button block size="large" loading={list.loading} onClick={list.more} style={{ marginTop: 12 }}>
          {t('service.older')}
        </Button>
      )}
      <Sheet
        visible={editing !== null}
        title={t('service.problemsTitle')}
        onClose={() => setEditing(null)}
        testid="m-service-problems-sheet"
      >
        {editing && (
          <ProblemsForm
            r={editing}
            onSaved={(next) => {
              list.setItems((prev) => prev.map((x) => (x.id === next.id ? next : x)));
              setEditing(null);
              Toast.show({ icon: 'success', content: t('service.problemsSaved') });
            }}
          />
        )}
      </Sheet>
    </div>
  );
}

function RecordCard({ r, onProblems }: { r: RecordView; onProblems: () => void }) {
  const { t } = useTranslation();
  return (
    <Card className="m-card m-svc-record" data-testid="m-service-record" data-record-id={r.id}>
      <h3 className="m-svc-post-title">{r.activity}</h3>
      <RecordState r={r} />
      <Row label={t('service.date')}>
        {r.serviceDate}
        {r.slot ? ` ${hhmm(r.slot.startsAt)}–${hhmm(r.slot.endsAt)}` : ''}
      </Row>
      <Row label={t('service.place')}>{r.place}</Row>
      {r.recipients && <Row label={t('service.recipients')}>{r.recipients}</Row>}
      <Row label={t('service.content')}>
        <Ellipsis
          content={r.content}
          rows={2}
          expandText={t('service.more')}
          collapseText={t('service.less')}
        />
      </Row>
      <Row label={t('service.method')}>
        {t(`service.methods.${r.method}`)}
        {r.checkInAt
          ? ` · ${t('service.inOutTimes', { in: hhmm(r.checkInAt), out: hhmm(r.checkOutAt) || '—' })}`
          : ''}
      </Row>
      <Row label={t('service.recordedHours')}>
        {r.recordedMinutes === null ? '—' : durationText(t, r.recordedMinutes)}
      </Row>
      <Row label={t('service.verifiedHours')}>
        {r.minutes === null
          ? r.status === 'declined'
            ? t('service.states.declined')
            : t('service.notYet')
          : durationText(t, r.minutes)}
      </Row>
      {r.status === 'approved' && <Row label={t('service.points')}>+{r.points}</Row>}
      {r.reason && <Row label={t('service.reason')}>{r.reason}</Row>}
      <Row label={t('service.rating')}>
        {r.rating ? (
          <span className="m-svc-stars" role="img" aria-label={t('service.ratingOf', { n: r.rating })}>
            {'★'.repeat(r.rating)}
            <span className="m-svc-stars-off">{'★'.repeat(5 - r.rating)}</span>
          </span>
        ) : (
          t('service.noRating')
        )}
      </Row>
      <Row label={t('service.organiser')}>{r.organiser}</Row>
      {r.recordedBy && <Row label={t('service.recordedBy')}>{r.recordedBy}</Row>}
      {r.verifiedBy && <Row label={t('service.verifiedBy')}>{r.verifiedBy}</Row>}
      {r.problemsSolved && (
        <Row label={t('service.problemsSolved')}>
          <span data-testid="m-service-problems">{r.problemsSolved}</span>
          {r.ticketNumber && (
            <div className="m-svc-note">{t('service.ticketLinked', { number: r.ticketNumber })}</div>
          )}
        </Row>
      )}
      <Button
        block
        size="large"
        fill="outline"
        color="primary"
        className="m-btn-mid"
        style={{ marginTop: 12 }}
        onClick={onProblems}
        data-testid="m-service-problems-open"
      >
        {r.problemsSolved ? t('service.problemsEdit') : t('service.problemsAdd')}
      </Button>
    </Card>
  );
}

interface ProblemValues {
  problemsSolved: string;
  ticketNumber?: string;
}

function ProblemsForm({ r, onSaved }: { r: RecordView; onSaved: (r: RecordView) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const state = useSubmit<ProblemValues>(
    async (v) =>
      onSaved(
        await recordServiceProblems(r.id, {
          problemsSolved: v.problemsSolved.trim(),
          ticketNumber: v.ticketNumber?.trim() || undefined,
        }),
      ),
    { form, fields: ['problemsSolved', 'ticketNumber'] },
  );
  return (
    <div className="m-svc-problems" data-testid="m-service-problems-form">
      <div className="m-svc-code-for">
        {r.activity} · {r.serviceDate}
      </div>
      <MForm form={form} name="service-problems" state={state} submitText={t('common.save')}>
        <Form.Item
          name="problemsSolved"
          label={t('service.problemsSolved')}
          initialValue={r.problemsSolved ?? ''}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('validation.required', { field: t('service.problemsSolved') }),
            },
          ]}
        >
          <TextArea
            rows={3}
            maxLength={500}
            showCount
            autoSize={{ minRows: 3, maxRows: 8 }}
            placeholder={t('service.problemsHint')}
          />
        </Form.Item>
        <Form.Item
          name="ticketNumber"
          label={t('service.ticketNumber')}
          initialValue={r.ticketNumber ?? ''}
          description={t('service.ticketHint')}
        >
          <Input maxLength={20} placeholder={t('service.ticketPlaceholder')} autoComplete="off" />
        </Form.Item>
      </MForm>
    </div>
  );
}
