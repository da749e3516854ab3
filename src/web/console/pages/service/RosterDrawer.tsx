import { EditOutlined, PrinterOutlined, QrcodeOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Col,
  Drawer,
  Form,
  Input,
  InputNumber,
  Result,
  Row,
  Space,
  Spin,
  Statistic,
  Table,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CHECK_OUT_LATE_MINUTES } from '../../../../contracts/service-states.ts';
import {
  createHourCodes,
  enterServiceRecord,
  type PostView,
  type RosterEntry,
  slotHourCodes,
  slotRoster,
} from '../../../api/service-console.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { FormModal } from '../../forms.tsx';
import {
  ClaimText,
  hoursText,
  MemberPicker,
  MethodText,
  RecordStatusTag,
  slotMinutes,
  slotPhase,
  slotText,
  timeOf,
} from './parts.tsx';
import { RecordDrawer } from './RecordDrawer.tsx';

/** How often the roster refreshes itself while open (people check in on their phones meanwhile). */
const POLL_MS = 10_000;

const order = (e: RosterEntry) =>
  e.claim === 'claimed' ? 0 : e.claim === null ? 1 : 2 + (e.position ?? 0) / 10_000;

/** Who is on a slot: places, the line, check-in and check-out, and the organiser's tools for it. */
export function RosterDrawer({
  slotId,
  post,
  onClose,
}: {
  slotId: number | null;
  post: PostView;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const loaded = useLoad(() => (slotId ? slotRoster(slotId) : Promise.resolve(undefined)), [slotId]);
  const codes = useLoad(() => (slotId ? slotHourCodes(slotId) : Promise.resolve(undefined)), [slotId]);
  const [dialog, setDialog] = useState<'enter' | 'codes' | null>(null);
  const [record, setRecord] = useState<number | null>(null);
  const [printUrl, setPrintUrl] = useState<string | null>(null);
  const r = loaded.data;
  const { setData } = loaded;

  // Quietly keep the list current while it is open: no spinner, the last good list stays on error.
  useEffect(() => {
    if (!slotId) return;
    const h = window.setInterval(() => {
      if (document.hidden) return;
      slotRoster(slotId)
        .then((next) => setData(next))
        .catch(() => undefined);
    }, POLL_MS);
    return () => window.clearInterval(h);
  }, [slotId, setData]);

  useEffect(() => {
    if (slotId === null) setPrintUrl(null);
  }, [slotId]);

  const entries = [...(r?.entries ?? [])].sort((a, b) => order(a) - order(b));
  const inCount = entries.filter((e) => e.record).length;
  const outCount = entries.filter((e) => e.record && e.record.status !== 'onDuty').length;
  const started = r ? slotPhase(r.slot) !== 'upcoming' : false;
  const length = r ? slotMinutes(r.slot) : 0;
  // Scanning is over an hour after the end (contracts: CHECK_OUT_LATE_MINUTES): no QR to show then.
  const scanOpen = r ? Date.parse(r.slot.endsAt) + CHECK_OUT_LATE_MINUTES * 60_000 > Date.now() : false;
  const usedCodes = (codes.data ?? []).filter((c) => c.used).length;

  const columns: ColumnsType<RosterEntry> = [
    { title: t('serviceConsole.roster.name'), dataIndex: 'name', width: 110 },
    {
      title: t('serviceConsole.roster.claim'),
      key: 'claim',
      width: 120,
      render: (_: unknown, e) => <ClaimText e={e} />,
    },
    {
      title: t('serviceConsole.roster.checkIn'),
      key: 'in',
      width: 80,
      render: (_: unknown, e) =>
        e.record?.checkInAt ? <span className="gz-mono">{timeOf(e.record.checkInAt)}</span> : '—',
    },
    {
      title: t('serviceConsole.roster.checkOut'),
      key: 'out',
      width: 80,
      render: (_: unknown, e) =>
        e.record?.checkOutAt ? <span className="gz-mono">{timeOf(e.record.checkOutAt)}</span> : '—',
    },
    {
      title: t('serviceConsole.roster.minutes'),
      key: 'minutes',
      width: 100,
      render: (_: unknown, e) => hoursText(t, e.record?.recordedMinutes),
    },
    {
      title: t('serviceConsole.roster.method'),
      key: 'method',
      width: 100,
      render: (_: unknown, e) => (e.record ? <MethodText method={e.record.method} /> : '—'),
    },
    {
      title: t('serviceConsole.roster.record'),
      key: 'record',
      render: (_: unknown, e) =>
        e.record ? (
          <Button
            type="link"
            size="small"
            style={{ padding: 0 }}
            onClick={() => setRecord(e.record?.id ?? null)}
            data-testid={`service-roster-record-${e.record.id}`}
          >
            <RecordStatusTag status={e.record.status} />
          </Button>
        ) : e.claim === 'claimed' && started ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('serviceConsole.roster.notYet')}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <Drawer
      open={slotId !== null}
      onClose={onClose}
      width={860}
      title={r ? `${r.post.title} · ${slotText(r.slot, i18n.language)}` : t('serviceConsole.roster.title')}
      destroyOnHidden
      data-testid="service-roster-drawer"
      extra={
        <Button
          icon={<ReloadOutlined aria-hidden />}
          onClick={() => {
            loaded.reload();
            codes.reload();
          }}
        >
          {t('common.refresh')}
        </Button>
      }
    >
      {loaded.loading && !r && <Spin />}
      {loaded.error && <Result status="warning" title={loaded.error} />}
      {r && (
        <>
          <Row gutter={12} style={{ marginBottom: 16 }} data-testid="service-roster-stats">
            <Col span={6}>
              <Statistic
                title={t('serviceConsole.roster.places')}
                value={r.slot.claimed}
                suffix={`/ ${r.slot.capacity}`}
              />
            </Col>
            <Col span={6}>
              <Statistic title={t('serviceConsole.roster.waiting')} value={r.slot.waitlisted} />
            </Col>
            <Col span={6}>
              <Statistic title={t('serviceConsole.roster.checkedIn')} value={inCount} />
            </Col>
            <Col span={6}>
              <Statistic title={t('serviceConsole.roster.recorded')} value={outCount} />
            </Col>
          </Row>
          {r.slot.status === 'cancelled' ? (
            <Alert
              type="warning"
              showIcon
              title={t('serviceConsole.roster.cancelledSlot')}
              style={{ marginBottom: 12 }}
            />
          ) : (
            <Space wrap style={{ marginBottom: 12 }}>
              {scanOpen && (
                <Button
                  type="primary"
                  icon={<QrcodeOutlined aria-hidden />}
                  href={`/console/service/slots/${r.slot.id}/qr`}
                  target="_blank"
                  data-testid="service-roster-qr"
                >
                  {t('serviceConsole.slot.qr')}
                </Button>
              )}
              <Button
                icon={<PrinterOutlined aria-hidden />}
                onClick={() => setDialog('codes')}
                data-testid="service-roster-print-codes"
              >
                {t('serviceConsole.codes.print')}
              </Button>
              <Tooltip title={started ? undefined : t('serviceConsole.enter.notStarted')}>
                <Button
                  icon={<EditOutlined aria-hidden />}
                  disabled={!started}
                  onClick={() => setDialog('enter')}
                  data-testid="service-roster-enter"
                >
                  {t('serviceConsole.enter.title')}
                </Button>
              </Tooltip>
            </Space>
          )}
          {printUrl && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('serviceConsole.codes.popupBlocked')}
              action={
                <Button size="small" type="primary" href={printUrl} target="_blank">
                  {t('serviceConsole.codes.openPrint')}
                </Button>
              }
              closable={{ onClose: () => setPrintUrl(null) }}
            />
          )}
          {(codes.data?.length ?? 0) > 0 && (
            <Typography.Paragraph
              type="secondary"
              style={{ fontSize: 12 }}
              data-testid="service-roster-codes"
            >
              {t('serviceConsole.codes.summary', { total: codes.data?.length ?? 0, used: usedCodes })}{' '}
              <Typography.Link href={`/console/service/slots/${r.slot.id}/codes`} target="_blank">
                {t('serviceConsole.codes.reprint')}
              </Typography.Link>
            </Typography.Paragraph>
          )}
          <Table<RosterEntry>
            rowKey={(e) => `${e.memberId}-${e.claimId ?? 'r'}`}
            size="small"
            pagination={false}
            dataSource={entries}
            columns={columns}
            data-testid="service-roster-table"
            locale={{ emptyText: t('serviceConsole.roster.empty') }}
          />
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
            {t('serviceConsole.roster.hint')}
          </Typography.Paragraph>

          <FormModal<{ memberId: number; minutes: number; note?: string }>
            open={dialog === 'enter'}
            name="service-enter"
            title={t('serviceConsole.enter.title')}
            width={560}
            initialValues={{ minutes: length }}
            fields={['memberId', 'minutes', 'note']}
            onCancel={() => setDialog(null)}
            onSubmit={async (v) => {
              await enterServiceRecord(r.slot.id, {
                memberId: v.memberId,
                minutes: v.minutes,
                note: v.note?.trim() || undefined,
              });
              setDialog(null);
              message.success(t('serviceConsole.enter.done'));
              loaded.reload();
            }}
          >
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('serviceConsole.enter.intro')}
            </Typography.Paragraph>
            <Form.Item
              name="memberId"
              label={t('serviceConsole.enter.member')}
              rules={[
                {
                  required: true,
                  message: t('validation.select', { field: t('serviceConsole.enter.member') }),
                },
              ]}
            >
              <MemberPicker
                compoundId={post.compound?.id}
                claimed={entries
                  .filter((e) => e.claim !== null && !e.record)
                  .map((e) => ({
                    memberId: e.memberId,
                    name:
                      e.claim === 'waitlisted'
                        ? `${e.name} · ${t('serviceConsole.claim.waitlisted', { n: e.position ?? '?' })}`
                        : e.name,
                  }))}
                recorded={entries.flatMap((e) => (e.record ? [e.memberId] : []))}
              />
            </Form.Item>
            <Form.Item
              name="minutes"
              label={t('serviceConsole.enter.minutes')}
              extra={t('serviceConsole.enter.minutesHint', { max: length, hours: hoursText(t, length) })}
              rules={[
                {
                  required: true,
                  message: t('validation.required', { field: t('serviceConsole.enter.minutes') }),
                },
                // Said, not silently cut down to the slot's length.
                {
                  type: 'number',
                  min: 1,
                  max: length,
                  message: t('serviceConsole.minutesRange', { min: 1, max: length }),
                },
              ]}
            >
              <InputNumber
                precision={0}
                suffix={t('serviceConsole.minutesUnit')}
                style={{ width: 200 }}
                data-testid="service-enter-minutes"
              />
            </Form.Item>
            <Form.Item name="note" label={t('serviceConsole.enter.note')}>
              <Input.TextArea rows={2} maxLength={500} placeholder={t('serviceConsole.enter.noteHint')} />
            </Form.Item>
          </FormModal>

          <FormModal<{ count: number }>
            open={dialog === 'codes'}
            name="service-codes"
            title={t('serviceConsole.codes.print')}
            initialValues={{ count: Math.max(1, Math.min(200, r.slot.capacity)) }}
            fields={['count']}
            onCancel={() => setDialog(null)}
            onSubmit={async (v) => {
              await createHourCodes(r.slot.id, v.count);
              setDialog(null);
              codes.reload();
              const url = `/console/service/slots/${r.slot.id}/codes?last=${v.count}`;
              const w = window.open(url, '_blank');
              if (!w) setPrintUrl(url);
              message.success(t('serviceConsole.codes.made', { n: v.count }));
            }}
          >
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('serviceConsole.codes.intro')}
            </Typography.Paragraph>
            <Form.Item
              name="count"
              label={t('serviceConsole.codes.count')}
              rules={[
                {
                  required: true,
                  message: t('validation.required', { field: t('serviceConsole.codes.count') }),
                },
              ]}
            >
              <InputNumber
                min={1}
                max={200}
                precision={0}
                suffix={t('serviceConsole.codes.unit')}
                style={{ width: 200 }}
                data-testid="service-codes-count"
              />
            </Form.Item>
          </FormModal>

          <RecordDrawer id={record} onClose={() => setRecord(null)} onChanged={() => loaded.reload()} />
        </>
      )}
    </Drawer>
  );
}
