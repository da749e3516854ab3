import { Button, Form, Input, Tabs, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import type { Me } from '../api/index.ts';
import { usePasswordLogin, useSmsLogin } from '../ui/auth.ts';
import { useSession } from '../ui/session.tsx';
import { codeRules, loginPasswordRules, phoneRules } from '../ui/validate.ts';
import { ElderToggle } from './ElderToggle.tsx';
import { MForm } from './forms.tsx';
import { LangToggle } from './LangToggle.tsx';

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
          <ElderToggle />
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
    <Form.Item name="phone" label={t('auth.phone')} rules={phoneRules(t)}>
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
  const state = usePasswordLogin(form, onDone);
  return (
    <MForm form={form} name="pwd" state={state} submitText={t('auth.login')}>
      <PhoneItem />
      <Form.Item name="password" label={t('auth.password')} rules={loginPasswordRules(t)}>
        <Input
          type="password"
          clearable
          autoComplete="current-password"
          placeholder={t('auth.passwordPlaceholder')}
        />
      </Form.Item>
    </MForm>
  );
}

function SmsForm({ onDone }: { onDone: (m: Me) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const state = useSmsLogin(form, onDone, () => Toast.show({ icon: 'success', content: t('auth.codeSent') }));
  const { code } = state;
  return (
    <MForm form={form} name="sms" state={state} submitText={t('auth.login')}>
      <PhoneItem />
      <Form.Item
        name="code"
        label={t('auth.code')}
        rules={codeRules(t)}
        extra={
          <Button
            size="middle"
            color="primary"
            fill="outline"
            className="m-code-btn"
            disabled={code.left > 0}
            loading={code.sending}
            onClick={code.send}
          >
            {code.label}
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
    </MForm>
  );
}
