import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Popconfirm,
  Row,
  Space,
  Table,
  Tag,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.ts';
import { logoutAll, mySessions, type SessionView, updateMe } from '../../api/index.ts';
import { type PasswordChangeValues, passwordChangeFields, useChangePassword } from '../../ui/auth.ts';
import { describeUserAgent, formatDateTime } from '../../ui/format.ts';
import { useSubmit } from '../../ui/forms.ts';
import { roleLabel, sortGrants } from '../../ui/roles.ts';
import { useMe, useSession } from '../../ui/session.tsx';
import { useLoad } from '../../ui/useLoad.ts';
import { nameRules } from '../../ui/validate.ts';
import { FormAlert } from '../forms.tsx';
import { LanguageSwitch } from '../LanguageSwitch.tsx';

/** 个人设置: name, language, password, signed-in devices, log out everywhere. */
export default function SettingsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { setMe } = useSession();
  const { message } = App.useApp();
  const [nameForm] = Form.useForm<{ name: string }>();
  const profile = useSubmit<{ name: string }>(
    async (v) => {
      setMe(await updateMe({ name: v.name.trim() }));
      message.success(t('common.saved'));
    },
    { form: nameForm, fields: ['name'] },
  );

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <Card title={t('settings.profile')}>
          <Descriptions
            column={1}
            size="small"
            style={{ marginBottom: 16 }}
            items={[
              { key: 'phone', label: t('settings.phone'), children: me.phone },
              {
                key: 'roles',
                label: t('users.roles'),
                children: (
                  <Space size={[4, 4]} wrap>
                    {sortGrants(me.grants).map((g) => (
                      <Tag key={g.id}>
                        {roleLabel(t, g.role)} · {g.scopeLabel}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
              { key: 'lang', label: t('settings.language'), children: <LanguageSwitch /> },
            ]}
          />
          <Form
            form={nameForm}
            name="profile"
            layout="vertical"
            initialValues={{ name: me.name }}
            onFinish={profile.submit}
          >
            <FormAlert error={profile.error} />
            <Form.Item
              name="name"
              label={t('settings.name')}
              rules={nameRules(t, t('settings.name'), { max: 40 })}
            >
              <Input maxLength={40} style={{ maxWidth: 320 }} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={profile.busy}>
              {t('common.save')}
            </Button>
          </Form>
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <PasswordCard />
      </Col>
      <Col span={24}>
        <SessionsCard />
      </Col>
    </Row>
  );
}

function PasswordCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<PasswordChangeValues>();
  const { busy, error, submit } = useChangePassword(form, () => {
    form.resetFields();
    message.success(t('settings.passwordChanged'));
  });
  return (
    <Card title={t('settings.password')}>
      <Form<PasswordChangeValues> form={form} name="password" layout="vertical" onFinish={submit}>
        <FormAlert error={error} />
        {passwordChangeFields(t).map((f) => (
          <Form.Item
            key={f.name}
            name={f.name}
            label={f.label}
            extra={f.help}
            rules={f.rules}
            dependencies={f.dependencies}
          >
            <Input.Password autoComplete={f.autoComplete} maxLength={128} style={{ maxWidth: 320 }} />
          </Form.Item>
        ))}
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('settings.password')}
        </Button>
      </Form>
    </Card>
  );
}

function SessionsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { setMe } = useSession();
  const sessions = useLoad(() => mySessions(), []);
  const columns: ColumnsType<SessionView> = [
    {
      title: t('settings.sessionDevice'),
      dataIndex: 'userAgent',
      render: (ua: string | null, s) => (
        <Space>
          <span title={ua ?? ''}>{describeUserAgent(ua)}</span>
          {s.current && <Tag color="green">{t('settings.currentSession')}</Tag>}
        </Space>
      ),
    },
    { title: t('settings.sessionIp'), dataIndex: 'ip', render: (ip: string | null) => ip ?? '—' },
    { title: t('settings.sessionCreated'), dataIndex: 'createdAt', render: (s: string) => formatDateTime(s) },
    {
      title: t('settings.sessionLastSeen'),
      dataIndex: 'lastSeenAt',
      render: (s: string) => formatDateTime(s),
    },
  ];
  return (
    <Card
      title={t('settings.sessions')}
      extra={
        <Popconfirm
          title={t('settings.logoutAllConfirm')}
          okText={t('common.ok')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true }}
          onConfirm={async () => {
            try {
              await logoutAll();
              setMe(null);
              message.success(t('auth.loggedOut'));
            } catch (e) {
              message.error(errorText(e));
            }
          }}
        >
          <Button danger>{t('settings.logoutAll')}</Button>
        </Popconfirm>
      }
    >
      {sessions.error && <Alert type="error" showIcon title={sessions.error} style={{ marginBottom: 12 }} />}
      <Table<SessionView>
        rowKey={(s) => `${s.createdAt}-${s.ip}-${s.current}`}
        size="middle"
        columns={columns}
        dataSource={sessions.data ?? []}
        loading={sessions.loading}
        pagination={false}
        scroll={{ x: 700 }}
      />
    </Card>
  );
}
