import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Input, Space, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { listTickets, type TicketStatus, type TicketSummary, type TicketView } from '../../../api/index.ts';
import { useMe } from '../../../ui/session.tsx';
import { canIntake, canSupervise, dueOf, isDepartmentOnly } from '../../../ui/tickets.ts';
import { useCursorList } from '../../../ui/useCursorList.ts';
import { type LiveChange, useTicketsLive } from '../../../ui/useTicketsLive.ts';
import { PagedTable } from '../../LoadMore.tsx';
import { StatusTag, TicketDrawer, useShortTime } from './TicketDrawer.tsx';

const PAGE = 30;
/** Changes arrive in bursts (a whistle to three departments): refetch once they settle. */
const LIVE_PAUSE_MS = 500;
/** Stages, then the deadline queues across stages, then everything. */
const TABS = [
  'submitted',
  'accepted',
  'whistled',
  'inProgress',
  'resolved',
  'confirmed',
  'dueSoon',
  'overdue',
  'extension',
  'all',
] as const;
type Tab = (typeof TABS)[number];
const QUEUES = ['dueSoon', 'overdue', 'extension'] as const;
type Queue = (typeof QUEUES)[number];
const isQueue = (v: Tab): v is Queue => (QUEUES as readonly string[]).includes(v);
const isTab = (v: string | null): v is Tab => (TABS as readonly string[]).includes(v ?? '');

/**
 * 诉求办理: the tickets of my working area or departments, by stage, searchable, newest first;
 * a row opens the ticket in a drawer (?ticket=id, so a link can open it).
 */
export default function TicketsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const fallback: Tab = isDepartmentOnly(me) ? 'whistled' : 'submitted';
  const tabParam = params.get('status');
  const tab: Tab = isTab(tabParam) ? tabParam : fallback;
  const q = params.get('q') ?? '';
  const openId = Number(params.get('ticket')) || null;
  const time = useShortTime();
  // Bumped by the live stream: refetch the list, or the ticket open in the drawer.
  const [listTick, setListTick] = useState(0);
  const [drawerTick, setDrawerTick] = useState(0);
  const live = useLiveRefetch(openId, setListTick, setDrawerTick);

  const list = useCursorList(
    (cursor) =>
      listTickets({
        view: 'work',
        status: tab === 'all' || isQueue(tab) ? undefined : (tab as TicketStatus),
        queue: isQueue(tab) ? tab : undefined,
        q: q || undefined,
        cursor,
        limit: PAGE,
      }),
    [tab, q, listTick],
  );
  const { setItems } = list;

  const setParam = (key: string, value: string | null) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });

  const onChanged = (id: number, next: TicketView | null) =>
    setItems((prev) =>
      next
        ? prev.map((r) => (r.id === id ? { ...r, ...summaryOf(next) } : r))
        : prev.filter((r) => r.id !== id),
    );

  const columns: ColumnsType<TicketSummary> = [
    {
      title: t('ticket.number'),
      dataIndex: 'number',
      width: 190,
      render: (n: string, r) => (
        <Space size={4} wrap>
          <Typography.Link className="gz-mono">{n}</Typography.Link>
          {r.urgent && <Tag color="volcano">{t('ticket.urgent')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('ticket.item'),
      dataIndex: 'itemName',
      render: (name: string | null, r) => (
        <div style={{ minWidth: 0 }}>
          <div>{name ?? <Typography.Text type="secondary">{t('ticket.noItem')}</Typography.Text>}</div>
          <div className="gz-ellipsis gz-secondary" title={r.description}>
            {r.description}
          </div>
        </div>
      ),
    },
    { title: t('ticket.place'), dataIndex: 'placeLabel', width: 220, ellipsis: true },
    {
      title: t('ticket.statusLabel'),
      dataIndex: 'status',
      width: 170,
      render: (s: TicketStatus) => <StatusTag status={s} />,
    },
    { title: t('ticket.createdAt'), dataIndex: 'createdAt', width: 120, render: (v: string) => time(v) },
    {
      title: t('tq.due'),
      key: 'due',
      width: 140,
      render: (_: unknown, r) => {
        const due = dueOf(r);
        if (r.overdue)
          return (
            <Space size={4} orientation="vertical">
              <Tag color="red">{t('ticket.overdue')}</Tag>
              {due && <Typography.Text type="danger">{time(due)}</Typography.Text>}
            </Space>
          );
        return due ? time(due) : '—';
      },
    },
  ];

  return (
    <Card
      title={t('tq.title')}
      extra={
        <Space size={16}>
          <span
            className={live ? 'gz-live gz-live-on' : 'gz-live'}
            data-testid="live-indicator"
            data-connected={live ? 'true' : 'false'}
            title={live ? t('tq.liveOn') : t('tq.liveOff')}
          >
            <span className="gz-live-dot" aria-hidden />
            {t('tq.live')}
          </span>
          {canIntake(me) && (
            <Button
              type="primary"
              icon={<PlusOutlined aria-hidden />}
              onClick={() => navigate('/tickets/new')}
            >
              {t('tq.new')}
            </Button>
          )}
        </Space>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(k) => setParam('status', k === fallback ? null : k)}
        items={TABS.filter((k) => k !== 'extension' || canSupervise(me)).map((k) => ({
          key: k,
          label: t(`tq.tabs.${k}`),
        }))}
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          key={q}
          allowClear
          defaultValue={q}
          placeholder={t('tq.search')}
          aria-label={t('tq.search')}
          onSearch={(v) => setParam('q', v.trim() || null)}
          style={{ width: 300 }}
        />
      </Space>
      <PagedTable<TicketSummary>
        list={list}
        data-testid="ticket-queue"
        columns={columns}
        scroll={{ x: 1000 }}
        rowClassName={(r) => (r.overdue ? 'gz-row-overdue' : '')}
        onRow={(r) => ({ onClick: () => setParam('ticket', String(r.id)), style: { cursor: 'pointer' } })}
      />
      <TicketDrawer
        id={openId}
        refresh={drawerTick}
        onClose={() => setParam('ticket', null)}
        onChanged={onChanged}
      />
    </Card>
  );
}

/**
 * The live stream, debounced: any change refetches the list; a change to the ticket open in the
 * drawer (or a resync) refetches that too. Returns whether the stream is connected.
 */
function useLiveRefetch(
  openId: number | null,
  bumpList: (f: (n: number) => number) => void,
  bumpDrawer: (f: (n: number) => number) => void,
): boolean {
  const openRef = useRef(openId);
  openRef.current = openId;
  const pending = useRef({ timer: undefined as number | undefined, drawer: false });

  useEffect(() => () => window.clearTimeout(pending.current.timer), []);

  return useTicketsLive((c: LiveChange) => {
    const p = pending.current;
    if (c.kind === 'resync' || c.id === openRef.current) p.drawer = true;
    window.clearTimeout(p.timer);
    p.timer = window.setTimeout(() => {
      bumpList((n) => n + 1);
      if (p.drawer && openRef.current !== null) bumpDrawer((n) => n + 1);
      p.drawer = false;
    }, LIVE_PAUSE_MS);
  });
}

function summaryOf(v: TicketView): TicketSummary {
  return {
    id: v.id,
    number: v.number,
    status: v.status,
    channel: v.channel,
    itemName: v.itemName,
    categoryName: v.categoryName,
    description: v.description,
    placeLabel: v.placeLabel,
    urgent: v.urgent,
    private: v.private,
    createdAt: v.createdAt,
    acceptDueAt: v.acceptDueAt,
    resolveDueAt: v.resolveDueAt,
    overdue: v.overdue,
  };
}
