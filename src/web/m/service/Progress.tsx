import { Button, Card, ErrorBlock, ProgressCircle, SpinLoading, Tag, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.ts';
import {
  type MyProgress,
  myServiceProgress,
  type ProgressStatus,
  readServiceReminder,
} from '../../api/service-targets.ts';
import { useLoad } from '../../ui/useLoad.ts';

const STATUS_COLOR: Record<ProgressStatus, string> = {
  met: '#389e0d',
  onTrack: '#1677ff',
  behind: '#c8161d',
};

/**
 * 我的服务进度: this year's times and verified hours against the member's annual target, as two
 * rings, what is still missing, unread reminders (marked read with 知道了) and the latest service.
 * Loads by itself; place it on any member page.
 */
export function ServiceProgress({ year }: { year?: number }) {
  const mine = useLoad(() => myServiceProgress(year), [year]);
  if (mine.error) return <ErrorBlock status="default" title={mine.error} description="" />;
  if (!mine.data)
    return (
      <div style={{ textAlign: 'center', padding: 24 }}>
        <SpinLoading color="primary" />
      </div>
    );
  return (
    <ProgressCard
      data={mine.data}
      onRead={(id) =>
        mine.setData((prev) => prev && { ...prev, reminders: prev.reminders.filter((r) => r.id !== id) })
      }
    />
  );
}

function ProgressCard({ data, onRead }: { data: MyProgress; onRead: (id: number) => void }) {
  const { t } = useTranslation();
  const p = data.progress;
  const title = t('serviceTargets.m.progressTitle', { year: data.year });
  if (!p?.target)
    return (
      <Card title={title} data-testid="m-service-progress" style={{ borderRadius: 12 }}>
        <p style={{ fontSize: 17, color: '#666', margin: '4px 0 8px' }}>
          {p ? t('serviceTargets.m.noTarget') : t('serviceTargets.m.noRecord')}
        </p>
        {p && (
          <p style={{ fontSize: 18, margin: 0 }}>
            {t('serviceTargets.m.summary', { times: p.times, hours: p.hours })}
          </p>
        )}
      </Card>
    );
  const status = p.status as ProgressStatus;
  const color = STATUS_COLOR[status];
  const pct = (done: number, of: number) => (of > 0 ? Math.min(100, Math.round((done / of) * 100)) : 100);
  const missing = [
    p.missing?.times ? t('serviceTargets.m.missingTimes', { count: p.missing.times }) : '',
    p.missing?.hours ? t('serviceTargets.m.missingHours', { count: p.missing.hours }) : '',
  ].filter(Boolean);
  return (
    <Card
      title={title}
      extra={
        <Tag
          color={color}
          fill="solid"
          style={{ fontSize: 15, padding: '3px 8px' }}
          data-testid="m-progress-status"
        >
          {t(`serviceTargets.m.${status}`)}
        </Tag>
      }
      data-testid="m-service-progress"
      style={{ borderRadius: 12 }}
    >
      {data.reminders.map((r) => (
        <div
          key={r.id}
          role="alert"
          style={{
            background: '#fff7e6',
            border: '1px solid #ffd591',
            borderRadius: 10,
            padding: '10px 12px',
            marginBottom: 12,
          }}
          data-testid="m-service-reminder"
        >
          <div style={{ fontSize: 17, fontWeight: 600, color: '#ad4e00', marginBottom: 4 }}>
            {t('serviceTargets.m.reminder')}
          </div>
          <div style={{ fontSize: 16, lineHeight: 1.6 }}>
            {t('serviceTargets.m.reminderText', {
              date: r.remindOn,
              times: r.times,
              hours: r.hours,
              minTimes: r.target.minTimes,
              minHours: r.target.minHours,
            })}
          </div>
          <Button
            size="small"
            color="warning"
            fill="outline"
            style={{ marginTop: 8 }}
            onClick={async () => {
              try {
                await readServiceReminder(r.id);
                onRead(r.id);
              } catch (e) {
                Toast.show({ content: errorText(e) });
              }
            }}
          >
            {t('serviceTargets.m.gotIt')}
          </Button>
        </div>
      ))}
      <div style={{ display: 'flex', justifyContent: 'space-around', padding: '8px 0 4px' }}>
        <Ring
          percent={pct(p.times, p.target.minTimes)}
          color={color}
          value={p.times}
          unit={t('serviceTargets.m.unitTimes')}
          label={t('serviceTargets.m.times')}
          of={t('serviceTargets.m.ofTimes', { count: p.target.minTimes })}
          testId="m-progress-times"
        />
        <Ring
          percent={pct(p.minutes, p.target.minHours * 60)}
          color={color}
          value={p.hours}
          unit={t('serviceTargets.m.unitHours')}
          label={t('serviceTargets.m.hours')}
          of={t('serviceTargets.m.ofHours', { count: p.target.minHours })}
          testId="m-progress-hours"
        />
      </div>
      <div
        style={{
          textAlign: 'center',
          fontSize: 18,
          margin: '10px 0 4px',
          color: missing.length ? '#333' : color,
        }}
      >
        {missing.length
          ? t('serviceTargets.m.missing', { what: missing.join('、') })
          : t('serviceTargets.m.met')}
      </div>
      {status !== 'met' && p.expected && (
        <div style={{ textAlign: 'center', fontSize: 15, color: '#888' }}>
          {t('serviceTargets.m.expected', { times: p.expected.times, hours: p.expected.hours })}
          {p.target.source === 'default' && ` · ${t('serviceTargets.m.defaultTarget')}`}
        </div>
      )}
      {data.recent.length > 0 && (
        <div style={{ marginTop: 14, borderTop: '1px solid #f0f0f0', paddingTop: 10 }}>
          <div style={{ fontSize: 16, color: '#666', marginBottom: 6 }}>{t('serviceTargets.m.recent')}</div>
          {data.recent.map((r) => (
            <div
              key={r.id}
              style={{ display: 'flex', justifyContent: 'space-between', fontSize: 16, padding: '5px 0' }}
            >
              <span>
                {r.activity}
                <span style={{ color: '#999', marginLeft: 6, fontSize: 14 }}>{r.serviceDate}</span>
              </span>
              <span style={{ fontWeight: 600 }}>
                {t('serviceTargets.m.missingHours', { count: r.hours })}
              </span>
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}

function Ring(props: {
  percent: number;
  color: string;
  value: number;
  unit: string;
  label: string;
  of: string;
  testId: string;
}) {
  return (
    <div style={{ textAlign: 'center' }} data-testid={props.testId}>
      <ProgressCircle
        percent={props.percent}
        style={{ '--size': '112px', '--track-width': '9px', '--fill-color': props.color }}
      >
        <div style={{ fontSize: 30, fontWeight: 700, lineHeight: 1.1, color: '#222' }}>{props.value}</div>
        <div style={{ fontSize: 14, color: '#888' }}>{props.unit}</div>
      </ProgressCircle>
      <div style={{ fontSize: 17, marginTop: 6 }}>{props.label}</div>
      <div style={{ fontSize: 14, color: '#888' }}>{props.of}</div>
    </div>
  );
}
