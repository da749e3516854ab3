import { Form, Input, NavBar } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { checkInVoucher, type VoucherView } from '../../api/index.ts';
import { useSubmit } from '../../ui/forms.ts';
import { MForm } from '../forms.tsx';

/** 核销: the merchant's counter types (or scans into) a voucher's code and checks it in once. */
export function CounterPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [done, setDone] = useState<VoucherView | null>(null);
  const state = useSubmit<{ code: string }>(
    async (v) => {
      setDone(null);
      setDone(await checkInVoucher(v.code.replace(/\s+/g, '')));
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
        <MForm form={form} name="voucher-check-in" state={state} submitText={t('points.checkIn')}>
          <Form.Item
            name="code"
            label={t('points.code')}
            rules={[{ required: true, message: t('validation.required', { field: t('points.code') }) }]}
          >
            <Input inputMode="numeric" maxLength={16} placeholder="0000 0000 0000" autoComplete="off" />
          </Form.Item>
        </MForm>
      </div>
    </div>
  );
}
