import { PlusOutlined, QrcodeOutlined, TeamOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Descriptions,
  Drawer,
  Popconfirm,
  Progress,
  Result,
  Space,
  Spin,
  Table,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CHECK_OUT_LATE_MINUTES } from '../../../../contracts/service-states.ts';
import { errorText } from '../../../api/client.ts';
import {
  addServiceSlots,
  cancelServiceSlot,
  closeServicePost,
  getServicePost,
  type PostView,
  type SlotView,
} from '../../../api/service-console.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { FormModal } from '../../forms.tsx';
import { ReasonField } from '../party/parts.tsx';
import {
  hoursText,
  KindTag,
  PostStatusTag,
  SlotPhaseTag,
  SlotsFields,
  type SlotsValues,
  slotMinutes,
  slotPhase,
  slotsOf,
  slotText,
  withSlotErrors,
} from './parts.tsx';
import { RosterDrawer } from './RosterDrawer.tsx';

/** A post as its organiser manages it: what it is, its slots (places taken, the line), and the actions. */
export function PostDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: number | null;
  onClose: () => void;
  onChanged: (p: PostView) => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const loaded = useLoad(() => (id ? getServicePost(id) : Promise.resolve(undefined)), [id]);
  const [adding, setAdding] = useState(false);
  const [cancelling, setCancelling] = useState<SlotView | null>(null);
  const [roster, setRoster] = useState<number | null>(null);
  const p = loaded.data;
  const lang = i18n.language;

  const changed = (next: PostView, note = t('common.saved')) => {
    loaded.setData(next);
    onChanged(next);
    message.success(note);
  };

  const columns: ColumnsType<SlotView> = [
    {
      title: t('serviceConsole.slot.time'),
      key: 'time',
      render: (_: unknown, s) => (
        <Space direction="vertical" size={0}>
          <span className="gz-mono">{slotText(s, lang)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {hoursText(t, slotMinutes(s))}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('serviceConsole.slot.claimed'),
      key: 'claimed',
      width: 150,
      render: (_: unknown, s) =>
        s.status === 'cancelled' ? (
          '—'
        ) : (
          <Tooltip title={t('serviceConsole.slot.claimedOf', { claimed: s.claimed, capacity: s.capacity })}>
            <Progress
              percent={Math.round((s.claimed / s.capacity) * 100)}
              size="small"
              format={() => `${s.claimed}/${s.capacity}`}
              status={s.claimed >= s.capacity ? 'success' : 'normal'}
            />
          </Tooltip>
        ),
    },
    {
      title: t('serviceConsole.slot.waiting'),
      dataIndex: 'waitlisted',
      width: 80,
      render: (n: number) => (n ? <Typography.Text type="warning">{n}</Typography.Text> : 0),
    },
    {
      title: t('serviceConsole.slot.status'),
      key: 'status',
      width: 90,
      render: (_: unknown, s) => <SlotPhaseTag slot={s} />,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 300,
      render: (_: unknown, s) => (
        <Space size={0} wrap>
          <Button
            type="link"
            size="small"
            icon={<TeamOutlined aria-hidden />}
            onClick={() => setRoster(s.id)}
            data-testid={`service-slot-roster-${s.id}`}
          >
            {t('serviceConsole.slot.roster')}
          </Button>
          {s.status === 'open' && Date.parse(s.endsAt) + CHECK_OUT_LATE_MINUTES * 60_000 > Date.now() && (
            <Button
              type="link"
              size="small"
              icon={<QrcodeOutlined aria-hidden />}
              href={`/console/service/slots/${s.id}/qr`}
              target="_blank"
              data-testid={`service-slot-qr-${s.id}`}
            >
              {t('serviceConsole.slot.qr')}
            </Button>
          )}
          {s.status === 'open' && p?.status === 'open' && slotPhase(s) === 'upcoming' && (
            <Button
              type="link"
              size="small"
              danger
              onClick={() => setCancelling(s)}
              data-testid={`service-slot-cancel-${s.id}`}
            >
              {t('serviceConsole.slot.cancel')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      width={880}
      title={p ? p.title : t('serviceConsole.post.drawer')}
      destroyOnHidden
      data-testid="service-post-drawer"
      extra={
        p?.status === 'open' && (
          <Space>
            <Button
              type="primary"
              icon={<PlusOutlined aria-hidden />}
              onClick={() => setAdding(true)}
              data-testid="service-post-add-slots"
            >
              {t('serviceConsole.post.addSlots')}
            </Button>
            <Popconfirm
              title={t('serviceConsole.post.closeConfirm')}
              description={t('serviceConsole.post.closeHint')}
              okText={t('serviceConsole.post.close')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={async () => {
                try {
                  changed(await closeServicePost(p.id), t('serviceConsole.post.closed'));
                } catch (e) {
                  message.error(errorText(e));
                }
              }}
            >
              <Button danger data-testid="service-post-close">
                {t('serviceConsole.post.close')}
              </Button>
            </Popconfirm>
          </Space>
        )
      }
    >
      {loaded.loading && !p && <Spin />}
      {loaded.error && <Result status="warning" title={loaded.error} />}
      {p && (
        <>
          <Descriptions
            column={2}
            size="small"
            bordered
            data-testid="service-post-detail"
            items={[
              {
                key: 'kind',
                label: t('serviceConsole.post.kind'),
                children: (
                  <Space>
                    <KindTag kind={p.kind} />
                    <PostStatusTag status={p.status} />
                  </Space>
                ),
              },
              {
                key: 'scope',
                label: t('serviceConsole.post.scope'),
                children: p.compound ? `${p.community.name} · ${p.compound.name}` : p.community.name,
              },
              { key: 'place', label: t('serviceConsole.post.place'), children: p.place },
              {
                key: 'recipients',
                label: t('serviceConsole.post.recipients'),
                children: p.recipients ?? t('common.none'),
              },
              {
                key: 'content',
                label: t('serviceConsole.post.content'),
                span: 2,
                children: <div style={{ whiteSpace: 'pre-wrap' }}>{p.content}</div>,
              },
              {
                key: 'skills',
                label: t('serviceConsole.post.skills'),
                children: p.skills.join('、') || t('serviceConsole.post.anySkills'),
              },
              {
                key: 'points',
                label: t('serviceConsole.post.pointsPerHour'),
                children: t('serviceConsole.pointsPerHourValue', { n: p.pointsPerHour }),
              },
              {
                key: 'cancel',
                label: t('serviceConsole.post.cancelHours'),
                span: 2,
                children: t('serviceConsole.post.cancelHoursValue', { hours: p.cancelHours }),
              },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 20 }}>
            {t('serviceConsole.post.slots')}
          </Typography.Title>
          <Table<SlotView>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={p.slots}
            columns={columns}
            data-testid="service-slots-table"
            rowClassName={(s) => (s.status === 'cancelled' ? 'gz-svc-row-off' : '')}
          />
          {p.status === 'closed' && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
              {t('serviceConsole.post.closedHint')}
            </Typography.Paragraph>
          )}

          <FormModal<SlotsValues>
            open={adding}
            name="service-add-slots"
            title={t('serviceConsole.post.addSlots')}
            width={680}
            initialValues={{ slots: [{ capacity: p.slots.at(-1)?.capacity ?? 5 }] }}
            fields={[]}
            onCancel={() => setAdding(false)}
            onSubmit={async (v, form) => {
              const next = await withSlotErrors(t, form, () => addServiceSlots(p.id, slotsOf(v.slots)));
              setAdding(false);
              changed(next);
            }}
          >
            {(form) => (
              <>
                <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                  {t('serviceConsole.post.slotsHint')}
                </Typography.Paragraph>
                <SlotsFields form={form} />
              </>
            )}
          </FormModal>

          <FormModal<{ reason: string }>
            open={cancelling !== null}
            name="service-cancel-slot"
            title={t('serviceConsole.slot.cancelTitle', {
              slot: cancelling ? slotText(cancelling, lang) : '',
            })}
            fields={['reason']}
            onCancel={() => setCancelling(null)}
            onSubmit={async (v) => {
              const next = await cancelServiceSlot((cancelling as SlotView).id, v.reason.trim());
              setCancelling(null);
              changed(next, t('serviceConsole.slot.cancelled'));
            }}
          >
            {cancelling && cancelling.claimed + cancelling.waitlisted > 0 && (
              <Typography.Paragraph type="warning">
                {t('serviceConsole.slot.cancelWarn', { n: cancelling.claimed + cancelling.waitlisted })}
              </Typography.Paragraph>
            )}
            <ReasonField extra={t('serviceConsole.slot.cancelReasonHint')} />
          </FormModal>

          <RosterDrawer
            slotId={roster}
            post={p}
            onClose={() => {
              setRoster(null);
              loaded.reload();
            }}
          />
        </>
      )}
    </Drawer>
  );
}
