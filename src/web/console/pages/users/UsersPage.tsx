import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Popconfirm, Select, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GrantView } from '../../../../contracts/auth.ts';
import { ROLES, type Role } from '../../../../contracts/roles.ts';
import { errorText } from '../../../api/client.ts';
import {
  addGrant,
  createUser,
  listUsers,
  revealUser,
  revokeGrant,
  setUserDisabled,
  type UserView,
} from '../../../api/index.ts';
import { formatDateTime } from '../../../ui/format.ts';
import { roleLabel, sortGrants } from '../../../ui/roles.ts';
import { useMe } from '../../../ui/session.tsx';
import { useCursorList } from '../../../ui/useCursorList.ts';
import { MIN_PASSWORD, nameRules, PHONE_RE, phoneRules } from '../../../ui/validate.ts';
import { FilterForm, FormModal } from '../../forms.tsx';
import { PagedTable } from '../../LoadMore.tsx';
import { showRevealed } from '../../reveal.tsx';
import { actionsColumn } from '../../rowActions.tsx';
import { type NodeFormValues, RoleAndNodeFields } from './NodeFields.tsx';

const PAGE = 50;

interface Filters {
  role?: Role;
  phone?: string;
}

interface CreateForm extends NodeFormValues {
  phone: string;
  name: string;
  password?: string;
}

/** 用户与角色: people holding roles in the viewer's area, masked; grants, disable, audited reveal. */
export default function UsersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { message, modal } = App.useApp();
  const [filters, setFilters] = useState<Filters>({});
  const [creating, setCreating] = useState(false);
  const [granting, setGranting] = useState<UserView | null>(null);
  const list = useCursorList((cursor) => listUsers({ ...filters, cursor, limit: PAGE }), [filters]);
  const { setItems } = list;

  const replace = (u: UserView) => setItems((prev) => prev.map((x) => (x.id === u.id ? u : x)));

  const reveal = async (u: UserView) => {
    try {
      const pii = await revealUser(u.id);
      showRevealed(modal, {
        title: t('users.revealTitle'),
        closeText: t('common.close'),
        recorded: t('users.revealRecorded'),
        rows: [
          { key: 'name', label: t('users.name'), value: pii.name, testId: 'revealed-name' },
          { key: 'phone', label: t('users.phone'), value: pii.phone, testId: 'revealed-phone' },
        ],
      });
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const revoke = (u: UserView, g: GrantView) =>
    modal.confirm({
      title: t('users.revokeGrant'),
      content: t('users.revokeConfirm', { role: roleLabel(t, g.role), scope: g.scopeLabel }),
      okText: t('common.ok'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          replace(await revokeGrant(u.id, g.id));
          message.success(t('users.revoked'));
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });

  const toggle = async (u: UserView) => {
    try {
      replace(await setUserDisabled(u.id, !u.disabled));
      message.success(t('common.saved'));
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const columns: ColumnsType<UserView> = [
    { title: t('users.name'), dataIndex: 'name', width: 110 },
    { title: t('users.phone'), dataIndex: 'phone', width: 140 },
    {
      title: t('users.roles'),
      key: 'grants',
      render: (_: unknown, u) => (
        <Space size={[4, 4]} wrap>
          {sortGrants(u.grants).map((g) => (
            <Tooltip key={g.id} title={g.scopeLabel}>
              <Tag
                color={g.role.endsWith('Admin') ? 'red' : 'blue'}
                closable={g.revocable ? { 'aria-label': t('users.revokeGrant') } : false}
                onClose={(e) => {
                  e.preventDefault();
                  revoke(u, g);
                }}
                style={{ marginInlineEnd: 0 }}
              >
                {roleLabel(t, g.role)} · {g.scopeLabel}
              </Tag>
            </Tooltip>
          ))}
        </Space>
      ),
    },
    {
      title: t('users.status'),
      dataIndex: 'disabled',
      width: 90,
      render: (d: boolean) =>
        d ? <Tag>{t('users.disabled')}</Tag> : <Tag color="green">{t('users.enabled')}</Tag>,
    },
    {
      title: t('users.createdAt'),
      dataIndex: 'createdAt',
      width: 170,
      render: (s: string) => formatDateTime(s),
    },
    actionsColumn(
      t,
      220,
      (u: UserView) => (
        <>
          {u.can.reveal && (
            <Button type="link" size="small" onClick={() => reveal(u)}>
              {t('users.reveal')}
            </Button>
          )}
          {u.can.grant && (
            <Button type="link" size="small" onClick={() => setGranting(u)}>
              {t('users.addGrant')}
            </Button>
          )}
          {u.can.disable && (
            <Popconfirm
              title={u.disabled ? t('users.enableConfirm') : t('users.disableConfirm')}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              onConfirm={() => toggle(u)}
            >
              <Button type="link" size="small" danger={!u.disabled}>
                {u.disabled ? t('users.enable') : t('users.disable')}
              </Button>
            </Popconfirm>
          )}
        </>
      ),
      { fixed: 'right' },
    ),
  ];

  return (
    <Card
      title={t('users.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
          {t('users.addUser')}
        </Button>
      }
    >
      <FilterForm<Filters>
        name="user-filter"
        onSearch={(v) => setFilters({ role: v.role || undefined, phone: v.phone?.trim() || undefined })}
        onReset={() => setFilters({})}
      >
        <Form.Item name="role" label={t('users.role')}>
          <Select
            allowClear
            placeholder={t('users.filterRole')}
            style={{ width: 200 }}
            options={[...ROLES].reverse().map((r) => ({ value: r, label: roleLabel(t, r) }))}
          />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('users.phone')}
          rules={[{ pattern: PHONE_RE, message: t('validation.phone') }]}
        >
          <Input
            allowClear
            placeholder={t('users.filterPhone')}
            maxLength={11}
            inputMode="numeric"
            style={{ width: 200 }}
          />
        </Form.Item>
      </FilterForm>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('users.maskedHint')}
      </Typography.Paragraph>
      <PagedTable<UserView> list={list} data-testid="user-table" columns={columns} scroll={{ x: 1000 }} />

      <FormModal<CreateForm>
        open={creating}
        name="user-create"
        title={t('users.addUser')}
        width={560}
        fields={['phone', 'name', 'password', 'role', 'nodeRef']}
        rename={{ 'grant.role': 'role', 'grant.nodeRef': 'nodeRef' }}
        onCancel={() => setCreating(false)}
        onSubmit={async (v) => {
          const u = await createUser({
            phone: v.phone.trim(),
            name: v.name.trim(),
            password: v.password || undefined,
            grant: { role: v.role, nodeRef: v.nodeRef },
          });
          setItems((prev) => [u, ...prev.filter((x) => x.id !== u.id)]);
          setCreating(false);
          message.success(t('common.created'));
        }}
      >
        {(form) => (
          <>
            <Form.Item name="phone" label={t('users.phone')} rules={phoneRules(t)}>
              <Input maxLength={11} inputMode="numeric" autoComplete="off" autoFocus />
            </Form.Item>
            <Form.Item name="name" label={t('users.name')} rules={nameRules(t, t('users.name'), { max: 40 })}>
              <Input maxLength={40} autoComplete="off" />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('users.initialPassword')}
              extra={t('users.initialPasswordHelp')}
              rules={[{ min: MIN_PASSWORD, message: t('validation.passwordMin') }]}
            >
              <Input.Password autoComplete="new-password" maxLength={128} />
            </Form.Item>
            <RoleAndNodeFields form={form} me={me} />
          </>
        )}
      </FormModal>

      <FormModal<NodeFormValues>
        open={granting !== null}
        name="grant-add"
        title={granting ? `${t('users.addGrant')} · ${granting.name}` : t('users.addGrant')}
        width={560}
        fields={['role', 'nodeRef']}
        onCancel={() => setGranting(null)}
        onSubmit={async (v) => {
          if (!granting) return;
          replace(await addGrant(granting.id, { role: v.role, nodeRef: v.nodeRef }));
          setGranting(null);
          message.success(t('users.granted'));
        }}
      >
        {(form) => <RoleAndNodeFields form={form} me={me} />}
      </FormModal>
    </Card>
  );
}
