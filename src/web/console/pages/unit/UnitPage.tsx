import { DownloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Progress,
  Result,
  Row,
  Segmented,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  myUnits,
  type RegistrationView,
  type UnitView,
  unitRegistrations,
  unitRegistrationsXlsxUrl,
} from '../../../api/index.ts';
import { formatDateTime } from '../../../ui/format.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { UnitServiceCard } from '../service/targets/UnitServiceCard.tsx';

type Status = RegistrationView['status'];
type Filter = Status | 'all';
const STATUSES: readonly Status[] = ['pending', 'confirmed', 'rejected', 'withdrawn'];
const STATUS_COLOR: Record<Status, string> = {
  pending: 'gold',
  confirmed: 'green',
  rejected: 'red',
  withdrawn: 'default',
};

/**
 * 本单位报到: a co-building unit's administrator (its party-work secretary, at a desk) follows how
 * the unit's in-service members register where they live: registered against expected, what waits
 * for the community, the agreements with each community, and every registration, masked.
 */
export default function UnitPage() {
  const { t } = useTranslation();
  const units = useLoad(() => myUnits(), []);
  const [picked, setPicked] = useState<number | null>(null);
  const list = units.data ?? [];
  const unit = list.find((u) => u.id === picked) ?? list[0];

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('unit.title')}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: list.length > 1 ? 16 : 0 }}>
          {t('unit.intro')}
        </Typography.Paragraph>
        {list.length > 1 && (
          <Segmented<number>
            value={unit?.id}
            onChange={setPicked}
            options={list.map((u) => ({ value: u.id, label: u.name }))}
            data-testid="unit-picker"
          />
        )}
      </Card>
      {units.error ? (
        <Alert type="error" showIcon title={units.error} />
      ) : units.loading && !units.data ? (
        <div style={{ textAlign: 'center', padding: 48 }}>
          <Spin />
        </div>
      ) : unit ? (
        <>
          <UnitSummary unit={unit} />
          <StaffRegistrations key={unit.id} unit={unit} />
          <UnitServiceCard key={`service-${unit.id}`} unitId={unit.id} />
        </>
      ) : (
        <Card>
          <Result status="info" title={t('unit.none')} subTitle={t('unit.noneHint')} />
        </Card>
      )}
    </Space>
  );
}

function UnitSummary({ unit }: { unit: UnitView }) {
  const { t } = useTranslation();
  const percent = unit.expectedMembers
    ? Math.min(100, Math.round((unit.registered / unit.expectedMembers) * 100))
    : 0;
  return (
    <Card
      title={unit.name}
      data-testid="unit-summary"
      extra={
        <Typography.Text type="secondary">
          {t('unit.contact', {
            who: unit.contactName
              ? `${unit.contactName} ${unit.contactPhone ?? ''}`.trim()
              : t('unit.notGiven'),
          })}
        </Typography.Text>
      }
    >
      <Row gutter={[24, 24]}>
        <Col xs={24} md={10}>
          <Statistic
            title={t('unit.registered')}
            value={unit.registered}
            suffix={
              <Typography.Text type="secondary" style={{ fontSize: 14 }}>
                {unit.expectedMembers
                  ? ` / ${t('unit.expected', { count: unit.expectedMembers })}`
                  : ` · ${t('unit.noExpected')}`}
              </Typography.Text>
            }
          />
          {unit.expectedMembers > 0 && (
            <Progress percent={percent} strokeColor="#c8161d" style={{ maxWidth: 360 }} />
          )}
        </Col>
        <Col xs={12} md={7}>
          <Statistic title={t('unit.pending')} value={unit.pending} />
        </Col>
        <Col xs={12} md={7}>
          <Statistic title={t('unit.communities')} value={unit.communities.length} />
        </Col>
      </Row>
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('unit.communities')}
      </Typography.Title>
      <Table<UnitView['communities'][number]>
        rowKey="code"
        size="small"
        pagination={false}
        dataSource={unit.communities}
        data-testid="unit-communities"
        columns={[
          { title: t('party.orgs.community'), dataIndex: 'name', width: 160 },
          {
            title: t('unit.agreement'),
            dataIndex: 'agreement',
            render: (v: string | null) => v || t('unit.notGiven'),
          },
          {
            title: t('unit.pledged'),
            dataIndex: 'pledged',
            render: (v: string | null) => v || t('unit.notGiven'),
          },
          {
            title: t('unit.signedOnCol'),
            dataIndex: 'signedOn',
            width: 120,
            render: (v: string | null) => v ?? '',
          },
        ]}
      />
    </Card>
  );
}

function StaffRegistrations({ unit }: { unit: UnitView }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<Filter>('all');
  const status = filter === 'all' ? undefined : filter;
  const regs = useLoad(() => unitRegistrations(unit.id, status), [unit.id, status]);
  return (
    <Card
      title={t('unit.staff')}
      extra={
        <Button
          icon={<DownloadOutlined aria-hidden />}
          href={unitRegistrationsXlsxUrl(unit.id, status)}
          download
        >
          {t('unit.export')}
        </Button>
      }
    >
      <Segmented<Filter>
        value={filter}
        onChange={setFilter}
        style={{ marginBottom: 12 }}
        options={[
          { value: 'all', label: t('unit.all') },
          ...STATUSES.map((s) => ({ value: s, label: t(`party.register.statuses.${s}`) })),
        ]}
      />
      {regs.error && <Alert type="error" showIcon title={regs.error} style={{ marginBottom: 12 }} />}
      <Table<RegistrationView>
        rowKey="id"
        size="middle"
        loading={regs.loading}
        dataSource={regs.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="unit-registrations"
        scroll={{ x: 1060 }}
        locale={{
          emptyText: (
            <Empty
              description={
                filter === 'all' ? (
                  <>
                    <div>{t('unit.empty')}</div>
                    <Typography.Text type="secondary">{t('unit.emptyHint')}</Typography.Text>
                  </>
                ) : undefined
              }
            />
          ),
        }}
        columns={[
          {
            title: t('party.name'),
            key: 'n',
            width: 150,
            render: (_: unknown, r) => (
              <Space size={4}>
                {r.name}
                {r.leader && <Tag>{t('unit.leader')}</Tag>}
              </Space>
            ),
          },
          { title: t('party.phone'), dataIndex: 'phone', width: 130 },
          {
            title: t('unit.where'),
            key: 'w',
            render: (_: unknown, r) => `${r.community.name} · ${r.compound.name}`,
          },
          { title: t('party.skills'), key: 's', width: 120, render: (_: unknown, r) => r.skills.join('、') },
          {
            title: t('party.status'),
            key: 'st',
            width: 180,
            render: (_: unknown, r) => (
              <>
                <Tag color={STATUS_COLOR[r.status]}>{t(`party.register.statuses.${r.status}`)}</Tag>
                {r.reason && (
                  <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                    {r.reason}
                  </Typography.Text>
                )}
              </>
            ),
          },
          {
            title: t('party.reg.at'),
            dataIndex: 'createdAt',
            width: 150,
            render: (s: string) => formatDateTime(s),
          },
          {
            title: t('unit.decidedAt'),
            dataIndex: 'decidedAt',
            width: 150,
            render: (s: string | null) => formatDateTime(s),
          },
        ]}
      />
    </Card>
  );
}
