import {
  Alert,
  App,
  Badge,
  Button,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  List,
  Radio,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  listPostings,
  type ObjectionView,
  type PostingStatus,
  type PostingSummary,
  postingDetail,
  resolveObjection,
} from '../../../api/points-rules.ts';
import { formatDateTime } from '../../../ui/format.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { FormModal } from '../../forms.tsx';

const STATUS_COLOR: Record<PostingStatus, string> = {
  objection: 'blue',
  final: 'green',
  archived: 'default',
};
const OBJECTION_COLOR = { open: 'gold', upheld: 'green', dismissed: 'default' } as const;

/** 季度公示: the postings of my area, newest quarter first; open one for its ranking and objections. */
export function PostingsTab() {
  const { t } = useTranslation();
  const [year, setYear] = useState<number | undefined>();
  const [quarter, setQuarter] = useState<number | undefined>();
  const [status, setStatus] = useState<PostingStatus | undefined>();
  const list = useLoad(() => listPostings({ year, quarter, status }), [year, quarter, status]);
  const [open, setOpen] = useState<number | null>(null);
  const thisYear = new Date().getFullYear();

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('pointsConsole.postingsIntro')}
      </Typography.Paragraph>
      <Space wrap>
        <Select
          allowClear
          aria-label={t('pointsConsole.year')}
          placeholder={t('pointsConsole.year')}
          style={{ width: 120 }}
          value={year}
          onChange={setYear}
          options={[thisYear + 1, thisYear, thisYear - 1, thisYear - 2].map((y) => ({
            value: y,
            label: t('pointsConsole.yearValue', { year: y }),
          }))}
        />
        <Select
          allowClear
          aria-label={t('pointsConsole.quarter')}
          placeholder={t('pointsConsole.quarter')}
          style={{ width: 130 }}
          value={quarter}
          onChange={setQuarter}
          options={[1, 2, 3, 4].map((q) => ({
            value: q,
            label: t('pointsConsole.quarterValue', { quarter: q }),
          }))}
        />
        <Select
          allowClear
          aria-label={t('pointsConsole.postingStatus')}
          placeholder={t('pointsConsole.postingStatus')}
          style={{ width: 130 }}
          value={status}
          onChange={setStatus}
          options={(['objection', 'final', 'archived'] as const).map((s) => ({
            value: s,
            label: t(`pointsMember.postingStatus.${s}`),
          }))}
        />
      </Space>
      {list.error && <Alert type="error" showIcon title={list.error} />}
      <Table<PostingSummary>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        data-testid="posting-table"
        locale={{ emptyText: <Empty description={t('pointsConsole.noPostings')} /> }}
        columns={[
          {
            title: t('pointsConsole.community'),
            key: 'c',
            render: (_: unknown, p) => p.community.name,
          },
          {
            title: t('pointsConsole.period'),
            key: 'q',
            width: 150,
            render: (_: unknown, p) => t('pointsMember.quarterOf', { year: p.year, quarter: p.quarter }),
          },
          {
            title: t('pointsConsole.postingStatus'),
            key: 's',
            width: 200,
            render: (_: unknown, p) => (
              <>
                <Tag color={STATUS_COLOR[p.status]}>{t(`pointsMember.postingStatus.${p.status}`)}</Tag>
                <span style={{ fontSize: 12, color: '#888' }}>
                  {p.open ? t('pointsConsole.until', { date: p.objectionUntil }) : ''}
                </span>
              </>
            ),
          },
          { title: t('pointsConsole.members'), dataIndex: 'members', width: 90 },
          {
            title: t('pointsConsole.objections'),
            key: 'o',
            width: 120,
            render: (_: unknown, p) => (
              <Space>
                <Badge count={p.objections.open} size="small" />
                <span>{t('pointsConsole.objectionCount', { total: p.objections.total })}</span>
              </Space>
            ),
          },
          {
            title: t('pointsConsole.frozenAt'),
            dataIndex: 'frozenAt',
            width: 160,
            render: (s: string) => formatDateTime(s),
          },
          {
            title: t('common.actions'),
            key: 'a',
            width: 90,
            render: (_: unknown, p) => (
              <Button type="link" size="small" onClick={() => setOpen(p.id)}>
                {t('pointsConsole.view')}
              </Button>
            ),
          },
        ]}
      />
      <PostingDrawer id={open} onClose={() => setOpen(null)} onChanged={list.reload} />
    </Space>
  );
}

function PostingDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: number | null;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [orgId, setOrgId] = useState<number | undefined>();
  const detail = useLoad(() => (id ? postingDetail(id, { orgId }) : Promise.resolve(null)), [id, orgId]);
  const [resolving, setResolving] = useState<ObjectionView | null>(null);
  const p = detail.data;
  const branchName = (orgId: number | null) => p?.branches.find((b) => b.id === orgId)?.name ?? '—';

  return (
    <Drawer
      open={id !== null}
      onClose={() => {
        setOrgId(undefined);
        onClose();
      }}
      size="large"
      title={
        p ? `${p.community.name} · ${t('pointsMember.quarterOf', { year: p.year, quarter: p.quarter })}` : ''
      }
      destroyOnHidden
    >
      {detail.loading && !p && <Spin />}
      {detail.error && <Alert type="error" showIcon title={detail.error} />}
      {p && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="posting-detail">
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('pointsConsole.postingStatus')}>
              <Tag color={STATUS_COLOR[p.status]}>{t(`pointsMember.postingStatus.${p.status}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('pointsConsole.objectionUntil')}>
              {p.objectionUntil}
            </Descriptions.Item>
            <Descriptions.Item label={t('pointsConsole.frozenAt')}>
              {formatDateTime(p.frozenAt)}
            </Descriptions.Item>
            <Descriptions.Item label={t('pointsConsole.members')}>{p.members}</Descriptions.Item>
          </Descriptions>

          <div>
            <Typography.Title level={5}>
              {t('pointsConsole.objections')}{' '}
              <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 'normal' }}>
                {t('pointsConsole.objectionsHelp')}
              </Typography.Text>
            </Typography.Title>
            <List<ObjectionView>
              size="small"
              bordered
              dataSource={p.objectionList}
              locale={{ emptyText: t('pointsConsole.noObjections') }}
              data-testid="objection-list"
              renderItem={(o) => (
                <List.Item
                  actions={
                    o.can.resolve
                      ? [
                          <Button key="r" type="link" size="small" onClick={() => setResolving(o)}>
                            {t('pointsConsole.answer')}
                          </Button>,
                        ]
                      : []
                  }
                >
                  <List.Item.Meta
                    title={
                      <Space wrap>
                        <Tag color={OBJECTION_COLOR[o.status]}>
                          {t(`pointsMember.objectionStatus.${o.status}`)}
                        </Tag>
                        <span>
                          {o.member} ·{' '}
                          {o.about
                            ? t('pointsMember.aboutLine', { name: o.about.name })
                            : t('pointsMember.aboutWhole')}
                        </span>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {formatDateTime(o.createdAt)}
                        </Typography.Text>
                      </Space>
                    }
                    description={
                      <>
                        <div style={{ color: '#222' }}>{o.text}</div>
                        {o.reply && (
                          <div style={{ marginTop: 4, color: '#333' }}>
                            {t('pointsMember.reply')}
                            {o.reply}
                            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                              {' '}
                              · {o.resolvedBy} {o.resolvedAt ? formatDateTime(o.resolvedAt) : ''}
                            </Typography.Text>
                          </div>
                        )}
                      </>
                    }
                  />
                </List.Item>
              )}
            />
          </div>

          <div>
            <Space style={{ marginBottom: 8 }} wrap>
              <Typography.Title level={5} style={{ margin: 0 }}>
                {t('pointsMember.ranking')}
              </Typography.Title>
              <Select
                aria-label={t('pointsMember.branch')}
                style={{ width: 220 }}
                value={orgId ?? 0}
                onChange={(v) => setOrgId(v || undefined)}
                options={[
                  { value: 0, label: t('pointsMember.wholeCommunity') },
                  ...p.branches.map((b) => ({ value: b.id, label: b.name })),
                ]}
              />
            </Space>
            <Table
              rowKey="memberId"
              size="small"
              dataSource={p.rows}
              pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
              data-testid="posting-rows"
              columns={[
                {
                  title: orgId ? t('pointsConsole.branchRank') : t('pointsConsole.communityRank'),
                  key: 'r',
                  width: 90,
                  render: (_: unknown, r) => (orgId ? r.branchRank : r.communityRank),
                },
                { title: t('pointsConsole.name'), dataIndex: 'name', width: 120 },
                {
                  title: t('pointsConsole.branch'),
                  key: 'b',
                  render: (_: unknown, r) => branchName(r.orgId),
                },
                { title: t('pointsConsole.quarterPoints'), dataIndex: 'points', width: 110 },
                ...(orgId
                  ? []
                  : [
                      {
                        title: t('pointsConsole.branchRank'),
                        key: 'br',
                        width: 100,
                        render: (_: unknown, r: { branchRank: number | null }) => r.branchRank ?? '—',
                      },
                    ]),
              ]}
            />
          </div>
        </Space>
      )}
      <FormModal<{ decision: 'uphold' | 'dismiss'; reply: string }>
        open={resolving !== null}
        name="objection-resolve"
        title={t('pointsConsole.answerTitle')}
        fields={['decision', 'reply']}
        initialValues={{ decision: 'dismiss' }}
        onCancel={() => setResolving(null)}
        onSubmit={async (v) => {
          if (!resolving) return;
          await resolveObjection(resolving.id, { decision: v.decision, reply: v.reply.trim() });
          setResolving(null);
          detail.reload();
          onChanged();
          message.success(t('pointsConsole.answered'));
        }}
      >
        {(form) => (
          <>
            {resolving && (
              <Typography.Paragraph>
                <Typography.Text type="secondary">
                  {resolving.about
                    ? t('pointsMember.aboutLine', { name: resolving.about.name })
                    : t('pointsMember.aboutWhole')}
                  ：
                </Typography.Text>
                {resolving.text}
              </Typography.Paragraph>
            )}
            <Form.Item name="decision" label={t('pointsConsole.decision')}>
              <Radio.Group
                onChange={(e) => {
                  // Upholding: the reply starts with what happens next, since the posting stays as frozen.
                  if (e.target.value === 'uphold' && !form.getFieldValue('reply'))
                    form.setFieldValue('reply', t('pointsConsole.upheldTemplate'));
                }}
                options={[
                  { value: 'dismiss', label: t('pointsConsole.dismiss') },
                  { value: 'uphold', label: t('pointsConsole.uphold') },
                ]}
              />
            </Form.Item>
            <Form.Item noStyle dependencies={['decision']}>
              {() =>
                form.getFieldValue('decision') === 'uphold' && (
                  <Alert
                    type="info"
                    showIcon
                    title={t('pointsConsole.upheldHelp')}
                    style={{ marginBottom: 16 }}
                  />
                )
              }
            </Form.Item>
            <Form.Item
              name="reply"
              label={t('pointsConsole.reply')}
              rules={[
                {
                  required: true,
                  whitespace: true,
                  message: t('validation.required', { field: t('pointsConsole.reply') }),
                },
              ]}
            >
              <Input.TextArea rows={4} maxLength={500} />
            </Form.Item>
          </>
        )}
      </FormModal>
    </Drawer>
  );
}
