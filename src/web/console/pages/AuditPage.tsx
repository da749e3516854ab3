import { Card, Form, InputNumber, Select, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AuditView, listAudit } from '../../api/index.ts';
import { zh } from '../../i18n/zh.ts';
import { formatDateTime } from '../../ui/format.ts';
import { useCursorList } from '../../ui/useCursorList.ts';
import { FilterForm } from '../forms.tsx';
import { PagedTable } from '../LoadMore.tsx';

const PAGE = 50;

type ActionKey = keyof typeof zh.audit.actions;
type EntityKey = keyof typeof zh.audit.entities;
const ACTIONS = Object.keys(zh.audit.actions) as ActionKey[];

/** 'grant.add' → 'grant_add' (dots would be read as nesting by i18next). */
const actionKey = (action: string) => action.replace(/\./g, '_');
/** The code back from a key: the first '_' is the dot ('auth_login_failed' → 'auth.login_failed'),
 * except for the two-dot open311.client.* codes. */
const actionCode = (key: string) =>
  key.startsWith('open311_client_') ? key.replace(/_/g, '.') : key.replace('_', '.');

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
  const [filters, setFilters] = useState<Filters>({});
  const list = useCursorList((cursor) => listAudit({ ...filters, cursor, limit: PAGE }), [filters]);

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
      <FilterForm<Filters>
        name="audit-filter"
        onSearch={(v) =>
          setFilters({ action: v.action || undefined, actorUserId: v.actorUserId || undefined })
        }
        onReset={() => setFilters({})}
      >
        <Form.Item name="action" label={t('audit.action')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('audit.filterAction')}
            style={{ width: 200 }}
            options={ACTIONS.map((k) => ({ value: actionCode(k), label: t(`audit.actions.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="actorUserId" label={t('audit.filterActor')}>
          <InputNumber min={1} precision={0} style={{ width: 140 }} />
        </Form.Item>
      </FilterForm>
      <PagedTable<AuditView>
        list={list}
        data-testid="audit-table"
        columns={columns}
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
      />
    </Card>
  );
}
