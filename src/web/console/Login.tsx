import { LockOutlined, MobileOutlined, SafetyOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, type FormInstance, Input, Space, Tabs, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import type { Me } from '../api/index.ts';
import { type PasswordLoginValues, type SmsLoginValues, usePasswordLogin, useSmsLogin } from '../ui/auth.ts';
import type { Submit } from '../ui/forms.ts';
import { useSession } from '../ui/session.tsx';
import { codeRules, loginPasswordRules, phoneRules } from '../ui/validate.ts';
import { FormAlert } from './forms.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';

export function LoginPage() {
  const { me, setMe } = useSession();
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const [tab, setTab] = useState('password');

  if (me) return <Navigate to={from} replace />;

  const done = (m: Me) => {
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

type Done = (me: Me) => void;

/** A login form: the problem above, the fields, and a large "登录" button. */
function LoginForm<V>({
  form,
  name,
  state,
  children,
}: {
  form: FormInstance<V>;
  name: string;
  state: Submit<V>;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Form<V> form={form} layout="vertical" onFinish={state.submit} requiredMark={false} name={name}>
      <FormAlert error={state.error} />
      {children}
      <Button type="primary" htmlType="submit" block size="large" loading={state.busy}>
        {t('auth.login')}
      </Button>
    </Form>
  );
}

function PhoneItem() {
  const { t } = useTranslation();
  return (
    <Form.Item name="phone" label={t('auth.phone')} rules={phoneRules(t)}>
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
  const [form] = Form.useForm<PasswordLoginValues>();
  const state = usePasswordLogin(form, onDone);
  return (
    <LoginForm form={form} name="password-login" state={state}>
      <PhoneItem />
      <Form.Item name="password" label={t('auth.password')} rules={loginPasswordRules(t)}>
        <Input.Password
          prefix={<LockOutlined />}
          placeholder={t('auth.passwordPlaceholder')}
          autoComplete="current-password"
          size="large"
        />
      </Form.Item>
    </LoginForm>
  );
}

function SmsForm({ onDone }: { onDone: Done }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<SmsLoginValues>();
  const state = useSmsLogin(form, onDone, () => message.success(t('auth.codeSent')));
  const { code } = state;
  return (
    <LoginForm form={form} name="sms-login" state={state}>
      <PhoneItem />
      <Form.Item label={t('auth.code')} required>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item name="code" noStyle rules={codeRules(t)}>
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
          <Button
            size="large"
            onClick={code.send}
            disabled={code.left > 0}
            loading={code.sending}
            style={{ minWidth: 140 }}
          >
            {code.label}
          </Button>
        </Space.Compact>
      </Form.Item>
    </LoginForm>
  );
}
