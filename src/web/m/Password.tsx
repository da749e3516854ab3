import { Form, Input, NavBar, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { passwordChangeFields, useChangePassword } from '../ui/auth.ts';
import { MForm } from './forms.tsx';

export function PasswordPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const state = useChangePassword(form, () => {
    Toast.show({ icon: 'success', content: t('settings.passwordChanged') });
    navigate('/mine');
  });

  return (
    <div className="m-app">
      <NavBar onBack={() => navigate('/mine')} backIcon style={{ background: '#fff', '--height': '52px' }}>
        <span style={{ fontSize: 19 }}>{t('m.changePassword')}</span>
      </NavBar>
      <div className="m-body">
        <MForm form={form} name="password" state={state} submitText={t('common.save')}>
          {passwordChangeFields(t).map((f) => (
            <Form.Item
              key={f.name}
              name={f.name}
              label={f.label}
              description={f.help}
              rules={f.rules}
              dependencies={f.dependencies}
            >
              <Input type="password" autoComplete={f.autoComplete} />
            </Form.Item>
          ))}
        </MForm>
      </div>
    </div>
  );
}
