import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Image,
  Rate,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type DispatchView,
  getTicket,
  revealTicketContact,
  type TicketActionKind,
  type TicketStatus,
  type TicketView,
  ticketPhotoUrl,
} from '../../../api/index.ts';
import { formatShort } from '../../../ui/format.ts';
import { eventLabel, STATUS_TONE, statusLabel, type Tone, whistledDepartments } from '../../../ui/tickets.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { ActionModal } from './ActionModal.tsx';

const TONE_COLOR: Record<Tone, string> = {
  attention: 'orange',
  working: 'blue',
  waiting: 'purple',
  done: 'green',
  ended: 'default',
};

export function StatusTag({ status, testId }: { status: TicketStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={TONE_COLOR[STATUS_TONE[status]]} data-testid={testId} data-status={status}>
      {statusLabel(t, status)}
    </Tag>
  );
}

export function useShortTime() {
  const { i18n } = useTranslation();
  return (iso: string | null | undefined) => formatShort(iso, i18n.language);
}

/** Forward moves first and highlighted; refusals last. */
const ORDER: TicketActionKind[] = [
  'accept',
  'checkIn',
  'whistle',
  'handleSelf',
  'update',
  'resolve',
  'confirm',
  'rate',
  'sendBack',
  'return',
  'transfer',
  'refer',
  'merge',
  'reject',
  'supervise',
];
const PRIMARY = new Set<TicketActionKind>(['accept', 'checkIn', 'whistle', 'resolve', 'confirm', 'rate']);
const DANGER = new Set<TicketActionKind>(['reject']);

/**
 * One ticket for staff: its action buttons (exactly `can.actions`), details, photos, departments
 * and the full timeline (internal steps marked). After a move, shows the result and tells the list.
 */
export function TicketDrawer({
  id,
  refresh = 0,
  onClose,
  onChanged,
}: {
  id: number | null;
  /** Bumped to refetch the ticket (it changed elsewhere). */
  refresh?: number;
  onClose: () => void;
  /** The ticket after a move; null when it left the viewer's sight. */
  onChanged: (id: number, next: TicketView | null) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const ticket = useLoad(() => (id ? getTicket(id) : Promise.resolve(undefined)), [id, refresh]);
  const [acting, setActing] = useState<TicketActionKind | null>(null);
  const x = ticket.data?.id === id ? ticket.data : undefined;

  const actions = x ? ORDER.filter((k) => x.can.actions.includes(k)) : [];

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={800}
      destroyOnHidden
      loading={ticket.loading && !x}
      title={
        x ? (
          <Space>
            <span>{x.number}</span>
            <StatusTag status={x.status} />
          </Space>
        ) : (
          t('tq.detail')
        )
      }
    >
      <div data-testid="ticket-drawer">
        {ticket.error && <Alert type="error" showIcon title={ticket.error} />}
        {x && (
          <Space orientation="vertical" size={20} style={{ width: '100%' }}>
            {actions.length > 0 ? (
              <Flex wrap gap={8} className="gz-ticket-actions">
                {actions.map((k) => (
                  <Button
                    key={k}
                    type={PRIMARY.has(k) ? 'primary' : 'default'}
                    danger={DANGER.has(k)}
                    data-testid={`action-${k}`}
                    onClick={() => setActing(k)}
                  >
                    {t(`ticket.action.${k}`)}
                  </Button>
                ))}
              </Flex>
            ) : (
              <Typography.Text type="secondary">{t('tq.noActions')}</Typography.Text>
            )}
            <Details ticket={x} />
            <Dispatches ticket={x} />
            <div>
              <Typography.Title level={5}>{t('ticket.timeline')}</Typography.Title>
              <TicketTimeline ticket={x} />
            </div>
            <ActionModal
              ticket={x}
              kind={acting}
              onClose={() => setActing(null)}
              onDone={(kind, next) => {
                setActing(null);
                onChanged(x.id, next);
                if (next) {
                  ticket.setData(next);
                  message.success(t('tq.done', { action: t(`ticket.action.${kind}`) }));
                } else {
                  message.success(t('tq.left'));
                  onClose();
                }
              }}
            />
          </Space>
        )}
      </div>
    </Drawer>
  );
}

function Details({ ticket: x }: { ticket: TicketView }) {
  // The caller's unmasked contact, for the follow-up call; each view is audited by the server.
  const [contact, setContact] = useState<{ id: number; name: string | null; phone: string | null } | null>(
    null,
  );
  const { message } = App.useApp();
  const { t } = useTranslation();
  const time = useShortTime();
  const overdue = (iso: string | null) =>
    iso ? <Typography.Text type={x.overdue ? 'danger' : undefined}>{time(iso)}</Typography.Text> : '—';
  return (
    <>
      <Descriptions
        column={2}
        size="small"
        bordered
        items={[
          {
            key: 'number',
            label: t('ticket.number'),
            children: <span data-testid="ticket-number">{x.number}</span>,
          },
          {
            key: 'status',
            label: t('ticket.statusLabel'),
            children: (
              <Space size={4} wrap>
                <StatusTag status={x.status} testId="ticket-status" />
                {x.overdue && <Tag color="red">{t('ticket.overdue')}</Tag>}
                {x.urgent && <Tag color="volcano">{t('ticket.urgent')}</Tag>}
                {x.private && <Tag>{t('ticket.private')}</Tag>}
              </Space>
            ),
          },
          {
            key: 'item',
            label: t('ticket.item'),
            span: 2,
            children: x.itemName ? (
              <span>
                {x.itemName}
                <Typography.Text type="secondary">
                  {' '}
                  · {x.categoryName}
                  {x.handlerLevel ? ` · ${t(`ticket.level.${x.handlerLevel}`)}` : ''}
                </Typography.Text>
              </span>
            ) : (
              <Typography.Text type="secondary">{t('ticket.noItem')}</Typography.Text>
            ),
          },
          { key: 'place', label: t('ticket.place'), span: 2, children: x.placeLabel || '—' },
          { key: 'channel', label: t('ticket.channel'), children: t(`ticket.channelName.${x.channel}`) },
          { key: 'created', label: t('ticket.createdAt'), children: time(x.createdAt) },
          {
            key: 'contact',
            label: t('ticket.contact'),
            children: (contact?.id === x.id ? contact.name : x.contactName) ?? '—',
          },
          {
            key: 'phone',
            label: t('ticket.contactPhone'),
            children: (
              <span>
                {(contact?.id === x.id ? contact.phone : x.contactPhone) ?? '—'}
                {x.contactPhone && contact?.id !== x.id && x.can.actions.length > 0 && (
                  <Button
                    type="link"
                    size="small"
                    data-testid="reveal-contact"
                    title={t('users.revealTitle')}
                    onClick={async () => {
                      const r = await revealTicketContact(x.id);
                      setContact({ id: x.id, name: r.contactName, phone: r.contactPhone });
                      void message.info(t('users.revealRecorded'));
                    }}
                  >
                    {t('users.reveal')}
                  </Button>
                )}
              </span>
            ),
          },
          {
            key: 'acceptDue',
            label: t('ticket.acceptDue'),
            children: overdue(x.status === 'submitted' ? x.acceptDueAt : null),
          },
          {
            key: 'resolveDue',
            label: t('ticket.resolveDue'),
            children: (
              <>
                {overdue(x.resolveDueAt)}
                {x.extension && (
                  <Tag
                    color={
                      x.extension === 'refused' ? 'default' : x.extension === 'granted' ? 'blue' : 'orange'
                    }
                    style={{ marginInlineStart: 8 }}
                    data-testid="extension-status"
                  >
                    {t(`tq.extensionStatus.${x.extension}`)}
                  </Tag>
                )}
              </>
            ),
          },
          ...(x.reopenCount > 0
            ? [{ key: 'reopen', label: t('ticket.reopenCount'), children: x.reopenCount }]
            : []),
          ...(x.rating !== null
            ? [
                {
                  key: 'rating',
                  label: t('ticket.rating'),
                  children: (
                    <Space>
                      <Rate disabled value={x.rating} style={{ fontSize: 14 }} />
                      {x.outcome && t(`ticket.outcome.${x.outcome}`)}
                    </Space>
                  ),
                },
              ]
            : []),
          ...(x.mergedIntoNumber
            ? [{ key: 'merged', label: t('ticket.mergedInto'), children: x.mergedIntoNumber }]
            : []),
        ]}
      />
      <div>
        <Typography.Title level={5}>{t('ticket.description')}</Typography.Title>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', fontSize: 15 }}>
          {x.description}
        </Typography.Paragraph>
        <Photos ticketId={x.id} photoIds={x.photoIds} size={104} />
      </div>
    </>
  );
}

function Photos({ ticketId, photoIds, size }: { ticketId: number; photoIds: number[]; size: number }) {
  const { t } = useTranslation();
  if (photoIds.length === 0) return null;
  return (
    <Image.PreviewGroup>
      <Space wrap size={8}>
        {photoIds.map((p, i) => (
          <Image
            key={p}
            width={size}
            height={size}
            style={{ objectFit: 'cover', borderRadius: 6 }}
            src={ticketPhotoUrl(ticketId, p, 'thumb')}
            preview={{ src: ticketPhotoUrl(ticketId, p, 'full') }}
            alt={`${t('ticket.photos')} ${i + 1}`}
          />
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}

function Dispatches({ ticket: x }: { ticket: TicketView }) {
  const { t } = useTranslation();
  const time = useShortTime();
  const now = Date.now();
  const columns: ColumnsType<DispatchView> = [
    {
      title: t('ticket.department'),
      dataIndex: 'departmentName',
      render: (name: string, d) => (
        <Space size={4}>
          {name}
          {d.urgent && <Tag color="volcano">{t('ticket.urgent')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('tq.dispatchStatus'),
      dataIndex: 'status',
      width: 100,
      render: (s: DispatchView['status']) => (
        <Tag
          color={s === 'pending' ? 'orange' : s === 'checkedIn' ? 'blue' : s === 'done' ? 'green' : 'default'}
        >
          {t(`ticket.dispatch.${s}`)}
        </Tag>
      ),
    },
    { title: t('tq.whistledAt'), dataIndex: 'whistledAt', width: 120, render: (v: string) => time(v) },
    {
      title: t('tq.checkInDue'),
      dataIndex: 'checkInDueAt',
      width: 120,
      render: (v: string, d) => {
        const late = d.status === 'pending' && new Date(v).getTime() < now;
        return <Typography.Text type={late ? 'danger' : undefined}>{time(v)}</Typography.Text>;
      },
    },
    {
      title: t('tq.checkedInAt'),
      dataIndex: 'checkedInAt',
      width: 120,
      render: (v: string | null) => time(v) || '—',
    },
    { title: t('tq.doneAt'), dataIndex: 'doneAt', width: 120, render: (v: string | null) => time(v) || '—' },
  ];
  return (
    <div>
      <Typography.Title level={5}>{t('tq.dispatches')}</Typography.Title>
      {x.dispatches.length === 0 ? (
        <Typography.Text type="secondary">{t('tq.noDispatches')}</Typography.Text>
      ) : (
        <Table<DispatchView>
          data-testid="ticket-dispatches"
          rowKey="departmentId"
          size="small"
          columns={columns}
          dataSource={x.dispatches}
          pagination={false}
          scroll={{ x: 700 }}
        />
      )}
    </div>
  );
}

function TicketTimeline({ ticket: x }: { ticket: TicketView }) {
  const { t } = useTranslation();
  const time = useShortTime();
  if (x.events.length === 0) return <Empty description={t('ticket.noTimeline')} />;
  return (
    <div data-testid="ticket-timeline">
      <Timeline
        items={[...x.events].reverse().map((e, i) => {
          const depts = e.departmentName ? [e.departmentName] : whistledDepartments(e, x.dispatches);
          return {
            key: e.id,
            color: i === 0 ? 'red' : e.public ? 'blue' : 'gray',
            content: (
              <div data-kind={e.kind}>
                <Space size={8} wrap>
                  <Typography.Text strong>{eventLabel(t, e)}</Typography.Text>
                  {!e.public && <Tag>{t('ticket.internal')}</Tag>}
                  <Typography.Text type="secondary">{time(e.at)}</Typography.Text>
                </Space>
                {(depts.length > 0 || e.actorName) && (
                  <div>
                    <Typography.Text type="secondary">
                      {[depts.join('、'), e.actorName].filter(Boolean).join(' · ')}
                    </Typography.Text>
                  </div>
                )}
                {e.note && (
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0 0' }}>
                    {e.note}
                  </Typography.Paragraph>
                )}
                {e.kind !== 'submit' && e.photoIds.length > 0 && (
                  <div style={{ marginTop: 6 }}>
                    <Photos ticketId={x.id} photoIds={e.photoIds} size={64} />
                  </div>
                )}
              </div>
            ),
          };
        })}
      />
    </div>
  );
}
