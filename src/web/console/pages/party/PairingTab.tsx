import { PlusOutlined } from '@ant-design/icons';
import {
  Badge,
  Button,
  Card,
  Col,
  Form,
  Input,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CARE_KINDS, CARE_STATES, DEFAULT_VISIT_EVERY_DAYS } from '../../../../contracts/party-states.ts';
import {
  type CareKind,
  type CareState,
  type CareSummary,
  type CareView,
  careSummary,
  createCare,
  listCare,
} from '../../../api/index.ts';
import { useCursorList } from '../../../ui/useCursorList.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { nameRules, PHONE_RE } from '../../../ui/validate.ts';
import { FilterForm, FormModal } from '../../forms.tsx';
import { PagedTable } from '../../LoadMore.tsx';
import { actionsColumn } from '../../rowActions.tsx';
import { CompoundPicker } from '../users/NodeFields.tsx';
import { CareDrawer } from './CareDrawer.tsx';
import { CareDetailsFields, CareStateTag, KindTags } from './care-parts.tsx';

const PAGE = 50;

interface Filters {
  compoundId?: string;
  kind?: CareKind;
  state?: CareState;
  q?: string;
}

interface CreateForm {
  headName: string;
  phone?: string;
  compoundId: string;
  address?: string;
  kinds: CareKind[];
  visitEveryDays: number;
  note?: string;
}

/** 包联: households in difficulty, who is paired with them, and whose visit is late. */
export function PairingTab() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>({});
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const query = {
    compoundId: filters.compoundId ? Number(filters.compoundId) : undefined,
    kind: filters.kind,
    state: filters.state,
    q: filters.q,
  };
  const list = useCursorList((cursor) => listCare({ ...query, cursor, limit: PAGE }), [filters]);
  const summary = useLoad(() => careSummary({ compoundId: query.compoundId }), [filters.compoundId]);
  const { setItems } = list;

  const columns: ColumnsType<CareView> = [
    { title: t('party.care.headName'), dataIndex: 'headName', width: 100 },
    { title: t('party.compound'), key: 'compound', width: 160, render: (_: unknown, c) => c.compound.name },
    {
      title: t('party.care.address'),
      dataIndex: 'address',
      width: 140,
      render: (a: string | null) => a ?? '—',
    },
    {
      title: t('party.care.kinds'),
      dataIndex: 'kinds',
      render: (ks: CareKind[]) => <KindTags kinds={ks} />,
    },
    {
      title: t('party.care.state'),
      key: 'state',
      width: 120,
      render: (_: unknown, c) => <CareStateTag state={c.state} overdueDays={c.overdueDays} />,
    },
    {
      title: t('party.care.lastVisit'),
      dataIndex: 'lastVisitedOn',
      width: 110,
      render: (d: string | null) =>
        d ?? <Typography.Text type="secondary">{t('party.care.never')}</Typography.Text>,
    },
    { title: t('party.care.dueOn'), dataIndex: 'dueOn', width: 110 },
    {
      title: t('party.care.pairedWith'),
      key: 'pairings',
      render: (_: unknown, c) =>
        c.pairings.length ? (
          c.pairings.map((p) => p.member.name).join('、')
        ) : (
          <Typography.Text type="danger">{t('party.care.nobody')}</Typography.Text>
        ),
    },
    actionsColumn(
      t,
      80,
      (c: CareView) => (
        <Button type="link" size="small" onClick={() => setOpen(c.id)}>
          {t('party.care.view')}
        </Button>
      ),
      { fixed: 'right' },
    ),
  ];

  return (
    <>
      <Typography.Paragraph type="secondary">{t('party.care.intro')}</Typography.Paragraph>
      <Overview data={summary.data} onState={(state) => setFilters((f) => ({ ...f, state }))} />
      <FilterForm<Filters>
        name="care-filter"
        onSearch={(v) =>
          setFilters({
            compoundId: v.compoundId || undefined,
            kind: v.kind || undefined,
            state: v.state || undefined,
            q: v.q?.trim() || undefined,
          })
        }
        onReset={() => setFilters({})}
      >
        <Form.Item name="compoundId" label={t('party.compound')}>
          <CompoundPicker style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="kind" label={t('party.care.kinds')}>
          <Select
            allowClear
            style={{ width: 130 }}
            placeholder={t('common.all')}
            options={CARE_KINDS.map((k) => ({ value: k, label: t(`party.care.kind.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="state" label={t('party.care.state')}>
          <Select
            allowClear
            style={{ width: 120 }}
            placeholder={t('common.all')}
            options={CARE_STATES.map((s) => ({ value: s, label: t(`party.care.states.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="q">
          <Input allowClear placeholder={t('party.care.search')} maxLength={40} style={{ width: 180 }} />
        </Form.Item>
      </FilterForm>
      <Space style={{ marginBottom: 12, justifyContent: 'space-between', width: '100%' }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('party.care.maskedHint')}
        </Typography.Text>
        <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
          {t('party.care.add')}
        </Button>
      </Space>
      <PagedTable<CareView> list={list} data-testid="care-table" columns={columns} scroll={{ x: 1200 }} />

      <CareDrawer
        id={open}
        onClose={() => setOpen(null)}
        onChanged={(c) => {
          setItems((prev) => prev.map((x) => (x.id === c.id ? c : x)));
          summary.reload();
        }}
      />

      <FormModal<CreateForm>
        open={creating}
        name="care-create"
        title={t('party.care.add')}
        width={560}
        initialValues={{ visitEveryDays: DEFAULT_VISIT_EVERY_DAYS, compoundId: filters.compoundId }}
        fields={['headName', 'phone', 'compoundId', 'address', 'kinds', 'visitEveryDays', 'note']}
        onCancel={() => setCreating(false)}
        onSubmit={async (v) => {
          const made = await createCare({
            headName: v.headName.trim(),
            phone: v.phone?.trim() || undefined,
            compoundId: Number(v.compoundId),
            address: v.address?.trim() || undefined,
            kinds: v.kinds,
            visitEveryDays: v.visitEveryDays,
            note: v.note?.trim() || undefined,
          });
          setCreating(false);
          setFilters((f) => ({ ...f }));
          summary.reload();
          setOpen(made.id);
        }}
      >
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item
              name="headName"
              label={t('party.care.headName')}
              rules={nameRules(t, t('party.care.headName'), { max: 40 })}
            >
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="phone"
              label={t('party.care.phone')}
              rules={[{ pattern: PHONE_RE, message: t('validation.phone') }]}
            >
              <Input maxLength={11} inputMode="numeric" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="compoundId"
          label={t('party.compound')}
          rules={[{ required: true, message: t('validation.select', { field: t('party.compound') }) }]}
        >
          <CompoundPicker />
        </Form.Item>
        <CareDetailsFields />
      </FormModal>
    </>
  );
}

/** The counts that matter first: how many, how many nobody looks after, how many are late. */
function Overview({ data, onState }: { data?: CareSummary; onState: (s: CareState | undefined) => void }) {
  const { t } = useTranslation();
  if (!data) return null;
  const stat = (title: string, value: number, state?: CareState, color?: string) => (
    <Col xs={12} md={6}>
      <Card size="small" hoverable onClick={() => onState(state)} style={{ cursor: 'pointer' }}>
        <Statistic title={title} value={value} styles={{ content: color ? { color } : undefined }} />
      </Card>
    </Col>
  );
  const worst = data.compounds.filter((c) => c.overdue + c.unpaired > 0).slice(0, 8);
  return (
    <>
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }} data-testid="care-summary">
        {stat(t('party.care.total'), data.total)}
        {stat(t('party.care.states.unpaired'), data.byState.unpaired, 'unpaired', '#c41d7f')}
        {stat(t('party.care.states.overdue'), data.byState.overdue, 'overdue', '#cf1322')}
        {stat(t('party.care.states.dueSoon'), data.byState.dueSoon, 'dueSoon', '#ad6800')}
      </Row>
      {worst.length > 0 && (
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          style={{ marginBottom: 16 }}
          title={() => t('party.care.compoundTable')}
          dataSource={worst}
          columns={[
            { title: t('party.compound'), dataIndex: 'name' },
            { title: t('party.care.total'), dataIndex: 'total', width: 100 },
            {
              title: t('party.care.states.unpaired'),
              dataIndex: 'unpaired',
              width: 100,
              render: (n: number) => (n ? <Badge color="magenta" text={n} /> : 0),
            },
            {
              title: t('party.care.states.overdue'),
              dataIndex: 'overdue',
              width: 100,
              render: (n: number) => (n ? <Badge color="red" text={n} /> : 0),
            },
          ]}
        />
      )}
    </>
  );
}
