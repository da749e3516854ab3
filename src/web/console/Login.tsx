import { LockOutlined, MobileOutlined, SafetyOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { login, loginWithOtp, requestOtp } from '../api/index.ts';
import { useCountdown } from '../ui/countdown.ts';
import { useSession } from '../ui/session.tsx';
import { OTP_RE, PHONE_RE } from '../ui/validate.ts';
import { applyProblem, FormAlert } from './forms.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';

export function LoginPage() {
  const { me, setMe } = useSession();
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const [tab, setTab] = useState('password');

  if (me) return <Navigate to={from} replace />;

  const done = (m: Parameters<typeof setMe>[0]) => {
    setMe(m);
    navigate(from, { replace: true });
  };

  return (
    <div className="gz-center gz-login-bg">
      <div style={{ position: 'fixed', top: 16, right: 24 }}>
        <LanguageSwitch dark />
      </div>
      <div style={{ width: 400, maxWidth: '100%' }}>
        <div className="gz-brand" style={{ justifyContent: 'center', fontSize: 24, marginBottom: 24 }}>
          <span className="gz-brand-mark">{t('app.name').slice(0, 1)}</span>
          <span>{t('app.consoleTitle')}</span>
        </div>
        <Card>
          <Typography.Title level={4} style={{ marginTop: 0 }}>
            {t('auth.loginTitle')}
          </Typography.Title>
          <Tabs
            activeKey={tab}
            onChange={setTab}
            items={[
              { key: 'password', label: t('auth.tabPassword'), children: <PasswordForm onDone={done} /> },
              { key: 'sms', label: t('auth.tabSms'), children: <SmsForm onDone={done} /> },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0, fontSize: 12 }}>
            {t('auth.loginHint')}
          </Typography.Paragraph>
        </Card>
      </div>
    </div>
  );
}

type Done = (me: Awaited<ReturnType<typeof login>>) => void;

function PhoneItem() {
  const { t } = useTranslation();
  return (
    <Form.Item
      name="phone"
      label={t('auth.phone')}
      rules={[
        { required: true, message: t('validation.phone') },
        { pattern: PHONE_RE, message: t('validation.phone') },
      ]}
    >
      <Input
        prefix={<MobileOutlined />}
        placeholder={t('auth.phonePlaceholder')}
        inputMode="numeric"
        autoComplete="username"
        maxLength={11}
        size="large"
      />
    </Form.Item>
  );
}

function PasswordForm({ onDone }: { onDone: Done }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ phone: string; password: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: { phone: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      onDone(await login(v.phone.trim(), v.password));
    } catch (e) {
      setError(applyProblem(form, e, ['phone', 'password']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} name="password-login">
      <FormAlert error={error} />
      <PhoneItem />
      <Form.Item
        name="password"
        label={t('auth.password')}
        rules={[{ required: true, message: t('validation.required', { field: t('auth.password') }) }]}
      >
        <Input.Password
          prefix={<LockOutlined />}
          placeholder={t('auth.passwordPlaceholder')}
          autoComplete="current-password"
          size="large"
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" block size="large" loading={busy}>
        {t('auth.login')}
      </Button>
    </Form>
  );
}

function SmsForm({ onDone }: { onDone: Done }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ phone: string; code: string }>();
  const [busy, setBusy] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [left, start] = useCountdown();

  const send = async () => {
    setError(null);
    let phone: string;
    try {
      phone = (await form.validateFields(['phone'])).phone.trim();
    } catch {
      return;
    }
    setSending(true);
    try {
      const r = await requestOtp(phone);
      // At least 60 s: the server's retryAfter is what is left of its rate-limit window, often less.
      start(Math.max(60, r.retryAfter || 0));
      message.success(t('auth.codeSent'));
    } catch (e) {
      setError(applyProblem(form, e, ['phone']));
    } finally {
      setSending(false);
    }
  };

  const submit = async (v: { phone: string; code: string }) => {
    setBusy(true);
    setError(null);
    try {
      onDone(await loginWithOtp(v.phone.trim(), v.code.trim()));
    } catch (e) {
      setError(applyProblem(form, e, ['phone', 'code']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} name="sms-login">
      <FormAlert error={error} />
      <PhoneItem />
      <Form.Item label={t('auth.code')} required>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item
            name="code"
            noStyle
            rules={[
              { required: true, message: t('validation.code') },
              { pattern: OTP_RE, message: t('validation.code') },
            ]}
          >
            <Input
              prefix={<SafetyOutlined />}
              placeholder={t('auth.codePlaceholder')}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              size="large"
              aria-label={t('auth.code')}
            />
          </Form.Item>
          <Button size="large" onClick={send} disabled={left > 0} loading={sending} style={{ minWidth: 140 }}>
            {left > 0 ? t('auth.resendIn', { seconds: left }) : t('auth.sendCode')}
          </Button>
        </Space.Compact>
      </Form.Item>
      <Button type="primary" htmlType="submit" block size="large" loading={busy}>
        {t('auth.login')}
      </Button>
    </Form>
  );
}
