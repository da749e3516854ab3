import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listMembers, type MemberView } from '../../../../api/index.ts';
import {
  type CertificateView,
  certificatePdfUrl,
  issueCertificate,
  listCertificates,
  previewCertificate,
  revokeCertificate,
} from '../../../../api/service-targets.ts';
import { formatDateTime, todayInCity } from '../../../../ui/format.ts';
import { useCursorList } from '../../../../ui/useCursorList.ts';
import { useDebounced } from '../../../../ui/useDebounced.ts';
import { useLoad } from '../../../../ui/useLoad.ts';
import { FormModal } from '../../../forms.tsx';
import { PagedTable } from '../../../LoadMore.tsx';
import { actionsColumn } from '../../../rowActions.tsx';
import { ReasonField } from '../../party/parts.tsx';

interface IssueForm {
  memberId: number;
  period: [dayjs.Dayjs, dayjs.Dayjs];
}

/** 志愿服务证明: those issued in the viewer's area; issue one, download it, revoke it. */
export function CertificatesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [number, setNumber] = useState<string | undefined>();
  const [issuing, setIssuing] = useState(false);
  const [revoking, setRevoking] = useState<CertificateView | null>(null);
  const list = useCursorList((cursor) => listCertificates({ number, cursor, limit: 50 }), [number]);

  const columns: ColumnsType<CertificateView> = [
    {
      title: t('serviceTargets.number'),
      dataIndex: 'number',
      width: 170,
      render: (n: string) => <Typography.Text copyable={{ text: n }}>{n}</Typography.Text>,
    },
    { title: t('serviceTargets.holder'), key: 'holder', width: 90, render: (_: unknown, c) => c.member.name },
    {
      title: t('serviceTargets.period'),
      key: 'period',
      width: 200,
      render: (_: unknown, c) => t('serviceTargets.periodValue', { from: c.periodFrom, to: c.periodTo }),
    },
    { title: t('serviceTargets.times'), dataIndex: 'times', width: 70 },
    { title: t('serviceTargets.hours'), dataIndex: 'hours', width: 100 },
    {
      title: t('serviceTargets.content'),
      dataIndex: 'content',
      ellipsis: true,
    },
    { title: t('serviceTargets.issuer'), dataIndex: 'issuer', width: 110 },
    {
      title: t('serviceTargets.issuedAt'),
      dataIndex: 'issuedAt',
      width: 150,
      render: (s: string) => formatDateTime(s),
    },
    {
      title: t('serviceTargets.status'),
      key: 'status',
      width: 100,
      render: (_: unknown, c) =>
        c.status === 'valid' ? (
          <Tag color="green">{t('serviceTargets.valid')}</Tag>
        ) : (
          <Space orientation="vertical" size={0}>
            <Tag color="red">{t('serviceTargets.revoked')}</Tag>
            {c.revokeReason && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {c.revokeReason}
              </Typography.Text>
            )}
          </Space>
        ),
    },
    actionsColumn(
      t,
      170,
      (c: CertificateView) => (
        <Space size={0}>
          <Button
            type="link"
            size="small"
            href={certificatePdfUrl(c.id)}
            download
            icon={<DownloadOutlined />}
          >
            {t('serviceTargets.download')}
          </Button>
          {c.can.revoke && (
            <Button type="link" size="small" danger onClick={() => setRevoking(c)}>
              {t('serviceTargets.revoke')}
            </Button>
          )}
        </Space>
      ),
      { fixed: 'right' },
    ),
  ];

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('serviceTargets.numberSearch')}
          onSearch={(v) => setNumber(v.trim() || undefined)}
          style={{ width: 260 }}
          data-testid="certificate-search"
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setIssuing(true)}>
          {t('serviceTargets.issue')}
        </Button>
      </Space>
      <PagedTable<CertificateView>
        list={list}
        columns={columns}
        scroll={{ x: 1300 }}
        locale={{ emptyText: t('serviceTargets.certificatesEmpty') }}
        data-testid="certificate-list"
      />
      <IssueModal
        open={issuing}
        onClose={() => setIssuing(false)}
        onIssued={(c) => {
          list.setItems((prev) => [c, ...prev]);
          message.success(t('serviceTargets.issued', { number: c.number }));
          setIssuing(false);
        }}
      />
      <FormModal<{ reason: string }>
        open={revoking !== null}
        name="certificate-revoke"
        title={revoking && t('serviceTargets.revokeTitle', { number: revoking.number })}
        fields={['reason']}
        onCancel={() => setRevoking(null)}
        onSubmit={async (v) => {
          if (!revoking) return;
          const done = await revokeCertificate(revoking.id, v.reason);
          list.setItems((prev) => prev.map((x) => (x.id === done.id ? done : x)));
          message.success(t('serviceTargets.revokedOk'));
          setRevoking(null);
        }}
      >
        <Alert type="warning" showIcon title={t('serviceTargets.revokeHelp')} style={{ marginBottom: 16 }} />
        <ReasonField />
      </FormModal>
    </>
  );
}

function IssueModal({
  open,
  onClose,
  onIssued,
}: {
  open: boolean;
  onClose: () => void;
  onIssued: (c: CertificateView) => void;
}) {
  const { t } = useTranslation();
  const today = todayInCity();
  const year = today.slice(0, 4);
  return (
    <FormModal<IssueForm>
      open={open}
      name="certificate-issue"
      title={t('serviceTargets.issueTitle')}
      width={620}
      initialValues={{ period: [dayjs(`${year}-01-01`), dayjs(today)] }}
      fields={['memberId', 'period']}
      rename={{ periodFrom: 'period', periodTo: 'period' }}
      onCancel={onClose}
      onSubmit={async (v) =>
        onIssued(
          await issueCertificate({
            memberId: v.memberId,
            periodFrom: v.period[0].format('YYYY-MM-DD'),
            periodTo: v.period[1].format('YYYY-MM-DD'),
          }),
        )
      }
    >
      {(form) => (
        <>
          <Typography.Paragraph type="secondary">{t('serviceTargets.issueHelp')}</Typography.Paragraph>
          <Form.Item
            name="memberId"
            label={t('serviceTargets.member')}
            rules={[
              { required: true, message: t('validation.select', { field: t('serviceTargets.member') }) },
            ]}
          >
            <MemberSearch />
          </Form.Item>
          <Form.Item name="period" label={t('serviceTargets.period')} rules={[{ required: true }]}>
            <DatePicker.RangePicker
              style={{ width: '100%' }}
              disabledDate={(d) => d.format('YYYY-MM-DD') > today}
              placeholder={[t('serviceTargets.periodFrom'), t('serviceTargets.periodTo')]}
            />
          </Form.Item>
          <Form.Item noStyle shouldUpdate>
            {() => (
              <Preview memberId={form.getFieldValue('memberId')} period={form.getFieldValue('period')} />
            )}
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}

/** What the certificate would say, fetched as the member and period are picked. */
function Preview({ memberId, period }: { memberId?: number; period?: [dayjs.Dayjs, dayjs.Dayjs] | null }) {
  const { t } = useTranslation();
  const from = period?.[0]?.format('YYYY-MM-DD');
  const to = period?.[1]?.format('YYYY-MM-DD');
  const p = useLoad(
    () =>
      memberId && from && to
        ? previewCertificate({ memberId, periodFrom: from, periodTo: to })
        : Promise.resolve(null),
    [memberId, from, to],
  );
  if (!memberId || !from || !to) return null;
  if (p.error) return <Alert type="error" showIcon title={p.error} />;
  if (!p.data) return null;
  if (p.data.times === 0) return <Alert type="warning" showIcon title={t('serviceTargets.previewEmpty')} />;
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      title={t('serviceTargets.preview')}
      data-testid="certificate-preview"
      items={[
        { key: 'h', label: t('serviceTargets.holder'), children: p.data.member.name },
        {
          key: 'f',
          label: t('serviceTargets.period'),
          children: t('serviceTargets.periodValue', { from, to }),
        },
        {
          key: 't',
          label: t('serviceTargets.done'),
          children: t('serviceTargets.previewValue', { times: p.data.times, hours: p.data.hours }),
        },
        { key: 'c', label: t('serviceTargets.content'), children: p.data.content },
        { key: 'i', label: t('serviceTargets.issuer'), children: p.data.issuer },
      ]}
    />
  );
}

/** Members of the viewer's area by name (masked, with age and the ID number's end to tell two apart). */
function MemberSearch({
  id,
  value,
  onChange,
}: {
  id?: string;
  value?: number;
  onChange?: (v: number) => void;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const debounced = useDebounced(q);
  const found = useLoad(
    () => listMembers({ q: debounced || undefined, status: 'normal', limit: 20 }),
    [debounced],
  );
  const label = (m: MemberView) =>
    `${m.name} · ${t('party.ageValue', { age: m.age })} · ${m.idNumber.slice(-4)} · ${m.compound.name}`;
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={found.loading}
      placeholder={t('serviceTargets.memberPlaceholder')}
      options={(found.data?.items ?? []).map((m) => ({ value: m.id, label: label(m) }))}
      notFoundContent={found.loading ? t('common.loading') : t('common.empty')}
      data-testid="certificate-member"
    />
  );
}
