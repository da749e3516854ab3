import { DownloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Progress as Bar,
  Button,
  Col,
  Form,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  PROGRESS_STATUS_LIST,
  type ProgressQuery,
  type ProgressRow,
  type ProgressStatus,
  type ProgressSummary,
  serviceProgress,
  serviceProgressSummary,
  serviceProgressXlsxUrl,
  TARGET_GROUP_LIST,
  type TargetGroup,
} from '../../../../api/service-targets.ts';
import { useCursorList } from '../../../../ui/useCursorList.ts';
import { useLoad } from '../../../../ui/useLoad.ts';
import { FilterForm } from '../../../forms.tsx';
import { PagedTable } from '../../../LoadMore.tsx';
import { CompoundPicker, RegionPicker } from '../../users/NodeFields.tsx';

const PAGE = 50;
export const STATUS_COLOR: Record<ProgressStatus, string> = { met: 'green', onTrack: 'blue', behind: 'red' };
type StatusFilter = ProgressStatus | 'notMet' | 'all';

interface Filters {
  region?: string;
  compoundId?: string;
  status?: StatusFilter;
  group?: TargetGroup;
}

/** Times and hours against the target, and what is missing, for a row of a progress list. */
export function progressColumns(t: TFunction): ColumnsType<ProgressRow> {
  return [
    {
      title: t('serviceTargets.group'),
      dataIndex: 'group',
      width: 170,
      render: (g: TargetGroup | null) => (g ? t(`serviceTargets.groups.${g}`) : '—'),
    },
    {
      title: t('serviceTargets.done'),
      key: 'done',
      width: 130,
      render: (_: unknown, r) => t('serviceTargets.doneValue', { times: r.times, hours: r.hours }),
    },
    {
      title: t('serviceTargets.yearTarget'),
      key: 'target',
      width: 130,
      render: (_: unknown, r) =>
        r.target ? t('serviceTargets.target', { times: r.target.minTimes, hours: r.target.minHours }) : '—',
    },
    {
      title: t('serviceTargets.missing'),
      key: 'missing',
      width: 150,
      render: (_: unknown, r) => {
        const parts = [
          r.missing?.times ? t('serviceTargets.missingTimes', { count: r.missing.times }) : '',
          r.missing?.hours ? t('serviceTargets.missingHours', { count: r.missing.hours }) : '',
        ].filter(Boolean);
        return parts.length ? parts.join('、') : t('serviceTargets.nothingMissing');
      },
    },
    {
      title: t('serviceTargets.status'),
      dataIndex: 'status',
      width: 100,
      render: (s: ProgressStatus | null) =>
        s ? <Tag color={STATUS_COLOR[s]}>{t(`serviceTargets.statuses.${s}`)}</Tag> : '—',
    },
  ];
}

/** Per community: how many have a target, met, on track, behind; then the members, those behind first. */
export function ProgressTab({ year }: { year: number }) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>({ status: 'behind' });
  const query: ProgressQuery = {
    year,
    region: filters.region,
    compoundId: filters.compoundId ? Number(filters.compoundId) : undefined,
    status: filters.status ?? 'behind',
    group: filters.group,
  };
  const summary = useLoad(
    () => serviceProgressSummary({ year, region: query.region, compoundId: query.compoundId }),
    [year, filters.region, filters.compoundId],
  );
  const list = useCursorList(
    async (cursor) => {
      const page = await serviceProgress({ ...query, cursor, limit: PAGE });
      return { ...page, items: page.items.map((r) => ({ ...r, id: r.member.id })) };
    },
    [year, filters],
  );

  const columns: ColumnsType<ProgressRow & { id: number }> = [
    { title: t('serviceTargets.name'), key: 'name', width: 90, render: (_: unknown, r) => r.member.name },
    {
      title: t('serviceTargets.community'),
      key: 'where',
      width: 200,
      render: (_: unknown, r) => `${r.community.name} · ${r.compound.name}`,
    },
    {
      title: t('serviceTargets.workUnit'),
      dataIndex: 'workUnit',
      width: 150,
      render: (w: string | null) => w ?? '—',
    },
    ...(progressColumns(t) as ColumnsType<ProgressRow & { id: number }>),
  ];

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <SummaryBlock summary={summary.data} error={summary.error} loading={summary.loading} />
      <div>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} align="start">
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('serviceTargets.listTitle')}
          </Typography.Title>
          <Button icon={<DownloadOutlined aria-hidden />} href={serviceProgressXlsxUrl(query)} download>
            {t('serviceTargets.export')}
          </Button>
        </Space>
        <FilterForm<Filters>
          name="service-progress-filters"
          onSearch={(v) => setFilters({ ...v, status: v.status ?? 'behind' })}
          onReset={() => setFilters({ status: 'behind' })}
        >
          <Form.Item name="region" label={t('serviceTargets.region')}>
            <RegionPicker style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="compoundId" label={t('serviceTargets.compound')}>
            <CompoundPicker style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="status" label={t('serviceTargets.status')} initialValue="behind">
            <Select<StatusFilter>
              style={{ width: 120 }}
              options={[
                ...PROGRESS_STATUS_LIST.map((s) => ({ value: s, label: t(`serviceTargets.statuses.${s}`) })),
                { value: 'notMet', label: t('serviceTargets.notMet') },
                { value: 'all', label: t('common.all') },
              ]}
            />
          </Form.Item>
          <Form.Item name="group" label={t('serviceTargets.group')}>
            <Select<TargetGroup>
              allowClear
              style={{ width: 200 }}
              placeholder={t('common.all')}
              options={TARGET_GROUP_LIST.map((g) => ({ value: g, label: t(`serviceTargets.groups.${g}`) }))}
            />
          </Form.Item>
        </FilterForm>
        <PagedTable<ProgressRow & { id: number }>
          list={list}
          columns={columns}
          scroll={{ x: 1100 }}
          locale={{
            emptyText: query.status === 'behind' ? t('serviceTargets.emptyBehind') : t('common.empty'),
          }}
          data-testid="service-progress-list"
        />
      </div>
    </Space>
  );
}

function SummaryBlock({
  summary,
  error,
  loading,
}: {
  summary: ProgressSummary | undefined;
  error: string | null;
  loading: boolean;
}) {
  const { t } = useTranslation();
  if (error) return <Alert type="error" showIcon title={error} />;
  const totals = summary?.totals ?? { members: 0, met: 0, onTrack: 0, behind: 0 };
  const rate = (behind: number, members: number) => (members ? Math.round((behind / members) * 100) : 0);
  return (
    <div data-testid="service-progress-summary">
      <Row gutter={[24, 16]} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}>
          <Statistic
            title={t('serviceTargets.members')}
            value={totals.members}
            loading={loading && !summary}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('serviceTargets.met')}
            value={totals.met}
            styles={{ content: { color: '#389e0d' } }}
            loading={loading && !summary}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('serviceTargets.onTrack')}
            value={totals.onTrack}
            loading={loading && !summary}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('serviceTargets.behind')}
            value={totals.behind}
            styles={{ content: { color: '#cf1322' } }}
            loading={loading && !summary}
          />
        </Col>
      </Row>
      {summary && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('serviceTargets.asOf', { day: summary.asOf })}
        </Typography.Paragraph>
      )}
      <Table<ProgressSummary['communities'][number]>
        rowKey="code"
        size="small"
        loading={loading}
        dataSource={summary?.communities ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        title={() => <Typography.Text strong>{t('serviceTargets.summaryTitle')}</Typography.Text>}
        columns={[
          { title: t('serviceTargets.community'), dataIndex: 'name' },
          { title: t('serviceTargets.members'), dataIndex: 'members', width: 120 },
          { title: t('serviceTargets.met'), dataIndex: 'met', width: 90 },
          { title: t('serviceTargets.onTrack'), dataIndex: 'onTrack', width: 90 },
          { title: t('serviceTargets.behind'), dataIndex: 'behind', width: 90 },
          {
            title: t('serviceTargets.behindRate'),
            key: 'rate',
            width: 220,
            render: (_: unknown, c) => (
              <Bar
                percent={rate(c.behind, c.members)}
                size="small"
                strokeColor="#cf1322"
                format={(p) => `${p}%`}
              />
            ),
          },
        ]}
      />
    </div>
  );
}
