import { App, Button, Form, Input, Popconfirm, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../api/client.ts';
import {
  type ApplicationStatus,
  approveMerchantApplication,
  listMerchantApplications,
  type MerchantApplicationView,
  rejectMerchantApplication,
  revealMerchantApplication,
} from '../../../api/merchants.ts';
import { formatDateTime } from '../../../ui/format.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { FormModal } from '../../forms.tsx';
import { showRevealed } from '../../reveal.tsx';

const STATUS_COLOR: Record<ApplicationStatus, string> = {
  pending: 'gold',
  approved: 'green',
  rejected: 'red',
};

/** 入驻申请: businesses asking to join; the community approves (registering them) or rejects. */
export function ApplicationsTab({ onDecided }: { onDecided: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [status, setStatus] = useState<ApplicationStatus>('pending');
  const list = useLoad(() => listMerchantApplications(status), [status]);
  const [rejecting, setRejecting] = useState<MerchantApplicationView | null>(null);

  const approve = async (a: MerchantApplicationView) => {
    try {
      await approveMerchantApplication(a.id);
      message.success(t('merchants.approved'));
      list.reload();
      onDecided();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const reveal = async (a: MerchantApplicationView) => {
    try {
      const c = await revealMerchantApplication(a.id);
      showRevealed(modal, {
        title: `${t('merchants.revealTitle')} · ${a.name}`,
        closeText: t('common.close'),
        recorded: t('merchants.revealRecorded'),
        rows: [
          { key: 'n', label: t('merchants.contactName'), value: c.contactName },
          { key: 'p', label: t('merchants.contactPhone'), value: c.contactPhone, testId: 'revealed-phone' },
        ],
      });
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Segmented<ApplicationStatus>
          value={status}
          onChange={setStatus}
          options={(['pending', 'approved', 'rejected'] as const).map((s) => ({
            value: s,
            label: t(`merchants.appStatuses.${s}`),
          }))}
        />
      </Space>
      <Table<MerchantApplicationView>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data ?? []}
        pagination={false}
        data-testid="merchant-application-table"
        locale={{ emptyText: t('merchants.noApplications') }}
        scroll={{ x: 1400 }}
        columns={[
          {
            title: t('merchants.name'),
            key: 'name',
            width: 200,
            render: (_: unknown, a) => (
              <>
                <Typography.Text strong>{a.name}</Typography.Text>
                {a.address && <div style={{ fontSize: 12, color: '#666' }}>{a.address}</div>}
              </>
            ),
          },
          {
            title: t('merchants.community'),
            key: 'c',
            width: 120,
            render: (_: unknown, a) => a.community.name,
          },
          {
            title: t('merchants.categories'),
            key: 'cat',
            width: 160,
            render: (_: unknown, a) =>
              a.categories.map((c) => <Tag key={c}>{t(`points.categories.${c}`)}</Tag>),
          },
          {
            title: t('merchants.contact'),
            key: 'contact',
            width: 150,
            render: (_: unknown, a) => (
              <>
                {a.contactName} {a.contactPhone}
              </>
            ),
          },
          {
            title: t('merchants.note'),
            dataIndex: 'note',
            width: 260,
            render: (n: string | null) => n ?? '',
          },
          {
            title: t('merchants.appliedAt'),
            dataIndex: 'createdAt',
            width: 150,
            render: (s: string) => formatDateTime(s),
          },
          {
            title: t('party.status'),
            key: 'st',
            width: 170,
            render: (_: unknown, a) => (
              <>
                <Tag color={STATUS_COLOR[a.status]}>{t(`merchants.appStatuses.${a.status}`)}</Tag>
                {a.reason && <div style={{ fontSize: 12 }}>{a.reason}</div>}
                {a.decidedAt && (
                  <div style={{ fontSize: 12, color: '#888' }}>{formatDateTime(a.decidedAt)}</div>
                )}
              </>
            ),
          },
          {
            title: t('common.actions'),
            key: 'a',
            width: 220,
            fixed: 'right',
            render: (_: unknown, a) => (
              <Space size={4} wrap>
                {a.can.decide && (
                  <>
                    <Popconfirm
                      title={t('merchants.approveAsk', { name: a.name })}
                      okText={t('common.ok')}
                      cancelText={t('common.cancel')}
                      onConfirm={() => approve(a)}
                    >
                      <Button type="link" size="small">
                        {t('merchants.approve')}
                      </Button>
                    </Popconfirm>
                    <Button type="link" size="small" danger onClick={() => setRejecting(a)}>
                      {t('merchants.reject')}
                    </Button>
                  </>
                )}
                {a.can.reveal && (
                  <Button type="link" size="small" onClick={() => reveal(a)}>
                    {t('merchants.reveal')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <FormModal<{ reason: string }>
        open={rejecting !== null}
        name="merchant-application-reject"
        title={rejecting ? t('merchants.rejectTitle', { name: rejecting.name }) : ''}
        fields={['reason']}
        onCancel={() => setRejecting(null)}
        onSubmit={async (v) => {
          if (!rejecting) return;
          await rejectMerchantApplication(rejecting.id, v.reason.trim());
          setRejecting(null);
          list.reload();
          onDecided();
          message.success(t('common.saved'));
        }}
      >
        <Form.Item
          name="reason"
          label={t('merchants.reason')}
          extra={t('merchants.reasonHelp')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('validation.required', { field: t('merchants.reason') }),
            },
          ]}
        >
          <Input.TextArea rows={3} maxLength={200} />
        </Form.Item>
      </FormModal>
    </>
  );
}
