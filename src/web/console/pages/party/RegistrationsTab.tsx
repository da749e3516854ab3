import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Progress,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../api/client.ts';
import {
  addUnitAdmin,
  decideRegistration,
  listRegistrations,
  listUnits,
  type RegistrationView,
  registerUnit,
  type UnitView,
} from '../../../api/index.ts';
import { formatDateTime } from '../../../ui/format.ts';
import { useMe } from '../../../ui/session.tsx';
import { useLoad } from '../../../ui/useLoad.ts';
import { PHONE_RE } from '../../../ui/validate.ts';
import { FormModal } from '../../forms.tsx';
import { RegionPicker } from '../users/NodeFields.tsx';
import { ReasonField } from './parts.tsx';

type Status = RegistrationView['status'];
const STATUS_COLOR: Record<Status, string> = {
  pending: 'gold',
  confirmed: 'green',
  rejected: 'red',
  withdrawn: 'default',
};

/** 双报到: members' registrations to confirm, and the co-building units with their headcounts. */
export function RegistrationsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const [status, setStatus] = useState<Status>('pending');
  const regs = useLoad(() => listRegistrations(status), [status]);
  const units = useLoad(() => listUnits(), []);
  const [rejecting, setRejecting] = useState<RegistrationView | null>(null);
  const [addingUnit, setAddingUnit] = useState(false);
  const [adminOf, setAdminOf] = useState<UnitView | null>(null);
  const canRegisterUnits = me.grants.some((g) =>
    ['communityAdmin', 'townshipAdmin', 'countyAdmin', 'cityAdmin'].includes(g.role),
  );

  const confirm = async (r: RegistrationView) => {
    try {
      await decideRegistration(r.id, 'confirm');
      message.success(t('party.reg.confirmed'));
      regs.reload();
      units.reload();
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <div>
        <Space style={{ marginBottom: 12 }} wrap>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('party.reg.title')}
          </Typography.Title>
          <Segmented<Status>
            value={status}
            onChange={setStatus}
            options={(['pending', 'confirmed', 'rejected', 'withdrawn'] as const).map((s) => ({
              value: s,
              label: t(`party.register.statuses.${s}`),
            }))}
          />
        </Space>
        <Table<RegistrationView>
          rowKey="id"
          size="middle"
          loading={regs.loading}
          dataSource={regs.data ?? []}
          pagination={false}
          data-testid="registration-table"
          scroll={{ x: 1000 }}
          columns={[
            { title: t('party.name'), dataIndex: 'name', width: 90 },
            { title: t('party.idNumber'), dataIndex: 'idNumber', width: 190 },
            { title: t('party.phone'), dataIndex: 'phone', width: 130 },
            { title: t('party.compound'), key: 'c', render: (_: unknown, r) => r.compound.name },
            {
              title: t('party.workUnit'),
              key: 'w',
              render: (_: unknown, r) => (
                <>
                  {r.workUnit} {r.unit && <Tag color="blue">{t('party.reg.unit')}</Tag>}
                  {r.leader && <Tag>{t('party.register.leader')}</Tag>}
                </>
              ),
            },
            { title: t('party.skills'), key: 's', render: (_: unknown, r) => r.skills.join('、') },
            {
              title: t('party.status'),
              key: 'st',
              width: 150,
              render: (_: unknown, r) => (
                <>
                  <Tag color={STATUS_COLOR[r.status]}>{t(`party.register.statuses.${r.status}`)}</Tag>
                  {r.reason && <div style={{ fontSize: 12 }}>{r.reason}</div>}
                </>
              ),
            },
            {
              title: t('party.reg.at'),
              dataIndex: 'createdAt',
              width: 160,
              render: (s: string) => formatDateTime(s),
            },
            {
              title: t('common.actions'),
              key: 'a',
              width: 170,
              fixed: 'right',
              render: (_: unknown, r) =>
                r.can.decide && (
                  <Space size={4}>
                    <Popconfirm
                      title={t('party.reg.confirmAsk', { name: r.name })}
                      okText={t('common.ok')}
                      cancelText={t('common.cancel')}
                      onConfirm={() => confirm(r)}
                    >
                      <Button type="link" size="small">
                        {t('party.reg.confirm')}
                      </Button>
                    </Popconfirm>
                    <Button type="link" size="small" danger onClick={() => setRejecting(r)}>
                      {t('party.reg.reject')}
                    </Button>
                  </Space>
                ),
            },
          ]}
        />
      </div>

      <div>
        <Space style={{ marginBottom: 12, justifyContent: 'space-between', width: '100%' }}>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('party.reg.units')}
          </Typography.Title>
          {canRegisterUnits && (
            <Button icon={<PlusOutlined aria-hidden />} onClick={() => setAddingUnit(true)}>
              {t('party.reg.addUnit')}
            </Button>
          )}
        </Space>
        <Table<UnitView>
          rowKey="id"
          size="middle"
          loading={units.loading}
          dataSource={units.data ?? []}
          pagination={false}
          data-testid="unit-table"
          columns={[
            { title: t('party.reg.unitName'), dataIndex: 'name' },
            {
              title: t('party.reg.headcount'),
              key: 'h',
              width: 260,
              render: (_: unknown, u) => (
                <Space>
                  <Progress
                    percent={u.expectedMembers ? Math.round((u.registered / u.expectedMembers) * 100) : 0}
                    size="small"
                    style={{ width: 120 }}
                    showInfo={false}
                  />
                  {t('party.reg.headcountValue', { registered: u.registered, expected: u.expectedMembers })}
                </Space>
              ),
            },
            { title: t('party.register.statuses.pending'), dataIndex: 'pending', width: 110 },
            {
              title: t('party.reg.communities'),
              key: 'c',
              render: (_: unknown, u) => u.communities.map((c) => c.name).join('、'),
            },
            {
              title: t('party.reg.pledged'),
              key: 'p',
              render: (_: unknown, u) =>
                u.communities
                  .map((c) => c.pledged)
                  .filter(Boolean)
                  .join('；'),
            },
            {
              title: t('common.actions'),
              key: 'a',
              width: 120,
              render: (_: unknown, u) =>
                u.can.edit && (
                  <Button type="link" size="small" onClick={() => setAdminOf(u)}>
                    {t('unit.addAdmin')}
                  </Button>
                ),
            },
          ]}
        />
      </div>

      <FormModal<{ reason: string }>
        open={rejecting !== null}
        name="registration-reject"
        title={rejecting ? `${t('party.reg.reject')} · ${rejecting.name}` : ''}
        fields={['reason']}
        onCancel={() => setRejecting(null)}
        onSubmit={async (v) => {
          if (!rejecting) return;
          await decideRegistration(rejecting.id, 'reject', v.reason.trim());
          setRejecting(null);
          regs.reload();
          message.success(t('common.saved'));
        }}
      >
        <ReasonField extra={t('party.reg.reasonHelp')} rows={3} />
      </FormModal>

      <FormModal<{ phone: string; name?: string }>
        open={adminOf !== null}
        name="unit-admin"
        title={adminOf ? t('unit.addAdminTitle', { name: adminOf.name }) : ''}
        fields={['phone', 'name']}
        onCancel={() => setAdminOf(null)}
        onSubmit={async (v) => {
          if (!adminOf) return;
          await addUnitAdmin(adminOf.id, { phone: v.phone.trim(), name: v.name?.trim() || undefined });
          setAdminOf(null);
          message.success(t('unit.adminAdded'));
        }}
      >
        <Typography.Paragraph type="secondary">{t('unit.adminHelp')}</Typography.Paragraph>
        <Form.Item
          name="phone"
          label={t('unit.adminPhone')}
          rules={[
            { required: true, message: t('validation.phone') },
            { pattern: PHONE_RE, message: t('validation.phone') },
          ]}
        >
          <Input maxLength={11} inputMode="numeric" />
        </Form.Item>
        <Form.Item name="name" label={t('unit.adminName')} extra={t('unit.adminNameHelp')}>
          <Input maxLength={40} />
        </Form.Item>
      </FormModal>

      <FormModal<{
        name: string;
        communityCode: string;
        contactName?: string;
        contactPhone?: string;
        expectedMembers?: number;
        agreement?: string;
        pledged?: string;
      }>
        open={addingUnit}
        name="unit-create"
        title={t('party.reg.addUnit')}
        width={560}
        fields={[
          'name',
          'communityCode',
          'contactName',
          'contactPhone',
          'expectedMembers',
          'agreement',
          'pledged',
        ]}
        onCancel={() => setAddingUnit(false)}
        onSubmit={async (v) => {
          await registerUnit({
            name: v.name.trim(),
            communityCode: v.communityCode,
            contactName: v.contactName?.trim() || undefined,
            contactPhone: v.contactPhone?.trim() || undefined,
            expectedMembers: v.expectedMembers ?? 0,
            agreement: v.agreement?.trim() || undefined,
            pledged: v.pledged?.trim() || undefined,
          });
          setAddingUnit(false);
          units.reload();
          message.success(t('common.created'));
        }}
      >
        <Form.Item
          name="name"
          label={t('party.reg.unitName')}
          rules={[{ required: true, whitespace: true, max: 100 }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="communityCode"
          label={t('party.orgs.community')}
          rules={[{ required: true, message: t('validation.select', { field: t('party.orgs.community') }) }]}
        >
          <RegionPicker level="community" />
        </Form.Item>
        <Form.Item name="contactName" label={t('party.reg.contactName')}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item
          name="contactPhone"
          label={t('party.phone')}
          rules={[{ pattern: PHONE_RE, message: t('validation.phone') }]}
        >
          <Input maxLength={11} inputMode="numeric" />
        </Form.Item>
        <Form.Item name="expectedMembers" label={t('party.reg.expected')}>
          <InputNumber min={0} max={100000} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="agreement" label={t('party.reg.agreement')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="pledged" label={t('party.reg.pledged')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </FormModal>
    </Space>
  );
}
