import { Alert, Button, Card, Form, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.ts';
import { type AuditView, listAudit } from '../../api/index.ts';
import { zh } from '../../i18n/zh.ts';
import { formatDateTime } from '../../ui/format.ts';
import { LoadMore } from '../LoadMore.tsx';

const PAGE = 50;

type ActionKey = keyof typeof zh.audit.actions;
type EntityKey = keyof typeof zh.audit.entities;
const ACTIONS = Object.keys(zh.audit.actions) as ActionKey[];

/** 'grant.add' → 'grant_add' (dots would be read as nesting by i18next). */
const actionKey = (action: string) => action.replace(/\./g, '_');

function actionLabel(t: TFunction, action: string): string {
  const k = actionKey(action);
  return k in zh.audit.actions ? t(`audit.actions.${k as ActionKey}`) : action;
}

function entityLabel(t: TFunction, entity: string): string {
  return entity in zh.audit.entities ? t(`audit.entities.${entity as EntityKey}`) : entity;
}

interface Filters {
  action?: string;
  actorUserId?: number;
}

/** 审计日志: newest first, cursor-paged, the detail JSON in an expandable row. */
export default function AuditPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [items, setItems] = useState<AuditView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

  const load = useCallback(
    async (after: string | null) => {
      const mine = ++seq.current;
      setLoading(true);
      setError(null);
      try {
        const page = await listAudit({ ...filters, cursor: after ?? undefined, limit: PAGE });
        if (mine !== seq.current) return;
        setItems((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (e) {
        if (mine === seq.current) setError(errorText(e));
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    },
    [filters],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  const columns: ColumnsType<AuditView> = [
    {
      title: t('audit.at'),
      dataIndex: 'at',
      width: 180,
      render: (s: string) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatDateTime(s)}</span>,
    },
    {
      title: t('audit.actor'),
      key: 'actor',
      width: 160,
      render: (_: unknown, a) =>
        a.actorUserId === null ? (
          <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>
        ) : (
          <span>
            {a.actorName ?? ''} <Typography.Text type="secondary">#{a.actorUserId}</Typography.Text>
          </span>
        ),
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 170,
      render: (action: string) => (
        <Tag
          color={
            action.includes('delete') || action.includes('revoke') || action === 'pii.reveal'
              ? 'orange'
              : 'blue'
          }
        >
          {actionLabel(t, action)}
        </Tag>
      ),
    },
    {
      title: t('audit.entity'),
      key: 'entity',
      render: (_: unknown, a) => (
        <span>
          {entityLabel(t, a.entity)}
          {a.entityId ? <Typography.Text type="secondary"> #{a.entityId}</Typography.Text> : null}
        </span>
      ),
    },
    { title: t('audit.ip'), dataIndex: 'ip', width: 150, render: (ip: string | null) => ip ?? '—' },
  ];

  return (
    <Card title={t('audit.title')}>
      <Form<Filters>
        form={form}
        name="audit-filter"
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(v) =>
          setFilters({ action: v.action || undefined, actorUserId: v.actorUserId || undefined })
        }
      >
        <Form.Item name="action" label={t('audit.action')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('audit.filterAction')}
            style={{ width: 200 }}
            options={ACTIONS.map((k) => ({ value: k.replace('_', '.'), label: t(`audit.actions.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="actorUserId" label={t('audit.filterActor')}>
          <InputNumber min={1} precision={0} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              {t('common.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setFilters({});
              }}
            >
              {t('common.reset')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<AuditView>
        data-testid="audit-table"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={loading}
        pagination={false}
        scroll={{ x: 900 }}
        expandable={{
          rowExpandable: (a) => a.detail !== null && a.detail !== undefined,
          expandedRowRender: (a) => (
            <div>
              <Typography.Text type="secondary">{t('audit.detail')}</Typography.Text>
              <pre className="gz-json">{JSON.stringify(a.detail, null, 2)}</pre>
            </div>
          ),
        }}
        footer={
          items.length > 0
            ? () => (
                <LoadMore
                  count={items.length}
                  loading={loading}
                  onMore={cursor ? () => load(cursor) : undefined}
                />
              )
            : undefined
        }
      />
    </Card>
  );
}
