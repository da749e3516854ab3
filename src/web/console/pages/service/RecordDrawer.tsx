import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  Rate,
  Result,
  Space,
  Spin,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getServiceRecord, type RecordView, recordServiceProblems } from '../../../api/service-console.ts';
import { formatDateTime } from '../../../ui/format.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { FormModal } from '../../forms.tsx';
import { hoursText, MethodText, RecordStatusTag, slotText, timeOf } from './parts.tsx';
import {
  checkOutMissed,
  type Decision,
  decisionLabel,
  decisionsFor,
  EventText,
  eventName,
  pointsBefore,
  VerifyDialog,
} from './verify.tsx';

/**
 * A service record as the national rules list it (activity, date, place, recipients, content,
 * hours, rating, organiser, recorder), its points, and its history; verification from here too.
 */
export function RecordDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: number | null;
  onClose: () => void;
  onChanged: (r: RecordView) => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const loaded = useLoad(() => (id ? getServiceRecord(id) : Promise.resolve(undefined)), [id]);
  const [decision, setDecision] = useState<Decision | null>(null);
  const [problems, setProblems] = useState(false);
  const r = loaded.data;
  const before = pointsBefore(r?.events ?? []);

  const refreshed = async () => {
    if (!r) return;
    const next = await getServiceRecord(r.id);
    loaded.setData(next);
    onChanged(next);
  };

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      width={720}
      title={
        r
          ? `${t('serviceConsole.record.title')} · ${r.member.name} · ${r.activity}`
          : t('serviceConsole.record.title')
      }
      destroyOnHidden
      data-testid="service-record-drawer"
      extra={
        r && (
          <Space>
            {decisionsFor(r).map((d) => (
              <Button
                key={d}
                type={d === 'approve' ? 'primary' : 'default'}
                danger={d === 'decline'}
                onClick={() => setDecision(d)}
                data-testid={`service-record-${d}`}
              >
                {decisionLabel(t, d, r)}
              </Button>
            ))}
          </Space>
        )
      }
    >
      {loaded.loading && !r && <Spin />}
      {loaded.error && <Result status="warning" title={loaded.error} />}
      {r && (
        <>
          {r.status === 'onDuty' && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title={
                checkOutMissed(r) ? t('serviceConsole.verify.missedOut') : t('serviceConsole.verify.stillOn')
              }
            />
          )}
          <Descriptions
            column={2}
            size="small"
            bordered
            data-testid="service-record-detail"
            items={[
              { key: 'member', label: t('serviceConsole.record.member'), children: r.member.name },
              {
                key: 'status',
                label: t('serviceConsole.record.status'),
                children: <RecordStatusTag status={r.status} />,
              },
              { key: 'activity', label: t('serviceConsole.record.activity'), span: 2, children: r.activity },
              {
                key: 'date',
                label: t('serviceConsole.record.date'),
                span: 2,
                children: r.slot ? slotText(r.slot, i18n.language) : r.serviceDate,
              },
              { key: 'place', label: t('serviceConsole.record.place'), children: r.place },
              {
                key: 'recipients',
                label: t('serviceConsole.record.recipients'),
                children: r.recipients ?? t('common.none'),
              },
              {
                key: 'content',
                label: t('serviceConsole.record.content'),
                span: 2,
                children: <div style={{ whiteSpace: 'pre-wrap' }}>{r.content}</div>,
              },
              {
                key: 'method',
                label: t('serviceConsole.record.method'),
                children: <MethodText method={r.method} />,
              },
              {
                key: 'inout',
                label: t('serviceConsole.record.inOut'),
                children: `${r.checkInAt ? timeOf(r.checkInAt) : '—'} / ${r.checkOutAt ? timeOf(r.checkOutAt) : '—'}`,
              },
              {
                key: 'recorded',
                label: t('serviceConsole.record.recordedMinutes'),
                children: hoursText(t, r.recordedMinutes),
              },
              {
                key: 'minutes',
                label: t('serviceConsole.record.minutes'),
                children: (
                  <Typography.Text strong={r.status === 'approved'}>
                    {hoursText(t, r.minutes)}
                  </Typography.Text>
                ),
              },
              {
                key: 'rating',
                label: t('serviceConsole.record.rating'),
                children: r.rating ? (
                  <Rate disabled value={r.rating} style={{ fontSize: 14 }} />
                ) : (
                  t('common.none')
                ),
              },
              {
                key: 'points',
                label: t('serviceConsole.record.points'),
                children: (
                  <Typography.Text
                    strong
                    type={r.points > 0 ? 'success' : undefined}
                    data-testid="service-record-points"
                  >
                    {t('serviceConsole.record.pointsValue', { points: r.points })}
                  </Typography.Text>
                ),
              },
              { key: 'organiser', label: t('serviceConsole.record.organiser'), children: r.organiser },
              {
                key: 'recorder',
                label: t('serviceConsole.record.recorder'),
                children: r.recordedBy ?? t('common.none'),
              },
              {
                key: 'verifier',
                label: t('serviceConsole.record.verifier'),
                children: r.verifiedBy ?? t('common.none'),
              },
              {
                key: 'reason',
                label: t('serviceConsole.record.reason'),
                children: r.reason ?? t('common.none'),
              },
              {
                key: 'problems',
                label: t('serviceConsole.record.problems'),
                span: 2,
                children: (
                  <Space direction="vertical" size={0}>
                    <span style={{ whiteSpace: 'pre-wrap' }}>{r.problemsSolved ?? t('common.none')}</span>
                    {r.ticketNumber && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('serviceConsole.events.ticket', { number: r.ticketNumber })}
                      </Typography.Text>
                    )}
                    <Button
                      type="link"
                      size="small"
                      style={{ padding: 0 }}
                      onClick={() => setProblems(true)}
                      data-testid="service-record-problems"
                    >
                      {r.problemsSolved
                        ? t('serviceConsole.problems.edit')
                        : t('serviceConsole.problems.add')}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />

          <Typography.Title level={5} style={{ marginTop: 20 }}>
            {t('serviceConsole.record.history')}
          </Typography.Title>
          <Timeline
            data-testid="service-record-events"
            items={r.events.map((e, i) => ({
              key: `${e.at}-${i}`,
              color: ['declined'].includes(e.kind)
                ? 'red'
                : ['approved', 'adjusted', 'corrected'].includes(e.kind)
                  ? 'green'
                  : 'blue',
              children: (
                <div>
                  <Typography.Text strong>{eventName(t, e)}</Typography.Text>{' '}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(e.at)}
                    {e.actor ? ` · ${e.actor}` : ''}
                  </Typography.Text>
                  <EventText e={e} prevPoints={before[i] ?? 0} />
                </div>
              ),
            }))}
          />

          <VerifyDialog
            record={r}
            decision={decision}
            onClose={() => setDecision(null)}
            onRefreshed={(fresh) => {
              loaded.setData(fresh);
              onChanged(fresh);
            }}
            onDone={(next, d) => {
              setDecision(null);
              onChanged(next);
              void refreshed().catch(() => loaded.reload());
              message.success(t(`serviceConsole.verify.done.${d}`, { points: next.points }));
            }}
          />

          <FormModal<{ problemsSolved: string; ticketNumber?: string }>
            open={problems}
            name="service-problems"
            title={t('serviceConsole.problems.title')}
            initialValues={{
              problemsSolved: r.problemsSolved ?? undefined,
              ticketNumber: r.ticketNumber ?? undefined,
            }}
            fields={['problemsSolved', 'ticketNumber']}
            onCancel={() => setProblems(false)}
            onSubmit={async (v) => {
              const next = await recordServiceProblems(r.id, {
                problemsSolved: v.problemsSolved.trim(),
                ticketNumber: v.ticketNumber?.trim() || undefined,
              });
              setProblems(false);
              onChanged(next);
              await refreshed();
              message.success(t('common.saved'));
            }}
          >
            <Form.Item
              name="problemsSolved"
              label={t('serviceConsole.problems.what')}
              rules={[
                {
                  required: true,
                  whitespace: true,
                  message: t('validation.required', { field: t('serviceConsole.problems.what') }),
                },
              ]}
            >
              <Input.TextArea rows={3} maxLength={500} showCount />
            </Form.Item>
            <Form.Item
              name="ticketNumber"
              label={t('serviceConsole.problems.ticket')}
              extra={t('serviceConsole.problems.ticketHint')}
            >
              <Input maxLength={20} style={{ width: 220 }} />
            </Form.Item>
          </FormModal>
        </>
      )}
    </Drawer>
  );
}
