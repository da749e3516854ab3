import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Empty, Form, Input, Select, Space, Spin, Tag, Tree, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ORG_PARENT } from '../../../../contracts/party-states.ts';
import {
  createOrg,
  dissolveOrg,
  listBuildings,
  listCompounds,
  listHouseholds,
  mergeOrg,
  type OrgKind,
  type OrgView,
  orgTree,
  updateOrg,
} from '../../../api/index.ts';
import { useMe } from '../../../ui/session.tsx';
import { useLoad } from '../../../ui/useLoad.ts';
import { FormModal } from '../../forms.tsx';
import { RegionPicker } from '../users/NodeFields.tsx';
import { ReasonField } from './parts.tsx';

const KINDS: OrgKind[] = ['committee', 'generalBranch', 'branch', 'group', 'centralHousehold'];
const KIND_COLOUR: Record<OrgKind, string> = {
  committee: 'volcano',
  generalBranch: 'volcano',
  branch: 'red',
  group: 'orange',
  centralHousehold: 'gold',
};

interface TreeNode {
  key: number;
  title: React.ReactNode;
  children: TreeNode[];
}

type Dialog =
  | { kind: 'create' }
  | { kind: 'rename' | 'compounds' | 'merge' | 'dissolve'; org: OrgView }
  | null;

/** The community of the viewer's first party-work grant, to open on. */
function homeCommunity(grants: { role: string; scopePath: string }[]): string | undefined {
  for (const g of grants) {
    const code = g.scopePath.split('.')[3];
    if (code && /^\d{12}$/.test(code)) return code;
  }
  return undefined;
}

/** 党组织: a community's organisations as a tree, with the compounds no branch covers. */
export function OrgsTab() {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const [community, setCommunity] = useState<string | undefined>(() => homeCommunity(me.grants));
  const [dialog, setDialog] = useState<Dialog>(null);
  const tree = useLoad(() => (community ? orgTree(community) : Promise.resolve(undefined)), [community]);
  const compounds = useLoad(
    () => (community ? listCompounds({ region: community, limit: 200 }) : Promise.resolve(undefined)),
    [community],
  );
  const orgs = tree.data?.orgs ?? [];
  const active = orgs.filter((o) => o.status === 'active');
  const canCreate = me.grants.some((g) =>
    ['communityAdmin', 'townshipAdmin', 'countyAdmin', 'cityAdmin'].includes(g.role),
  );

  // Members belong to branches: a committee counts those of everything under it.
  const membersUnder = (o: OrgView): OrgView['members'] =>
    orgs
      .filter((c) => c.parentId === o.id && c.status === 'active')
      .map(membersUnder)
      .reduce(
        (a, b) => ({ full: a.full + b.full, probationary: a.probationary + b.probationary }),
        o.members,
      );
  // A community has a handful of organisations: rebuilt on each render.
  const treeData = (() => {
    const node = (o: OrgView): TreeNode => ({
      key: o.id,
      title: (
        <OrgTitle
          o={o}
          members={membersUnder(o)}
          // Two households are two homes: merging them means nothing.
          mergeable={o.kind !== 'centralHousehold' && active.some((x) => x.id !== o.id && x.kind === o.kind)}
          onAction={(kind) => setDialog({ kind, org: o })}
        />
      ),
      children: orgs.filter((c) => c.parentId === o.id).map(node),
    });
    return orgs.filter((o) => o.parentId === null || !orgs.some((p) => p.id === o.parentId)).map(node);
  })();

  const saved = () => {
    setDialog(null);
    tree.reload();
    message.success(t('common.saved'));
  };
  const compoundOptions = (compounds.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }));

  return (
    <>
      <Space style={{ marginBottom: 16 }} wrap>
        <Typography.Text>{t('party.orgs.community')}</Typography.Text>
        <RegionPicker
          level="community"
          value={community}
          onChange={(v) => setCommunity(v)}
          style={{ width: 320 }}
        />
        {community && canCreate && (
          <Button
            type="primary"
            icon={<PlusOutlined aria-hidden />}
            onClick={() => setDialog({ kind: 'create' })}
          >
            {t('party.orgs.add')}
          </Button>
        )}
      </Space>
      {!community && <Empty description={t('party.orgs.pickCommunity')} />}
      {tree.loading && community && <Spin />}
      {tree.error && <Alert type="error" showIcon title={tree.error} />}
      {tree.data && (
        <>
          {tree.data.gaps.length > 0 ? (
            <Alert
              type="warning"
              showIcon
              data-testid="org-gaps"
              title={t('party.orgs.gaps')}
              description={tree.data.gaps.map((g) => g.name).join('、')}
              style={{ marginBottom: 16 }}
            />
          ) : (
            orgs.length > 0 && (
              <Alert type="success" showIcon title={t('party.orgs.noGaps')} style={{ marginBottom: 16 }} />
            )
          )}
          {orgs.length === 0 ? (
            <Empty />
          ) : (
            // Keyed by the organisations, so one just set up shows expanded like the rest.
            <Tree
              key={orgs.length}
              data-testid="org-tree"
              defaultExpandAll
              blockNode
              selectable={false}
              treeData={treeData}
            />
          )}
        </>
      )}

      <FormModal<{
        kind: OrgKind;
        name: string;
        parentId?: number;
        compoundIds?: number[];
        buildingId?: number;
        /** Only to pick a household: the building whose households are listed. Not sent. */
        householdBuilding?: number;
        householdId?: number;
        foundedOn?: string;
      }>
        open={dialog?.kind === 'create'}
        name="org-create"
        title={t('party.orgs.add')}
        width={560}
        initialValues={{ kind: 'branch' }}
        fields={['kind', 'name', 'parentId', 'compoundIds', 'buildingId', 'householdId', 'foundedOn']}
        onCancel={() => setDialog(null)}
        onSubmit={async (v) => {
          await createOrg({
            kind: v.kind,
            name: v.name.trim(),
            communityCode: community as string,
            parentId: v.parentId,
            compoundIds: v.compoundIds ?? [],
            buildingId: v.kind === 'group' ? v.buildingId : undefined,
            householdId: v.kind === 'centralHousehold' ? v.householdId : undefined,
            foundedOn: v.foundedOn || undefined,
          });
          saved();
        }}
      >
        {(form) => <CreateFields form={form} active={active} compoundOptions={compoundOptions} />}
      </FormModal>

      <FormModal<{ name: string; reason?: string }>
        open={dialog?.kind === 'rename'}
        name="org-rename"
        title={t('party.orgs.rename')}
        initialValues={{ name: dialog && dialog.kind !== 'create' ? dialog.org.name : '' }}
        fields={['name', 'reason']}
        onCancel={() => setDialog(null)}
        onSubmit={async (v) => {
          if (dialog?.kind !== 'rename') return;
          await updateOrg(dialog.org.id, { name: v.name.trim(), reason: v.reason?.trim() || undefined });
          saved();
        }}
      >
        <Form.Item
          name="name"
          label={t('party.orgs.name')}
          rules={[{ required: true, whitespace: true, max: 80 }]}
        >
          <Input maxLength={80} />
        </Form.Item>
        <ReasonField required={false} />
      </FormModal>

      <FormModal<{ compoundIds: number[]; reason?: string }>
        open={dialog?.kind === 'compounds'}
        name="org-compounds"
        title={t('party.orgs.editCompounds')}
        initialValues={{
          compoundIds: dialog && dialog.kind !== 'create' ? dialog.org.compounds.map((c) => c.id) : [],
        }}
        fields={['compoundIds', 'reason']}
        onCancel={() => setDialog(null)}
        onSubmit={async (v) => {
          if (dialog?.kind !== 'compounds') return;
          await updateOrg(dialog.org.id, {
            compoundIds: v.compoundIds,
            reason: v.reason?.trim() || undefined,
          });
          saved();
        }}
      >
        <Form.Item
          name="compoundIds"
          label={t('party.orgs.compounds')}
          extra={t('party.orgs.compoundsHelp')}
          rules={[{ required: true }]}
        >
          <Select mode="multiple" options={compoundOptions} optionFilterProp="label" />
        </Form.Item>
        <ReasonField required={false} />
      </FormModal>

      <FormModal<{ intoId: number; reason: string }>
        open={dialog?.kind === 'merge'}
        name="org-merge"
        title={dialog && dialog.kind !== 'create' ? `${t('party.orgs.merge')} · ${dialog.org.name}` : ''}
        fields={['intoId', 'reason']}
        onCancel={() => setDialog(null)}
        onSubmit={async (v) => {
          if (dialog?.kind !== 'merge') return;
          await mergeOrg(dialog.org.id, v.intoId, v.reason.trim());
          saved();
        }}
      >
        <Form.Item
          name="intoId"
          label={t('party.orgs.mergeInto')}
          rules={[{ required: true, message: t('validation.select', { field: t('party.orgs.mergeInto') }) }]}
        >
          <Select
            options={active
              .filter(
                (o) =>
                  dialog && dialog.kind === 'merge' && o.id !== dialog.org.id && o.kind === dialog.org.kind,
              )
              .map((o) => ({ value: o.id, label: o.name }))}
          />
        </Form.Item>
        <ReasonField />
      </FormModal>

      <FormModal<{ reason: string }>
        open={dialog?.kind === 'dissolve'}
        name="org-dissolve"
        title={dialog && dialog.kind !== 'create' ? `${t('party.orgs.dissolve')} · ${dialog.org.name}` : ''}
        fields={['reason']}
        onCancel={() => setDialog(null)}
        onSubmit={async (v) => {
          if (dialog?.kind !== 'dissolve') return;
          await dissolveOrg(dialog.org.id, v.reason.trim());
          saved();
        }}
      >
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={
            dialog && dialog.kind !== 'create'
              ? t('party.orgs.dissolveConfirm', { name: dialog.org.name })
              : ''
          }
        />
        <ReasonField />
      </FormModal>
    </>
  );
}

/** Where a group or a household sits: 绿地小区 3号楼 2单元 1501. */
function placeText(t: TFunction, p: NonNullable<OrgView['place']>): string {
  const flat =
    p.unit !== null && p.room !== null ? ` ${t('party.orgs.room', { unit: p.unit, room: p.room })}` : '';
  return `${p.compound} ${p.building}${flat}`;
}

function OrgTitle({
  o,
  members,
  mergeable,
  onAction,
}: {
  o: OrgView;
  members: OrgView['members'];
  mergeable: boolean;
  onAction: (k: 'rename' | 'compounds' | 'merge' | 'dissolve') => void;
}) {
  const { t } = useTranslation();
  return (
    <Space size={6} wrap style={{ paddingBlock: 2 }} data-testid={`org-${o.id}`}>
      <Tag color={KIND_COLOUR[o.kind]}>{t(`party.orgs.kinds.${o.kind}`)}</Tag>
      <Typography.Text strong delete={o.status !== 'active'}>
        {o.name}
      </Typography.Text>
      {o.status !== 'active' && <Tag>{t(`party.orgs.statuses.${o.status}`)}</Tag>}
      {o.status === 'active' && o.kind !== 'group' && o.kind !== 'centralHousehold' && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('party.orgs.members', members)}
        </Typography.Text>
      )}
      {o.status === 'active' && o.kind === 'branch' && o.members.full < 3 && (
        <Tag color="warning">{t('party.orgs.belowMin')}</Tag>
      )}
      {o.compounds.length > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {o.compounds.map((c) => c.name).join('、')}
        </Typography.Text>
      )}
      {o.place && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`org-place-${o.id}`}>
          {placeText(t, o.place)}
        </Typography.Text>
      )}
      {o.can.edit && (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => onAction('rename')}>
            {t('party.orgs.rename')}
          </Button>
          {o.kind === 'branch' && (
            <Button type="link" size="small" onClick={() => onAction('compounds')}>
              {t('party.orgs.editCompounds')}
            </Button>
          )}
          {mergeable && (
            <Button type="link" size="small" onClick={() => onAction('merge')}>
              {t('party.orgs.merge')}
            </Button>
          )}
          <Button type="link" size="small" danger onClick={() => onAction('dissolve')}>
            {t('party.orgs.dissolve')}
          </Button>
        </Space>
      )}
    </Space>
  );
}

function CreateFields({
  form,
  active,
  compoundOptions,
}: {
  form: import('antd').FormInstance;
  active: OrgView[];
  compoundOptions: { value: number; label: string }[];
}) {
  const { t } = useTranslation();
  const kind = Form.useWatch('kind', form) as OrgKind | undefined;
  const parentId = Form.useWatch('parentId', form) as number | undefined;
  const allowed = kind ? ORG_PARENT[kind] : [];
  const parents = active.filter((o) => allowed.includes(o.kind));
  const parent = active.find((o) => o.id === parentId);
  // The branch whose compounds the group or household lies in: the parent, or a group's branch.
  const branch = parent?.kind === 'group' ? active.find((o) => o.id === parent.parentId) : parent;
  const placed = kind === 'group' || kind === 'centralHousehold';
  const buildings = useLoad(
    async () =>
      placed && branch
        ? (
            await Promise.all(
              branch.compounds.map((c) =>
                listBuildings(c.id).then((bs) =>
                  bs.map((b) => ({ value: b.id, label: `${c.name} ${b.name}` })),
                ),
              ),
            )
          ).flat()
        : [],
    [placed, branch?.id],
  );
  const householdBuilding = Form.useWatch('householdBuilding', form) as number | undefined;
  const flats = useLoad(
    () =>
      kind === 'centralHousehold' && householdBuilding
        ? listHouseholds(householdBuilding)
        : Promise.resolve([]),
    [kind, householdBuilding],
  );
  // Another parent starts the choice of flat afresh; under a group, in the group's building.
  const startBuilding = parent?.kind === 'group' ? (parent.buildingId ?? undefined) : undefined;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the parent changes, not on each render
  useEffect(() => {
    if (kind !== 'centralHousehold') return;
    form.setFieldsValue({ householdBuilding: startBuilding, householdId: undefined });
  }, [form, kind, parentId]);
  return (
    <>
      <Form.Item name="kind" label={t('party.orgs.kind')} rules={[{ required: true }]}>
        <Select options={KINDS.map((k) => ({ value: k, label: t(`party.orgs.kinds.${k}`) }))} />
      </Form.Item>
      <Form.Item
        name="name"
        label={t('party.orgs.name')}
        rules={[
          {
            required: true,
            whitespace: true,
            message: t('validation.required', { field: t('party.orgs.name') }),
          },
        ]}
      >
        <Input maxLength={80} />
      </Form.Item>
      <Form.Item
        name="parentId"
        label={t('party.orgs.parent')}
        rules={
          allowed.includes(null)
            ? []
            : [{ required: true, message: t('validation.select', { field: t('party.orgs.parent') }) }]
        }
      >
        <Select
          allowClear={allowed.includes(null)}
          placeholder={allowed.includes(null) ? t('party.orgs.parentNone') : undefined}
          options={parents.map((o) => ({
            value: o.id,
            label: `${t(`party.orgs.kinds.${o.kind}`)} · ${o.name}`,
          }))}
        />
      </Form.Item>
      {kind === 'branch' && (
        <Form.Item
          name="compoundIds"
          label={t('party.orgs.compounds')}
          extra={t('party.orgs.compoundsHelp')}
          rules={[{ required: true, message: t('validation.select', { field: t('party.orgs.compounds') }) }]}
        >
          <Select mode="multiple" options={compoundOptions} optionFilterProp="label" />
        </Form.Item>
      )}
      {kind === 'group' && (
        <Form.Item
          name="buildingId"
          label={t('party.orgs.building')}
          rules={[{ required: true, message: t('validation.select', { field: t('party.orgs.building') }) }]}
        >
          <Select
            loading={buildings.loading}
            options={buildings.data ?? []}
            optionFilterProp="label"
            showSearch
          />
        </Form.Item>
      )}
      {kind === 'centralHousehold' && (
        <>
          <Form.Item
            name="householdBuilding"
            label={t('party.orgs.building')}
            extra={t('party.orgs.householdHelp')}
            rules={[{ required: true, message: t('validation.select', { field: t('party.orgs.building') }) }]}
          >
            <Select
              loading={buildings.loading}
              disabled={!branch}
              options={buildings.data ?? []}
              onChange={() => form.setFieldsValue({ householdId: undefined })}
              showSearch={{ optionFilterProp: 'label' }}
            />
          </Form.Item>
          <Form.Item
            name="householdId"
            label={t('party.orgs.household')}
            rules={[
              { required: true, message: t('validation.select', { field: t('party.orgs.household') }) },
            ]}
          >
            <Select
              loading={flats.loading}
              disabled={!householdBuilding}
              options={(flats.data ?? []).map((h) => ({
                value: h.id,
                label: t('party.orgs.room', { unit: h.unit, room: h.room }),
              }))}
              notFoundContent={flats.loading ? t('common.loading') : t('party.orgs.noHouseholds')}
              showSearch={{ optionFilterProp: 'label' }}
            />
          </Form.Item>
        </>
      )}
      <Form.Item name="foundedOn" label={t('party.orgs.foundedOn')}>
        <Input type="date" />
      </Form.Item>
    </>
  );
}
