import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Col, Form, Input, InputNumber, Radio, Row, Select, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_CANCEL_HOURS, POST_STATUSES } from '../../../../contracts/service-states.ts';
import {
  createServicePost,
  listServicePosts,
  type PostStatus,
  type PostView,
  type ServiceKind,
} from '../../../api/service-console.ts';
import { useMe } from '../../../ui/session.tsx';
import { useCursorList } from '../../../ui/useCursorList.ts';
import { nameRules } from '../../../ui/validate.ts';
import { FilterForm, FormModal } from '../../forms.tsx';
import { PagedTable } from '../../LoadMore.tsx';
import { actionsColumn } from '../../rowActions.tsx';
import { CompoundPicker, RegionPicker } from '../users/NodeFields.tsx';
import { PostDrawer } from './PostDrawer.tsx';
import {
  KindTag,
  keepEnter,
  kindOptions,
  PostStatusTag,
  type SlotRow,
  SlotsFields,
  slotPhase,
  slotsOf,
  slotText,
  withSlotErrors,
} from './parts.tsx';

const PAGE = 50;
/** Roles that organise for a whole community (a compound secretary, only for their compound). */
const COMMUNITY_ROLES = ['communityAdmin', 'townshipAdmin', 'countyAdmin', 'cityAdmin'];

interface Filters {
  status?: PostStatus;
  q?: string;
}

interface CreateForm {
  scope: 'community' | 'compound';
  communityCode?: string;
  compoundId?: string;
  title: string;
  kind: ServiceKind;
  skills?: string[];
  place: string;
  recipients?: string;
  content: string;
  pointsPerHour?: number | null;
  cancelHours?: number | null;
  slots: SlotRow[];
}

/** The community of the viewer's first community-wide grant, to publish for by default. */
function homeCommunity(grants: { role: string; scopePath: string }[]): string | undefined {
  for (const g of grants) {
    if (!COMMUNITY_ROLES.includes(g.role)) continue;
    const code = g.scopePath.split('.')[3];
    if (code && /^\d{12}$/.test(code)) return code;
  }
  return undefined;
}

/** 服务岗位: the posts in my places, newest first, and publishing one with its slots. */
export function PostsTab() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({});
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const list = useCursorList(
    (cursor) => listServicePosts({ status: filters.status, q: filters.q, cursor, limit: PAGE }),
    [filters],
  );
  const { setItems } = list;
  const forCommunity = me.grants.some((g) => COMMUNITY_ROLES.includes(g.role));
  const lang = i18n.language;

  const columns: ColumnsType<PostView> = [
    {
      title: t('serviceConsole.post.title'),
      key: 'title',
      render: (_: unknown, p) => (
        <Space direction="vertical" size={2}>
          <Button
            type="link"
            style={{ padding: 0, height: 'auto', fontWeight: 500 }}
            onClick={() => setOpen(p.id)}
          >
            {p.title}
          </Button>
          <Space size={4} wrap>
            <KindTag kind={p.kind} />
            {p.skills.map((s) => (
              <Typography.Text key={s} type="secondary" style={{ fontSize: 12 }}>
                #{s}
              </Typography.Text>
            ))}
          </Space>
        </Space>
      ),
    },
    {
      title: t('serviceConsole.post.scope'),
      key: 'scope',
      width: 140,
      render: (_: unknown, p) => p.compound?.name ?? p.community.name,
    },
    { title: t('serviceConsole.post.place'), dataIndex: 'place', width: 150, ellipsis: true },
    {
      title: t('serviceConsole.post.nextSlot'),
      key: 'next',
      width: 220,
      render: (_: unknown, p) => {
        const live = p.slots.filter((s) => ['upcoming', 'ongoing'].includes(slotPhase(s)));
        // The next slot to come; when all are over, the last one held (greyed).
        const next = live[0];
        const last = p.slots.filter((x) => x.status === 'open').at(-1);
        return (
          <Space direction="vertical" size={0}>
            {next ? (
              <span className="gz-mono">{slotText(next, lang)}</span>
            ) : (
              <Typography.Text type="secondary" className="gz-mono">
                {last ? slotText(last, lang) : '—'}
              </Typography.Text>
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('serviceConsole.post.slotCount', { live: live.length, total: p.slots.length })}
            </Typography.Text>
          </Space>
        );
      },
    },
    {
      title: t('serviceConsole.post.claimed'),
      key: 'claimed',
      width: 100,
      render: (_: unknown, p) => {
        const live = p.slots.filter((s) => s.status === 'open');
        const claimed = live.reduce((n, s) => n + s.claimed, 0);
        const capacity = live.reduce((n, s) => n + s.capacity, 0);
        const waiting = live.reduce((n, s) => n + s.waitlisted, 0);
        return (
          <Space direction="vertical" size={0}>
            <span className="gz-mono">
              {claimed} / {capacity}
            </span>
            {waiting > 0 && (
              <Typography.Text type="warning" style={{ fontSize: 12 }}>
                {t('serviceConsole.post.waiting', { n: waiting })}
              </Typography.Text>
            )}
          </Space>
        );
      },
    },
    {
      title: t('serviceConsole.post.pointsPerHour'),
      dataIndex: 'pointsPerHour',
      width: 100,
      render: (n: number) => t('serviceConsole.pointsPerHourValue', { n }),
    },
    {
      title: t('serviceConsole.post.status'),
      dataIndex: 'status',
      width: 80,
      render: (s: PostStatus) => <PostStatusTag status={s} />,
    },
    actionsColumn(
      t,
      80,
      (p: PostView) => (
        <Button
          type="link"
          size="small"
          onClick={() => setOpen(p.id)}
          data-testid={`service-post-open-${p.id}`}
        >
          {t('serviceConsole.post.manage')}
        </Button>
      ),
      { fixed: 'right' },
    ),
  ];

  return (
    <>
      <Typography.Paragraph type="secondary">{t('serviceConsole.post.intro')}</Typography.Paragraph>
      <FilterForm<Filters>
        name="service-post-filter"
        onSearch={(v) => setFilters({ status: v.status || undefined, q: v.q?.trim() || undefined })}
        onReset={() => setFilters({})}
      >
        <Form.Item name="status" label={t('serviceConsole.post.status')}>
          <Select
            allowClear
            style={{ width: 120 }}
            placeholder={t('common.all')}
            data-testid="service-post-status-filter"
            options={POST_STATUSES.map((s) => ({ value: s, label: t(`serviceConsole.postStatus.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="q">
          <Input
            allowClear
            placeholder={t('serviceConsole.post.search')}
            maxLength={40}
            style={{ width: 200 }}
            data-testid="service-post-search"
          />
        </Form.Item>
      </FilterForm>
      <Space style={{ marginBottom: 12, justifyContent: 'flex-end', width: '100%' }}>
        <Button
          type="primary"
          icon={<PlusOutlined aria-hidden />}
          onClick={() => setCreating(true)}
          data-testid="service-post-create"
        >
          {t('serviceConsole.post.create')}
        </Button>
      </Space>
      <PagedTable<PostView>
        list={list}
        data-testid="service-posts-table"
        columns={columns}
        scroll={{ x: 1060 }}
        locale={{ emptyText: t('serviceConsole.post.empty') }}
      />

      <PostDrawer
        id={open}
        onClose={() => setOpen(null)}
        onChanged={(p) => setItems((prev) => prev.map((x) => (x.id === p.id ? p : x)))}
      />

      <FormModal<CreateForm>
        open={creating}
        name="service-post-create"
        title={t('serviceConsole.post.create')}
        width={760}
        initialValues={{
          scope: forCommunity ? 'community' : 'compound',
          communityCode: homeCommunity(me.grants),
          // A compound secretary publishes for their compound: start with it.
          compoundId: forCommunity
            ? undefined
            : me.grants.find((g) => g.role === 'compoundSecretary')?.nodeRef,
          slots: [{ capacity: 5 }],
        }}
        fields={[
          'communityCode',
          'compoundId',
          'title',
          'kind',
          'skills',
          'place',
          'recipients',
          'content',
          'pointsPerHour',
          'cancelHours',
        ]}
        onCancel={() => setCreating(false)}
        onSubmit={async (v, form) => {
          const made = await withSlotErrors(t, form, () =>
            createServicePost({
              communityCode: v.scope === 'community' ? v.communityCode : undefined,
              compoundId: v.scope === 'compound' ? Number(v.compoundId) : undefined,
              title: v.title.trim(),
              kind: v.kind,
              skills: (v.skills ?? []).map((s) => s.trim()).filter(Boolean),
              place: v.place.trim(),
              recipients: v.recipients?.trim() || undefined,
              content: v.content.trim(),
              pointsPerHour: v.pointsPerHour ?? undefined,
              cancelHours: v.cancelHours ?? undefined,
              slots: slotsOf(v.slots),
            }),
          );
          setCreating(false);
          message.success(t('serviceConsole.post.created'));
          setFilters((f) => ({ ...f }));
          setOpen(made.id);
        }}
      >
        {(form) => (
          // A long form: Enter in one of its boxes does not publish it half filled in.
          <fieldset className="gz-svc-fieldset" onKeyDown={keepEnter}>
            <PostFields form={form} forCommunity={forCommunity} />
          </fieldset>
        )}
      </FormModal>
    </>
  );
}

function PostFields({
  form,
  forCommunity,
}: {
  form: Parameters<typeof SlotsFields>[0]['form'];
  forCommunity: boolean;
}) {
  const { t } = useTranslation();
  const scope = Form.useWatch('scope', form) as CreateForm['scope'] | undefined;
  const select = (field: string) => [{ required: true, message: t('validation.select', { field }) }];
  return (
    <>
      <Row gutter={12}>
        <Col span={10}>
          <Form.Item name="scope" label={t('serviceConsole.post.scope')}>
            <Radio.Group
              optionType="button"
              data-testid="service-post-scope"
              options={[
                {
                  value: 'community',
                  label: t('serviceConsole.post.scopeCommunity'),
                  disabled: !forCommunity,
                },
                { value: 'compound', label: t('serviceConsole.post.scopeCompound') },
              ]}
            />
          </Form.Item>
        </Col>
        <Col span={14}>
          {scope === 'compound' ? (
            <Form.Item
              name="compoundId"
              label={t('serviceConsole.post.compound')}
              rules={select(t('serviceConsole.post.compound'))}
            >
              <CompoundPicker />
            </Form.Item>
          ) : (
            <Form.Item
              name="communityCode"
              label={t('serviceConsole.post.community')}
              rules={select(t('serviceConsole.post.community'))}
            >
              <RegionPicker level="community" />
            </Form.Item>
          )}
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={16}>
          <Form.Item
            name="title"
            label={t('serviceConsole.post.title')}
            rules={nameRules(t, t('serviceConsole.post.title'), { max: 60 })}
          >
            <Input maxLength={60} placeholder={t('serviceConsole.post.titleHint')} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item
            name="kind"
            label={t('serviceConsole.post.kind')}
            rules={select(t('serviceConsole.post.kind'))}
          >
            <Select
              options={kindOptions(t)}
              placeholder={t('validation.select', { field: t('serviceConsole.post.kind') })}
            />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item
            name="place"
            label={t('serviceConsole.post.place')}
            rules={nameRules(t, t('serviceConsole.post.place'), { max: 100 })}
          >
            <Input maxLength={100} placeholder={t('serviceConsole.post.placeHint')} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="recipients" label={t('serviceConsole.post.recipients')}>
            <Input maxLength={100} placeholder={t('serviceConsole.post.recipientsHint')} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name="content"
        label={t('serviceConsole.post.content')}
        rules={nameRules(t, t('serviceConsole.post.content'), { max: 1000 })}
      >
        <Input.TextArea
          rows={3}
          maxLength={1000}
          showCount
          placeholder={t('serviceConsole.post.contentHint')}
        />
      </Form.Item>
      <Row gutter={12}>
        <Col span={10}>
          <Form.Item
            name="skills"
            label={t('serviceConsole.post.skills')}
            extra={t('serviceConsole.post.skillsHint')}
          >
            <Select
              mode="tags"
              open={false}
              maxCount={10}
              tokenSeparators={[',', '，', '、']}
              placeholder={t('serviceConsole.post.skillsPlaceholder')}
            />
          </Form.Item>
        </Col>
        <Col span={7}>
          <Form.Item
            name="pointsPerHour"
            label={t('serviceConsole.post.pointsPerHour')}
            extra={t('serviceConsole.post.pointsPerHourHint')}
          >
            <InputNumber
              min={0}
              max={100}
              precision={0}
              placeholder={t('serviceConsole.post.countyRule')}
              style={{ width: '100%' }}
            />
          </Form.Item>
        </Col>
        <Col span={7}>
          <Form.Item
            name="cancelHours"
            label={t('serviceConsole.post.cancelHours')}
            extra={t('serviceConsole.post.cancelHoursHint')}
          >
            <InputNumber
              min={0}
              max={168}
              precision={0}
              placeholder={String(DEFAULT_CANCEL_HOURS)}
              suffix={t('serviceConsole.hoursUnit')}
              style={{ width: '100%' }}
            />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Text strong style={{ display: 'block', marginBottom: 8 }}>
        {t('serviceConsole.post.slots')}
      </Typography.Text>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
        {t('serviceConsole.post.slotsHint')}
      </Typography.Paragraph>
      <SlotsFields form={form} />
    </>
  );
}
