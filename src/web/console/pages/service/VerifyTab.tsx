import { ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Segmented, Space, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listServiceRecords, type RecordStatus, type RecordView } from '../../../api/service-console.ts';
import { useCursorList } from '../../../ui/useCursorList.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { PagedTable } from '../../LoadMore.tsx';
import { hoursText, MethodText, RecordStatusTag, slotText, timeOf } from './parts.tsx';
import { RecordDrawer } from './RecordDrawer.tsx';
import { checkOutMissed, type Decision, decisionLabel, decisionsFor, VerifyDialog } from './verify.tsx';

const PAGE = 50;
type View = 'queue' | Exclude<RecordStatus, 'pending' | 'onDuty'>;

/**
 * 待核定: records waiting for the organiser (those still on post shown too, marked: they have not
 * checked out), each with the fields of the national record, and approve, adjust or decline.
 */
export function VerifyTab() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [view, setView] = useState<View>('queue');
  const [open, setOpen] = useState<number | null>(null);
  const [target, setTarget] = useState<{ record: RecordView; decision: Decision } | null>(null);
  const [tick, setTick] = useState(0);
  const status: RecordStatus = view === 'queue' ? 'pending' : view;
  const list = useCursorList((cursor) => listServiceRecords({ status, cursor, limit: PAGE }), [status, tick]);
  // Members still on post (checked in, not out): few at a time, all of them.
  const onDuty = useLoad(
    () =>
      view === 'queue'
        ? listServiceRecords({ status: 'onDuty', limit: 200 })
        : Promise.resolve({ items: [], nextCursor: null }),
    [view, tick],
  );
  const { setItems } = list;
  const lang = i18n.language;

  const dutyRows = view === 'queue' ? (onDuty.data?.items ?? []) : [];
  const rows = [...list.items, ...dutyRows];
  const replace = (r: RecordView) => {
    const keep = view === 'queue' ? ['pending', 'onDuty'].includes(r.status) : r.status === view;
    setItems((prev) => (keep ? prev.map((x) => (x.id === r.id ? r : x)) : prev.filter((x) => x.id !== r.id)));
    onDuty.setData((prev) =>
      prev
        ? {
            ...prev,
            items: keep
              ? prev.items.map((x) => (x.id === r.id ? r : x))
              : prev.items.filter((x) => x.id !== r.id),
          }
        : prev,
    );
  };

  const columns: ColumnsType<RecordView> = [
    {
      title: t('serviceConsole.record.member'),
      key: 'member',
      width: 100,
      render: (_: unknown, r) => (
        <Space direction="vertical" size={2}>
          <span>{r.member.name}</span>
          <RecordStatusTag status={r.status} />
        </Space>
      ),
    },
    {
      title: t('serviceConsole.record.activity'),
      key: 'activity',
      width: 220,
      render: (_: unknown, r) => (
        <Space direction="vertical" size={0}>
          <Button
            type="link"
            style={{ padding: 0, height: 'auto', fontWeight: 500 }}
            onClick={() => setOpen(r.id)}
          >
            {r.activity}
          </Button>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('serviceConsole.record.placeShort', { place: r.place })}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('serviceConsole.record.recipientsShort', { recipients: r.recipients ?? t('common.none') })}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('serviceConsole.record.date'),
      key: 'date',
      width: 130,
      render: (_: unknown, r) =>
        r.slot ? (
          <Space direction="vertical" size={0} className="gz-mono">
            <span>{r.serviceDate}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {slotText(r.slot, lang).split(' ').slice(1).join(' ')}
            </Typography.Text>
          </Space>
        ) : (
          r.serviceDate
        ),
    },
    {
      title: t('serviceConsole.record.content'),
      dataIndex: 'content',
      ellipsis: { showTitle: false },
      render: (c: string) => (
        <Tooltip title={c} placement="topLeft">
          <span>{c}</span>
        </Tooltip>
      ),
    },
    {
      title: t('serviceConsole.record.recordedMinutes'),
      key: 'minutes',
      width: 120,
      render: (_: unknown, r) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{hoursText(t, r.minutes ?? r.recordedMinutes)}</Typography.Text>
          {(r.checkInAt || r.checkOutAt) && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} className="gz-mono">
              {r.checkInAt ? timeOf(r.checkInAt) : '—'}–{r.checkOutAt ? timeOf(r.checkOutAt) : '?'}
            </Typography.Text>
          )}
          {r.status === 'onDuty' && (
            <Typography.Text type="warning" style={{ fontSize: 12 }}>
              {checkOutMissed(r)
                ? t('serviceConsole.verify.missedOutShort')
                : t('serviceConsole.verify.stillOnShort')}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('serviceConsole.record.methodRecorder'),
      key: 'method',
      width: 110,
      render: (_: unknown, r) => (
        <Space direction="vertical" size={0}>
          <MethodText method={r.method} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.recordedBy ?? '—'}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 240,
      fixed: 'right',
      render: (_: unknown, r) => (
        <Space size={0} wrap>
          {decisionsFor(r).map((d) => (
            <Button
              key={d}
              type="link"
              size="small"
              danger={d === 'decline'}
              onClick={() => setTarget({ record: r, decision: d })}
              data-testid={`service-verify-${d}-${r.id}`}
            >
              {decisionLabel(t, d, r)}
            </Button>
          ))}
          <Button
            type="link"
            size="small"
            onClick={() => setOpen(r.id)}
            data-testid={`service-record-open-${r.id}`}
          >
            {t('serviceConsole.verify.details')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <>
      <Typography.Paragraph type="secondary">{t('serviceConsole.verify.intro')}</Typography.Paragraph>
      <Space style={{ marginBottom: 12, justifyContent: 'space-between', width: '100%' }} wrap>
        <Segmented<View>
          value={view}
          onChange={setView}
          data-testid="service-verify-view"
          options={[
            { value: 'queue', label: t('serviceConsole.verify.queue') },
            { value: 'approved', label: t('serviceConsole.recordStatus.approved') },
            { value: 'declined', label: t('serviceConsole.recordStatus.declined') },
          ]}
        />
        <Button icon={<ReloadOutlined aria-hidden />} onClick={() => setTick((n) => n + 1)}>
          {t('common.refresh')}
        </Button>
      </Space>
      {dutyRows.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('serviceConsole.verify.onDutyCount', { n: dutyRows.length })}
          description={t('serviceConsole.verify.onDutyHint')}
        />
      )}
      {onDuty.error && <Alert type="error" showIcon title={onDuty.error} style={{ marginBottom: 12 }} />}
      <PagedTable<RecordView>
        list={{ ...list, items: rows }}
        data-testid="service-verify-table"
        columns={columns}
        scroll={{ x: 1080 }}
        rowClassName={(r) => (r.status === 'onDuty' ? 'gz-svc-row-duty' : '')}
        locale={{
          emptyText: view === 'queue' ? t('serviceConsole.verify.empty') : t('common.empty'),
        }}
      />

      <RecordDrawer id={open} onClose={() => setOpen(null)} onChanged={replace} />

      <VerifyDialog
        record={target?.record ?? null}
        decision={target?.decision ?? null}
        onClose={() => setTarget(null)}
        onRefreshed={(fresh) => {
          replace(fresh);
          setTarget((x) => (x ? { ...x, record: fresh } : x));
        }}
        onDone={(next, d) => {
          setTarget(null);
          replace(next);
          message.success(t(`serviceConsole.verify.done.${d}`, { points: next.points }));
        }}
      />
    </>
  );
}
