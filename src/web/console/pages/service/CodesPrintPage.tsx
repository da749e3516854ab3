import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router-dom';
import { getServicePost, slotHourCodes, slotRoster } from '../../../api/service-console.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { slotText } from './parts.tsx';

/**
 * 时长码打印页: a slot's single-use hour codes on A4, 3 × 8 to a page with cutting lines, each
 * naming the activity, the day and time, and how to use it. `?last=N` prints the N just made;
 * without it, every code not yet used.
 */
export default function CodesPrintPage() {
  const { t, i18n } = useTranslation();
  const slotId = Number(useParams().id);
  const [params] = useSearchParams();
  const last = Number(params.get('last')) || 0;
  const [withUsed, setWithUsed] = useState(false);
  const loaded = useLoad(async () => {
    const [roster, codes] = await Promise.all([slotRoster(slotId), slotHourCodes(slotId)]);
    const post = await getServicePost(roster.post.id);
    return { roster, codes, post };
  }, [slotId]);
  const d = loaded.data;

  useEffect(() => {
    if (d) document.title = `${t('serviceConsole.codes.sheetTitle')} · ${d.post.title}`;
  }, [d, t]);

  if (loaded.loading && !d)
    return (
      <div className="gz-center">
        <Spin size="large" />
      </div>
    );
  if (loaded.error || !d)
    return (
      <div className="gz-center">
        <Alert type="error" showIcon title={loaded.error ?? t('error.generic')} />
      </div>
    );

  const picked = last ? d.codes.slice(-last) : d.codes;
  const codes = withUsed ? picked : picked.filter((c) => !c.used);
  const when = slotText(d.roster.slot, i18n.language);
  const organiser = d.post.compound
    ? `${d.post.community.name} ${d.post.compound.name}`
    : d.post.community.name;

  return (
    <div className="gz-svc-print">
      <div className="gz-svc-print-bar gz-no-print">
        <Space direction="vertical" size={2}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('serviceConsole.codes.sheetTitle')} · {d.post.title}
          </Typography.Title>
          <Typography.Text type="secondary">
            {when} ·{' '}
            {last
              ? t('serviceConsole.codes.sheetLast', { n: codes.length })
              : t('serviceConsole.codes.sheetAll', { n: codes.length })}
          </Typography.Text>
        </Space>
        <Space>
          {!last && (
            <Checkbox checked={withUsed} onChange={(e) => setWithUsed(e.target.checked)}>
              {t('serviceConsole.codes.withUsed')}
            </Checkbox>
          )}
          <Button
            type="primary"
            size="large"
            icon={<PrinterOutlined aria-hidden />}
            onClick={() => window.print()}
            disabled={!codes.length}
            data-testid="service-codes-print"
          >
            {t('serviceConsole.codes.printNow')}
          </Button>
        </Space>
      </div>
      {codes.length === 0 ? (
        <div className="gz-no-print" style={{ padding: 48 }}>
          <Alert type="info" showIcon title={t('serviceConsole.codes.none')} />
        </div>
      ) : (
        <div className="gz-svc-sheet" data-testid="service-codes-sheet">
          {codes.map((c) => (
            <div key={c.code} className={`gz-svc-ticket${c.used ? ' gz-svc-ticket-used' : ''}`}>
              <div className="gz-svc-ticket-title">{d.post.title}</div>
              <div className="gz-svc-ticket-when">{when}</div>
              <div className="gz-svc-ticket-where">{d.post.place}</div>
              <div className="gz-svc-ticket-code" data-testid="service-code">
                {c.code.slice(0, 4)} {c.code.slice(4)}
              </div>
              <div className="gz-svc-ticket-how">{t('serviceConsole.codes.how')}</div>
              <div className="gz-svc-ticket-org">{organiser}</div>
              {c.used && <div className="gz-svc-ticket-stamp">{t('serviceConsole.codes.used')}</div>}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
