import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Checkbox,
  Col,
  Collapse,
  Form,
  Input,
  Popconfirm,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Colour,
  createMember,
  exportMembersUrl,
  type Ledger,
  type LedgerCounts,
  ledgerCounts,
  listMembers,
  type MemberStatus,
  type MemberView,
} from '../../../api/index.ts';
import { useMe } from '../../../ui/session.tsx';
import { useCursorList } from '../../../ui/useCursorList.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { nameRules, PHONE_RE } from '../../../ui/validate.ts';
import { FilterForm, FormModal } from '../../forms.tsx';
import { PagedTable } from '../../LoadMore.tsx';
import { actionsColumn } from '../../rowActions.tsx';
import { CompoundPicker } from '../users/NodeFields.tsx';
import { ImportModal } from './ImportModal.tsx';
import { MemberDrawer } from './MemberDrawer.tsx';
import {
  COLOURS,
  ColourTag,
  EDUCATIONS,
  LEDGERS,
  LedgerSelect,
  LedgerTag,
  MobileFields,
  type MobileValues,
  mobileOf,
  STATUSES,
} from './parts.tsx';

const PAGE = 50;

interface Filters {
  compoundId?: string;
  ledger?: Ledger;
  colour?: Colour;
  status?: MemberStatus;
  q?: string;
}

interface CreateForm extends MobileValues {
  name: string;
  idNumber: string;
  phone?: string;
  compoundId: string;
  ledger: Ledger;
  standing: 'full' | 'probationary';
  education?: (typeof EDUCATIONS)[number];
  joinedOn?: string;
  workUnit?: string;
  relationAt?: string;
  skills?: string[];
  frail?: boolean;
}

/** 党员台账: the four ledgers' counts, the five colours, and the members (masked) with filters. */
export function MembersTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({ status: 'normal' });
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const me = useMe();
  // 查看完整信息 and the full export: community level and above (server: REVEAL_ROLES).
  const canReveal = me.grants.some((g) =>
    ['communityAdmin', 'townshipAdmin', 'countyAdmin', 'cityAdmin'].includes(g.role),
  );
  const [open, setOpen] = useState<number | null>(null);
  const query = {
    compoundId: filters.compoundId ? Number(filters.compoundId) : undefined,
    ledger: filters.ledger,
    colour: filters.colour,
    status: filters.status,
    q: filters.q,
  };
  const list = useCursorList((cursor) => listMembers({ ...query, cursor, limit: PAGE }), [filters]);
  const counts = useLoad(() => ledgerCounts({ compoundId: query.compoundId }), [filters.compoundId]);
  const { setItems } = list;

  const columns: ColumnsType<MemberView> = [
    { title: t('party.name'), dataIndex: 'name', width: 90 },
    {
      title: t('party.sex'),
      dataIndex: 'sex',
      width: 60,
      render: (s: 'male' | 'female') => t(`party.${s}`),
    },
    { title: t('party.age'), dataIndex: 'age', width: 60 },
    { title: t('party.idNumber'), dataIndex: 'idNumber', width: 190 },
    {
      title: t('party.ledger'),
      dataIndex: 'ledger',
      width: 110,
      render: (l: Ledger) => <LedgerTag ledger={l} />,
    },
    {
      title: t('party.colour'),
      dataIndex: 'colour',
      width: 80,
      render: (c: Colour | null) => <ColourTag colour={c} />,
    },
    { title: t('party.compound'), key: 'compound', render: (_: unknown, m) => m.compound.name },
    {
      title: t('party.org'),
      key: 'org',
      render: (_: unknown, m) =>
        m.org?.name ?? <Typography.Text type="secondary">{t('party.noOrg')}</Typography.Text>,
    },
    {
      title: t('party.standing'),
      dataIndex: 'standing',
      width: 100,
      render: (s: 'full' | 'probationary') => t(`party.standings.${s}`),
    },
    {
      title: t('party.status'),
      dataIndex: 'status',
      width: 90,
      render: (s: MemberStatus) =>
        s === 'normal' ? t(`party.statuses.${s}`) : <Tag>{t(`party.statuses.${s}`)}</Tag>,
    },
    actionsColumn(
      t,
      80,
      (m: MemberView) => (
        <Button type="link" size="small" onClick={() => setOpen(m.id)}>
          {t('party.view')}
        </Button>
      ),
      { fixed: 'right' },
    ),
  ];

  return (
    <>
      <Summary counts={counts.data} onColour={(colour) => setFilters((f) => ({ ...f, colour }))} />
      <FilterForm<Filters>
        name="member-filter"
        onSearch={(v) =>
          setFilters({
            compoundId: v.compoundId || undefined,
            ledger: v.ledger || undefined,
            colour: v.colour || undefined,
            status: v.status || undefined,
            q: v.q?.trim() || undefined,
          })
        }
        onReset={() => setFilters({ status: 'normal' })}
      >
        <Form.Item name="compoundId" label={t('party.compound')}>
          <CompoundPicker style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="ledger" label={t('party.ledger')}>
          <LedgerSelect allowClear style={{ width: 130 }} />
        </Form.Item>
        <Form.Item name="colour" label={t('party.colour')}>
          <Select
            allowClear
            style={{ width: 100 }}
            placeholder={t('common.all')}
            options={COLOURS.map((c) => ({ value: c, label: t(`party.colours.${c}`) }))}
          />
        </Form.Item>
        <Form.Item name="status" label={t('party.status')} initialValue="normal">
          <Select
            allowClear
            style={{ width: 110 }}
            placeholder={t('common.all')}
            options={STATUSES.map((s) => ({ value: s, label: t(`party.statuses.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="q">
          <Input allowClear placeholder={t('party.search')} maxLength={40} style={{ width: 200 }} />
        </Form.Item>
      </FilterForm>
      <Space style={{ marginBottom: 12, justifyContent: 'space-between', width: '100%' }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('party.maskedHint')}
        </Typography.Text>
        <Space wrap>
          <Button icon={<UploadOutlined aria-hidden />} onClick={() => setImporting(true)}>
            {t('party.import.button')}
          </Button>
          <Button icon={<DownloadOutlined aria-hidden />} href={exportMembersUrl(query, false)} download>
            {t('party.export.masked')}
          </Button>
          {canReveal && (
            <Popconfirm
              title={t('party.export.fullConfirm')}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              onConfirm={() => {
                window.location.href = exportMembersUrl(query, true);
              }}
            >
              <Button danger>{t('party.export.full')}</Button>
            </Popconfirm>
          )}
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
            {t('party.addMember')}
          </Button>
        </Space>
      </Space>
      <ImportModal
        open={importing}
        onClose={() => setImporting(false)}
        onImported={() => {
          setFilters((f) => ({ ...f }));
          counts.reload();
        }}
      />
      <PagedTable<MemberView> list={list} data-testid="member-table" columns={columns} scroll={{ x: 1200 }} />

      <MemberDrawer
        id={open}
        onClose={() => setOpen(null)}
        onChanged={(m) => {
          setItems((prev) => prev.map((x) => (x.id === m.id ? m : x)));
          counts.reload();
        }}
      />

      <FormModal<CreateForm>
        open={creating}
        name="member-create"
        title={t('party.addMember')}
        width={640}
        initialValues={{ standing: 'full', ledger: 'direct' }}
        fields={[
          'name',
          'idNumber',
          'phone',
          'compoundId',
          'ledger',
          'standing',
          'education',
          'joinedOn',
          'workUnit',
          'relationAt',
          'skills',
        ]}
        onCancel={() => setCreating(false)}
        onSubmit={async (v) => {
          const m = await createMember({
            name: v.name.trim(),
            idNumber: v.idNumber.trim(),
            phone: v.phone?.trim() || undefined,
            compoundId: Number(v.compoundId),
            ledger: v.ledger,
            standing: v.standing,
            education: v.education,
            joinedOn: v.joinedOn || undefined,
            workUnit: v.workUnit?.trim() || undefined,
            relationAt: v.relationAt?.trim() || undefined,
            skills: v.skills ?? [],
            frail: v.frail ?? false,
            mobile: mobileOf(v.ledger, v),
          });
          setItems((prev) => [m, ...prev]);
          counts.reload();
          setCreating(false);
          message.success(t('common.created'));
        }}
      >
        {(form) => (
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item
                name="name"
                label={t('party.name')}
                rules={nameRules(t, t('party.name'), { max: 40 })}
              >
                <Input maxLength={40} autoComplete="off" autoFocus />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="idNumber"
                label={t('party.idNumber')}
                extra={t('party.idNumberHelp')}
                rules={[
                  { required: true, message: t('validation.required', { field: t('party.idNumber') }) },
                ]}
              >
                <Input maxLength={18} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="compoundId"
                label={t('party.compound')}
                rules={[{ required: true, message: t('validation.select', { field: t('party.compound') }) }]}
              >
                <CompoundPicker />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="phone"
                label={t('party.phone')}
                rules={[{ pattern: PHONE_RE, message: t('validation.phone') }]}
              >
                <Input maxLength={11} inputMode="numeric" autoComplete="off" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="ledger" label={t('party.ledger')} rules={[{ required: true }]}>
                <LedgerSelect />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="standing" label={t('party.standing')}>
                <Select
                  options={(['full', 'probationary'] as const).map((s) => ({
                    value: s,
                    label: t(`party.standings.${s}`),
                  }))}
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="education" label={t('party.education')}>
                <Select
                  allowClear
                  options={EDUCATIONS.map((e) => ({ value: e, label: t(`party.educations.${e}`) }))}
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="joinedOn" label={t('party.joinedOn')}>
                <Input type="date" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="workUnit" label={t('party.workUnit')}>
                <Input maxLength={200} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="relationAt" label={t('party.relationAt')}>
                <Input maxLength={200} />
              </Form.Item>
            </Col>
            <Col span={16}>
              <Form.Item name="skills" label={t('party.skills')}>
                <Select mode="tags" placeholder={t('party.skillsPlaceholder')} open={false} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="frail" label={t('party.frail')} valuePropName="checked">
                <Checkbox>{t('party.frail')}</Checkbox>
              </Form.Item>
            </Col>
            <Col span={24}>
              <MobileFields form={form} />
            </Col>
          </Row>
        )}
      </FormModal>
    </>
  );
}

/** Totals by ledger and by colour; a colour's count filters the list to it. */
function Summary({ counts, onColour }: { counts: LedgerCounts | undefined; onColour: (c: Colour) => void }) {
  const { t } = useTranslation();
  if (!counts) return null;
  return (
    <div style={{ marginBottom: 16 }} data-testid="ledger-counts">
      <Typography.Text type="secondary">{t('party.countsTitle')}</Typography.Text>
      <Row gutter={16} style={{ marginTop: 8 }}>
        <Col>
          <Statistic title={t('party.total')} value={counts.total} />
        </Col>
        {LEDGERS.map((l) => (
          <Col key={l}>
            <Statistic title={t(`party.ledgers.${l}`)} value={counts.byLedger[l]} />
          </Col>
        ))}
        <Col flex="auto">
          <Space size={6} wrap style={{ marginTop: 28 }}>
            {COLOURS.map((c) => (
              <Button
                key={c}
                size="small"
                onClick={() => onColour(c)}
                aria-label={`${t(`party.colours.${c}`)} ${counts.byColour[c]}`}
              >
                <ColourTag colour={c} note={String(counts.byColour[c])} />
              </Button>
            ))}
          </Space>
        </Col>
      </Row>
      {counts.compounds.length > 1 && (
        <Collapse
          size="small"
          style={{ marginTop: 12 }}
          items={[
            {
              key: 'c',
              label: t('party.byCompound'),
              children: (
                <Table
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={counts.compounds}
                  columns={[
                    { title: t('party.compound'), dataIndex: 'name' },
                    { title: t('party.total'), dataIndex: 'total', width: 90 },
                    ...LEDGERS.map((l) => ({
                      title: t(`party.ledgers.${l}`),
                      key: l,
                      width: 110,
                      render: (_: unknown, r: LedgerCounts['compounds'][number]) => r.byLedger[l],
                    })),
                  ]}
                />
              ),
            },
          ]}
        />
      )}
    </div>
  );
}
