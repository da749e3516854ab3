import {
  Button,
  DatePicker,
  ErrorBlock,
  Form,
  Input,
  List,
  NavBar,
  Selector,
  SpinLoading,
} from 'antd-mobile';
import { ScanCodeOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { checkInVoucher, type VoucherView } from '../../api/index.ts';
import {
  type MyCounter,
  merchantStatement,
  merchantStatementXlsxUrl,
  myCounters,
} from '../../api/merchants.ts';
import { formatDateTime, todayInCity } from '../../ui/format.ts';
import { useSubmit } from '../../ui/forms.ts';
import { useLoad } from '../../ui/useLoad.ts';
import { MForm } from '../forms.tsx';
import { Scanner } from './Scanner.tsx';

/**
 * 核销: the merchant's counter scans a voucher's QR code with the camera, or types its code, and
 * checks it in once; below, the month's statement of the counter's shop.
 */
export function CounterPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [done, setDone] = useState<VoucherView | null>(null);
  const [scanning, setScanning] = useState(false);
  const [checkedIn, setCheckedIn] = useState(0);
  const state = useSubmit<{ code: string }>(
    async (v) => {
      setDone(null);
      setDone(await checkInVoucher(v.code.replace(/\s+/g, '')));
      setCheckedIn((n) => n + 1);
      form.resetFields();
    },
    { form, fields: ['code'] },
  );
  return (
    <div className="m-app">
      <NavBar onBack={() => navigate('/mine')} backIcon style={{ background: '#fff', '--height': '52px' }}>
        <span style={{ fontSize: 19 }}>{t('points.counter')}</span>
      </NavBar>
      <div className="m-body">
        <p style={{ fontSize: 16, lineHeight: 1.6, margin: '12px 4px' }}>{t('points.counterIntro')}</p>
        {done && (
          <div className="m-ok" role="status" data-testid="m-checked-in">
            {t('points.checkedIn', { title: done.offer.title })}
          </div>
        )}
        <Button
          block
          color="primary"
          size="large"
          className="m-btn-big"
          // In line with the form's card below.
          style={{ margin: '0 12px 12px', width: 'calc(100% - 24px)' }}
          onClick={() => setScanning(true)}
          data-testid="m-scan"
        >
          <ScanCodeOutline aria-hidden style={{ marginRight: 8 }} />
          {t('merchants.scan')}
        </Button>
        <MForm form={form} name="voucher-check-in" state={state} submitText={t('points.checkIn')}>
          <Form.Item
            name="code"
            label={t('points.code')}
            rules={[{ required: true, message: t('validation.required', { field: t('points.code') }) }]}
          >
            <Input inputMode="numeric" maxLength={16} placeholder="0000 0000 0000" autoComplete="off" />
          </Form.Item>
        </MForm>
        <Statement refresh={checkedIn} />
      </div>
      {scanning && (
        <Scanner
          onClose={() => setScanning(false)}
          onCode={(code) => {
            setScanning(false);
            form.setFieldValue('code', code);
            void state.submit({ code });
          }}
        />
      )}
    </div>
  );
}

/** 对账单: the shop's vouchers checked in in a month, the totals and its account. */
function Statement({ refresh }: { refresh: number }) {
  const { t } = useTranslation();
  const counters = useLoad(() => myCounters(), []);
  const [picked, setPicked] = useState<number | null>(null);
  const [month, setMonth] = useState(() => todayInCity().slice(0, 7));
  const [picking, setPicking] = useState(false);
  const list: MyCounter[] = counters.data ?? [];
  const shop = list.find((c) => c.id === picked) ?? list[0];
  const s = useLoad(
    () => (shop ? merchantStatement(shop.id, month) : Promise.resolve(null)),
    [shop?.id, month, refresh],
  );
  if (counters.loading && !counters.data) return null;
  if (!shop) return null;
  const [y, m] = month.split('-').map(Number) as [number, number];
  return (
    <section data-testid="m-statement" style={{ marginTop: 8 }}>
      <h2 className="m-section-title">{t('merchants.statement')}</h2>
      {list.length > 1 && (
        <Selector
          aria-label={t('merchants.counterPick')}
          columns={2}
          value={[shop.id]}
          onChange={(v) => v[0] !== undefined && setPicked(v[0])}
          options={list.map((c) => ({ label: c.name, value: c.id }))}
          style={{ margin: '0 12px 12px' }}
        />
      )}
      <List className="m-list">
        <List.Item
          extra={t('merchants.monthValue', { year: y, month: m })}
          onClick={() => setPicking(true)}
          data-testid="m-statement-month"
        >
          {t('merchants.month')}
        </List.Item>
      </List>
      <DatePicker
        visible={picking}
        precision="month"
        value={new Date(y, m - 1, 1)}
        min={new Date(2020, 0, 1)}
        max={new Date()}
        onClose={() => setPicking(false)}
        onConfirm={(d) => setMonth(`${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`)}
        confirmText={t('common.ok')}
        cancelText={t('common.cancel')}
      />
      {s.error && <ErrorBlock status="default" title={s.error} description="" />}
      {s.loading && !s.data && (
        <div className="m-center">
          <SpinLoading color="primary" />
        </div>
      )}
      {s.data && (
        <>
          <List className="m-list" data-testid="m-statement-totals">
            <List.Item>
              {t('merchants.totals', { vouchers: s.data.totals.vouchers, points: s.data.totals.points })}
            </List.Item>
            <List.Item extra={s.data.balanceAtMonthEnd}>{t('merchants.balanceAtMonthEnd')}</List.Item>
            <List.Item extra={s.data.balance}>{t('merchants.balanceNow')}</List.Item>
          </List>
          {s.data.lines.length === 0 ? (
            <p className="m-empty-text">{t('merchants.noLines')}</p>
          ) : (
            <List className="m-list" data-testid="m-statement-lines">
              {s.data.lines.map((l) => (
                <List.Item
                  key={l.voucherId}
                  description={`${formatDateTime(l.redeemedAt)} · ${l.member}`}
                  extra={t('merchants.pointsValue', { n: l.points })}
                >
                  {l.offer}
                </List.Item>
              ))}
            </List>
          )}
          <Button
            block
            size="large"
            fill="outline"
            color="primary"
            style={{ marginTop: 8 }}
            onClick={() => window.location.assign(merchantStatementXlsxUrl(shop.id, month))}
          >
            {t('merchants.export')}
          </Button>
        </>
      )}
    </section>
  );
}
