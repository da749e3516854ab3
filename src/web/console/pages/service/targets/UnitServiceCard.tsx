import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, InputNumber, Row, Space, Statistic, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type ProgressRow,
  unitServiceProgress,
  unitServiceProgressXlsxUrl,
} from '../../../../api/service-targets.ts';
import { todayInCity } from '../../../../ui/format.ts';
import { useLoad } from '../../../../ui/useLoad.ts';
import { progressColumns } from './ProgressTab.tsx';

/**
 * 本单位报到 › 在职党员志愿服务情况: the unit's registered staff and their verified service this
 * year against their target (the report for employers), masked, with an Excel export.
 */
export function UnitServiceCard({ unitId }: { unitId: number }) {
  const { t } = useTranslation();
  const thisYear = Number(todayInCity().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const rep = useLoad(() => unitServiceProgress(unitId, year), [unitId, year]);
  const totals = rep.data?.totals;
  const columns: ColumnsType<ProgressRow> = [
    { title: t('serviceTargets.name'), key: 'name', width: 90, render: (_: unknown, r) => r.member.name },
    {
      title: t('unit.where'),
      key: 'where',
      width: 200,
      render: (_: unknown, r) => `${r.community.name} · ${r.compound.name}`,
    },
    ...progressColumns(t),
  ];
  return (
    <Card
      title={t('serviceTargets.unit.title')}
      data-testid="unit-service"
      extra={
        <Space>
          <InputNumber
            min={2020}
            max={thisYear}
            value={year}
            onChange={(v) => v && setYear(v)}
            style={{ width: 96 }}
            aria-label={t('serviceTargets.year')}
          />
          <Button
            icon={<DownloadOutlined aria-hidden />}
            href={unitServiceProgressXlsxUrl(unitId, year)}
            download
          >
            {t('unit.export')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('serviceTargets.unit.intro')}</Typography.Paragraph>
      {rep.error && <Alert type="error" showIcon title={rep.error} style={{ marginBottom: 12 }} />}
      <Row gutter={[24, 16]} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}>
          <Statistic title={t('serviceTargets.unit.members')} value={totals?.members ?? 0} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('serviceTargets.met')}
            value={totals?.met ?? 0}
            styles={{ content: { color: '#389e0d' } }}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('serviceTargets.onTrack')} value={totals?.onTrack ?? 0} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('serviceTargets.behind')}
            value={totals?.behind ?? 0}
            styles={{ content: { color: '#cf1322' } }}
          />
        </Col>
      </Row>
      <Table<ProgressRow>
        rowKey={(r) => r.member.id}
        size="middle"
        loading={rep.loading}
        dataSource={rep.data?.items ?? []}
        columns={columns}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 900 }}
        locale={{ emptyText: t('serviceTargets.unit.empty') }}
      />
    </Card>
  );
}
