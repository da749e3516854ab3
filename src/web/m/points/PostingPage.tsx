import {
  Button,
  CapsuleTabs,
  ErrorBlock,
  List,
  NavBar,
  NoticeBar,
  Popup,
  SpinLoading,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { type CSSProperties, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { errorText } from '../../api/client.ts';
import {
  type MyPosting,
  myPosting,
  type ObjectionView,
  objectToPosting,
  type PostingRowView,
  type PostingStatus,
} from '../../api/points-rules.ts';
import { formatDateTime } from '../../ui/format.ts';
import { useLoad } from '../../ui/useLoad.ts';

const TEXT_MAX = 500;
const STATUS_COLOR: Record<PostingStatus, 'primary' | 'success' | 'default'> = {
  objection: 'primary',
  final: 'success',
  archived: 'default',
};
const OBJECTION_COLOR = { open: 'warning', upheld: 'success', dismissed: 'default' } as const;

/** 积分公示: my community's quarterly ranking, my line, a branch, and objections while it is open. */
export function PostingPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const postingId = Number(params.get('id')) || undefined;
  const orgId = Number(params.get('org')) || undefined;
  const loaded = useLoad(() => myPosting({ postingId, orgId }), [postingId, orgId]);
  const [about, setAbout] = useState<PostingRowView | 'whole' | null>(null);
  const go = (next: { id?: number; org?: number }) => {
    const q: Record<string, string> = {};
    if (next.id) q.id = String(next.id);
    if (next.org) q.org = String(next.org);
    setParams(q, { replace: true });
  };

  const data = loaded.data;
  const p = data?.posting;
  return (
    <div className="m-app">
      <NavBar onBack={() => navigate('/points')} backIcon style={{ background: '#fff', '--height': '52px' }}>
        <span style={{ fontSize: 19 }}>{t('pointsMember.postingTitle')}</span>
      </NavBar>
      <div className="m-body">
        {loaded.loading && !data && (
          <div className="m-center">
            <SpinLoading color="primary" />
          </div>
        )}
        {loaded.error && <ErrorBlock status="default" title={loaded.error} description="" />}
        {data && !p && <p className="m-empty-text">{t('pointsMember.noPosting')}</p>}
        {data && p && (
          <>
            <section
              style={{ background: '#fff', borderRadius: 12, padding: '14px 16px', marginBottom: 12 }}
              data-testid="m-posting-head"
            >
              <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
                <strong style={{ fontSize: 19 }}>
                  {t('pointsMember.postingOf', {
                    community: p.community.name,
                    year: p.year,
                    quarter: p.quarter,
                  })}
                </strong>
                <Tag
                  color={STATUS_COLOR[p.status]}
                  style={{ fontSize: 14, padding: '2px 6px', flex: 'none' }}
                >
                  {t(`pointsMember.postingStatus.${p.status}`)}
                </Tag>
              </div>
              <div style={{ fontSize: 15, color: '#666', marginTop: 6 }}>
                {p.open
                  ? t('pointsMember.openUntil', { date: p.objectionUntil })
                  : t('pointsMember.frozenAt', { at: formatDateTime(p.frozenAt) })}
              </div>
            </section>
            {data.mine && <MyLine row={data.mine} members={p.members} />}
            {p.open && (
              <NoticeBar
                content={t('pointsMember.objectHint')}
                color="alert"
                wrap
                style={{ fontSize: 15, marginBottom: 12, '--border-radius': '8px' } as CSSProperties}
              />
            )}
            {p.branches.length > 0 && (
              <section
                style={{ background: '#fff', borderRadius: 12, padding: '4px 4px', marginBottom: 12 }}
                data-testid="m-posting-branches"
                aria-label={t('pointsMember.branch')}
              >
                <CapsuleTabs
                  activeKey={String(orgId ?? 0)}
                  onChange={(k) => go({ id: postingId, org: Number(k) || undefined })}
                >
                  <CapsuleTabs.Tab title={t('pointsMember.wholeCommunity')} key="0" />
                  {p.branches.map((b) => (
                    <CapsuleTabs.Tab title={b.name} key={String(b.id)} />
                  ))}
                </CapsuleTabs>
              </section>
            )}
            <Ranking rows={p.rows} byBranch={!!orgId} open={p.open} onObject={setAbout} />
            {p.open && (
              <Button
                block
                size="large"
                className="m-btn-big"
                style={{ marginTop: 12 }}
                onClick={() => setAbout('whole')}
                data-testid="m-object-whole"
              >
                {t('pointsMember.objectWhole')}
              </Button>
            )}
            {p.objectionList.length > 0 && <MyObjections list={p.objectionList} />}
            <History data={data} current={p.id} onPick={(id) => go({ id })} />
            <ObjectionSheet
              postingId={p.id}
              about={about}
              onClose={() => setAbout(null)}
              onDone={() => {
                setAbout(null);
                loaded.reload();
              }}
            />
          </>
        )}
      </div>
    </div>
  );
}

function MyLine({ row, members }: { row: PostingRowView; members: number }) {
  const { t } = useTranslation();
  return (
    <section className="m-points-card" data-testid="m-posting-mine" style={{ marginBottom: 12 }}>
      <div className="m-points-label">{t('pointsMember.myQuarter')}</div>
      <div className="m-points-balance">{row.points}</div>
      <div className="m-points-sub">
        {t('pointsMember.rankCommunity', { rank: row.communityRank, of: members })}
        {row.branchRank !== null ? ` · ${t('pointsMember.rankBranch', { rank: row.branchRank })}` : ''}
      </div>
    </section>
  );
}

function Ranking({
  rows,
  byBranch,
  open,
  onObject,
}: {
  rows: PostingRowView[];
  byBranch: boolean;
  open: boolean;
  onObject: (r: PostingRowView) => void;
}) {
  const { t } = useTranslation();
  if (rows.length === 0) return <p className="m-empty-text">{t('pointsMember.noRows')}</p>;
  return (
    <List className="m-list" data-testid="m-posting-rows" header={t('pointsMember.ranking')}>
      {rows.map((r) => {
        const rank = byBranch ? r.branchRank : r.communityRank;
        return (
          <List.Item
            key={r.memberId}
            data-testid={r.mine ? 'm-posting-row-mine' : undefined}
            style={r.mine ? { background: '#fff7e6' } : undefined}
            prefix={
              <span
                style={{
                  display: 'inline-block',
                  minWidth: 36,
                  textAlign: 'center',
                  fontSize: 18,
                  fontWeight: 700,
                  color: rank !== null && rank <= 3 ? '#c41d1d' : '#555',
                }}
              >
                {rank}
              </span>
            }
            extra={
              <span style={{ display: 'inline-flex', alignItems: 'center', gap: 10 }}>
                <span style={{ fontSize: 20, fontWeight: 600, color: '#222' }}>{r.points}</span>
                {open && !r.mine && (
                  <Button size="mini" fill="none" color="primary" onClick={() => onObject(r)}>
                    {t('pointsMember.object')}
                  </Button>
                )}
              </span>
            }
          >
            <span style={{ fontSize: 18 }}>
              {r.name}
              {r.mine && (
                <Tag color="warning" style={{ marginLeft: 8, fontSize: 13 }}>
                  {t('pointsMember.me')}
                </Tag>
              )}
            </span>
          </List.Item>
        );
      })}
    </List>
  );
}

function MyObjections({ list }: { list: ObjectionView[] }) {
  const { t } = useTranslation();
  return (
    <List
      className="m-list"
      header={t('pointsMember.myObjections')}
      style={{ marginTop: 12 }}
      data-testid="m-my-objections"
    >
      {list.map((o) => (
        <List.Item
          key={o.id}
          extra={
            <Tag color={OBJECTION_COLOR[o.status]} style={{ fontSize: 14, padding: '2px 6px' }}>
              {t(`pointsMember.objectionStatus.${o.status}`)}
            </Tag>
          }
          description={
            <>
              <div>
                {o.about ? t('pointsMember.aboutLine', { name: o.about.name }) : t('pointsMember.aboutWhole')}{' '}
                · {formatDateTime(o.createdAt)}
              </div>
              {o.reply && (
                <div style={{ marginTop: 6, color: '#222' }}>
                  {t('pointsMember.reply')}
                  {o.reply}
                </div>
              )}
              {o.status === 'upheld' && (
                <div style={{ marginTop: 4, color: '#8c6d1f' }}>{t('pointsMember.upheldNote')}</div>
              )}
            </>
          }
        >
          <span style={{ fontSize: 17 }}>{o.text}</span>
        </List.Item>
      ))}
    </List>
  );
}

function History({
  data,
  current,
  onPick,
}: {
  data: MyPosting;
  current: number;
  onPick: (id: number) => void;
}) {
  const { t } = useTranslation();
  const others = data.history.filter((h) => h.id !== current);
  if (others.length === 0) return null;
  return (
    <List className="m-list" header={t('pointsMember.earlier')} style={{ marginTop: 12 }}>
      {others.map((h) => (
        <List.Item
          key={h.id}
          arrow
          onClick={() => onPick(h.id)}
          extra={t(`pointsMember.postingStatus.${h.status}`)}
        >
          {t('pointsMember.quarterOf', { year: h.year, quarter: h.quarter })}
        </List.Item>
      ))}
    </List>
  );
}

function ObjectionSheet({
  postingId,
  about,
  onClose,
  onDone,
}: {
  postingId: number;
  about: PostingRowView | 'whole' | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const sending = useRef(false);
  const send = async () => {
    if (sending.current || !about) return;
    if (!text.trim()) {
      setError(t('validation.required', { field: t('pointsMember.objectionText') }));
      return;
    }
    sending.current = true;
    setBusy(true);
    setError(null);
    try {
      await objectToPosting(postingId, {
        text: text.trim(),
        aboutMemberId: about === 'whole' ? undefined : about.memberId,
      });
      Toast.show({ icon: 'success', content: t('pointsMember.objected') });
      setText('');
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };
  return (
    <Popup
      visible={about !== null}
      onMaskClick={onClose}
      onClose={onClose}
      bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12 }}
    >
      <div data-testid="m-objection-sheet" style={{ padding: 16 }}>
        <div style={{ fontSize: 19, fontWeight: 600, marginBottom: 8 }}>{t('pointsMember.objectTitle')}</div>
        <div style={{ fontSize: 16, color: '#555', marginBottom: 10 }}>
          {about === 'whole' || about === null
            ? t('pointsMember.aboutWhole')
            : t('pointsMember.aboutLineFull', {
                name: about.name,
                points: about.points,
                rank: about.communityRank,
              })}
        </div>
        <div style={{ background: '#f7f7f7', borderRadius: 8, padding: 8 }}>
          <TextArea
            value={text}
            onChange={setText}
            placeholder={t('pointsMember.objectionHint')}
            maxLength={TEXT_MAX}
            showCount
            autoSize={{ minRows: 3, maxRows: 6 }}
            aria-label={t('pointsMember.objectionText')}
            style={{ '--font-size': '17px' }}
          />
        </div>
        {error && (
          <p role="alert" style={{ color: '#c41d1d', fontSize: 16, margin: '8px 0 0' }}>
            {error}
          </p>
        )}
        <Button
          block
          color="primary"
          size="large"
          className="m-btn-big"
          loading={busy}
          onClick={send}
          style={{ marginTop: 12 }}
          data-testid="m-objection-send"
        >
          {t('pointsMember.sendObjection')}
        </Button>
      </div>
    </Popup>
  );
}
