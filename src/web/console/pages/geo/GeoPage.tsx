import { Alert, Breadcrumb, Card, Col, Empty, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { listGrids, type RegionNode, regionDetail } from '../../../api/index.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { CompoundsCard } from './CompoundsCard.tsx';
import { GridsCard } from './GridsCard.tsx';
import { RegionTree } from './RegionTree.tsx';

/** 区划与小区: region tree on the left; the selected region's grids and compounds on the right. */
export default function GeoPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const selected = params.get('region');
  // The latest copy of the shown region, so the tree's compound counts follow edits.
  const [fresh, setFresh] = useState<RegionNode | null>(null);
  // A community that gained or lost a compound: the tree refetches its count and its ancestors'.
  const [countsChanged, setCountsChanged] = useState<{ community: string } | null>(null);

  const select = (code: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set('region', code);
        next.delete('compound');
        return next;
      },
      { replace: false },
    );

  return (
    <Row gutter={16} wrap={false}>
      <Col flex="300px" style={{ minWidth: 0 }}>
        <Card
          title={t('geo.regions')}
          size="small"
          styles={{ body: { padding: 12 } }}
          style={{ position: 'sticky', top: 88 }}
        >
          <RegionTree selected={selected} onSelect={select} fresh={fresh} countsChanged={countsChanged} />
        </Card>
      </Col>
      <Col flex="auto" style={{ minWidth: 0 }}>
        {selected ? (
          <RegionView
            key={selected}
            code={selected}
            onSelect={select}
            onLoaded={setFresh}
            onCountsChanged={(community) => setCountsChanged({ community })}
          />
        ) : (
          <Card>
            <Empty description={t('geo.pickRegion')}>
              <Typography.Text type="secondary">{t('geo.pickRegionHint')}</Typography.Text>
            </Empty>
          </Card>
        )}
      </Col>
    </Row>
  );
}

function RegionView({
  code,
  onSelect,
  onLoaded,
  onCountsChanged,
}: {
  code: string;
  onSelect: (code: string) => void;
  onLoaded: (r: RegionNode) => void;
  /** A compound was added to or removed from this community (the tree's counts change). */
  onCountsChanged: (community: string) => void;
}) {
  const { t } = useTranslation();
  const region = useLoad(() => regionDetail(code), [code]);
  useEffect(() => {
    if (region.data) onLoaded(region.data);
  }, [region.data, onLoaded]);
  const isCommunity = region.data?.level === 'community';
  const grids = useLoad(() => (isCommunity ? listGrids(code) : Promise.resolve([])), [code, isCommunity]);

  if (region.error) return <Alert type="error" showIcon title={region.error} />;
  if (!region.data)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  const r = region.data;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small">
        <Breadcrumb
          items={[
            ...r.ancestors.map((a) => ({
              key: a.code,
              title: <Typography.Link onClick={() => onSelect(a.code)}>{a.name}</Typography.Link>,
            })),
            { key: r.code, title: r.name },
          ]}
        />
        <Space align="center" style={{ marginTop: 8 }} wrap>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="region-title">
            {r.name}
          </Typography.Title>
          <Tag color="red">{t(`level.${r.level}`)}</Tag>
          <Typography.Text type="secondary">
            {t('geo.regionCode')}: {r.code}
          </Typography.Text>
          <Typography.Text type="secondary">
            {t('geo.compoundCount', { count: r.compoundCount })}
          </Typography.Text>
        </Space>
      </Card>
      <CompoundsCard
        region={r}
        grids={isCommunity ? grids.data : undefined}
        onCompoundsChanged={(countsChangedIn) => {
          region.reload();
          if (isCommunity) grids.reload();
          if (countsChangedIn) onCountsChanged(countsChangedIn);
        }}
      />
      {isCommunity && (
        <GridsCard
          communityCode={r.code}
          grids={grids.data}
          loading={grids.loading}
          error={grids.error}
          reload={grids.reload}
        />
      )}
    </Space>
  );
}
