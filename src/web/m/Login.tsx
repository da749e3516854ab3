import { Button, Form, Input, Tabs, Toast } from 'antd-mobile';
import type { FormInstance } from 'antd-mobile/es/components/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, errorText } from '../api/client.ts';
import { login, loginWithOtp, type Me, requestOtp } from '../api/index.ts';
import { useCountdown } from '../ui/countdown.ts';
import { useSession } from '../ui/session.tsx';
import { OTP_RE, PHONE_RE } from '../ui/validate.ts';
import { LangToggle } from './LangToggle.tsx';

/** Field errors from a problem onto the form; the detail goes in the banner. */
function showProblem(form: FormInstance, e: unknown, fields: string[]): string {
  if (e instanceof ApiError) {
    const hits = e.errors.filter((x) => fields.includes(x.path));
    if (hits.length) form.setFields(hits.map((x) => ({ name: x.path, errors: [x.message] })));
  }
  return errorText(e);
}

export function LoginPage() {
  const { me, setMe } = useSession();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  if (me) return <Navigate to={from} replace />;

  const done = (m: Me) => {
    setMe(m);
    navigate(from, { replace: true });
  };

  return (
    <div className="m-app">
      <div className="m-body m-login">
        <div className="m-login-head">
          <h1>{t('m.loginTitle')}</h1>
          <p>{t('m.loginSubtitle')}</p>
        </div>
        <div className="m-login-lang">
          <LangToggle />
        </div>
        <div className="m-login-body">
          <Tabs defaultActiveKey="password" style={{ '--title-font-size': '18px' }}>
            <Tabs.Tab title={t('auth.tabPassword')} key="password">
              <PasswordForm onDone={done} />
            </Tabs.Tab>
            <Tabs.Tab title={t('auth.tabSms')} key="sms">
              <SmsForm onDone={done} />
            </Tabs.Tab>
          </Tabs>
        </div>
      </div>
    </div>
  );
}

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
        type="tel"
        inputMode="numeric"
        maxLength={11}
        clearable
        autoComplete="username"
        placeholder={t('auth.phonePlaceholder')}
      />
    </Form.Item>
  );
}

function PasswordForm({ onDone }: { onDone: (m: Me) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      {error && (
        <div className="m-error" role="alert">
          {error}
        </div>
      )}
      <Form
        form={form}
        name="pwd"
        className="m-form"
        requiredMarkStyle="none"
        layout="vertical"
        mode="card"
        onFinish={async (v: { phone: string; password: string }) => {
          setBusy(true);
          setError(null);
          try {
            onDone(await login(v.phone.trim(), v.password));
          } catch (e) {
            setError(showProblem(form, e, ['phone', 'password']));
          } finally {
            setBusy(false);
          }
        }}
        footer={
          <Button block type="submit" color="primary" size="large" className="m-btn-big" loading={busy}>
            {t('auth.login')}
          </Button>
        }
      >
        <PhoneItem />
        <Form.Item
          name="password"
          label={t('auth.password')}
          rules={[{ required: true, message: t('validation.required', { field: t('auth.password') }) }]}
        >
          <Input
            type="password"
            clearable
            autoComplete="current-password"
            placeholder={t('auth.passwordPlaceholder')}
          />
        </Form.Item>
      </Form>
    </>
  );
}

function SmsForm({ onDone }: { onDone: (m: Me) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [left, start] = useCountdown();

  const send = async () => {
    setError(null);
    let phone: string;
    try {
      phone = String((await form.validateFields(['phone'])).phone).trim();
    } catch {
      return;
    }
    setSending(true);
    try {
      const r = await requestOtp(phone);
      // At least 60 s: the server's retryAfter is what is left of its rate-limit window, often less.
      start(Math.max(60, r.retryAfter || 0));
      Toast.show({ icon: 'success', content: t('auth.codeSent') });
    } catch (e) {
      setError(showProblem(form, e, ['phone']));
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      {error && (
        <div className="m-error" role="alert">
          {error}
        </div>
      )}
      <Form
        form={form}
        name="sms"
        className="m-form"
        requiredMarkStyle="none"
        layout="vertical"
        mode="card"
        onFinish={async (v: { phone: string; code: string }) => {
          setBusy(true);
          setError(null);
          try {
            onDone(await loginWithOtp(v.phone.trim(), v.code.trim()));
          } catch (e) {
            setError(showProblem(form, e, ['phone', 'code']));
          } finally {
            setBusy(false);
          }
        }}
        footer={
          <Button block type="submit" color="primary" size="large" className="m-btn-big" loading={busy}>
            {t('auth.login')}
          </Button>
        }
      >
        <PhoneItem />
        <Form.Item
          name="code"
          label={t('auth.code')}
          rules={[
            { required: true, message: t('validation.code') },
            { pattern: OTP_RE, message: t('validation.code') },
          ]}
          extra={
            <Button
              size="middle"
              color="primary"
              fill="outline"
              className="m-code-btn"
              disabled={left > 0}
              loading={sending}
              onClick={send}
            >
              {left > 0 ? t('auth.resendIn', { seconds: left }) : t('auth.sendCode')}
            </Button>
          }
        >
          <Input
            inputMode="numeric"
            maxLength={6}
            autoComplete="one-time-code"
            placeholder={t('auth.codePlaceholder')}
          />
        </Form.Item>
      </Form>
    </>
  );
}
