import { Button, Form, Input, NavBar, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError, errorText } from '../api/client.ts';
import { changePassword } from '../api/index.ts';
import { MIN_PASSWORD } from '../ui/validate.ts';

interface Values {
  currentPassword?: string;
  newPassword: string;
  confirm: string;
}

export function PasswordPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  return (
    <div className="m-app">
      <NavBar onBack={() => navigate('/mine')} backIcon style={{ background: '#fff', '--height': '52px' }}>
        <span style={{ fontSize: 19 }}>{t('m.changePassword')}</span>
      </NavBar>
      <div className="m-body">
        {error && (
          <div className="m-error" role="alert">
            {error}
          </div>
        )}
        <Form
          form={form}
          name="password"
          className="m-form"
          requiredMarkStyle="none"
          layout="vertical"
          mode="card"
          onFinish={async (v: Values) => {
            setBusy(true);
            setError(null);
            try {
              await changePassword({
                currentPassword: v.currentPassword || undefined,
                newPassword: v.newPassword,
              });
              Toast.show({ icon: 'success', content: t('settings.passwordChanged') });
              navigate('/mine');
            } catch (e) {
              if (e instanceof ApiError) {
                const hits = e.errors.filter((x) => x.path === 'currentPassword' || x.path === 'newPassword');
                form.setFields(hits.map((x) => ({ name: x.path as keyof Values, errors: [x.message] })));
              }
              setError(errorText(e));
            } finally {
              setBusy(false);
            }
          }}
          footer={
            <Button block type="submit" color="primary" size="large" className="m-btn-big" loading={busy}>
              {t('common.save')}
            </Button>
          }
        >
          <Form.Item
            name="currentPassword"
            label={t('settings.currentPassword')}
            description={t('settings.currentPasswordHelp')}
          >
            <Input type="password" autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('settings.newPassword')}
            description={t('settings.newPasswordHelp')}
            rules={[
              { required: true, message: t('validation.required', { field: t('settings.newPassword') }) },
              { min: MIN_PASSWORD, message: t('validation.passwordMin') },
            ]}
          >
            <Input type="password" autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('settings.confirmPassword')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('validation.required', { field: t('settings.confirmPassword') }) },
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  !value || getFieldValue('newPassword') === value
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('validation.passwordMismatch'))),
              }),
            ]}
          >
            <Input type="password" autoComplete="new-password" />
          </Form.Item>
        </Form>
      </div>
    </div>
  );
}
