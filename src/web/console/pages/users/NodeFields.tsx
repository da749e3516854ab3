import { Form, type FormInstance, Select, TreeSelect } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ADMIN_LEVEL, ADMIN_ROLES, ROLE_NODE, ROLES, type Role } from '../../../../contracts/roles.ts';
import {
  type CompoundView,
  listCompounds,
  listDepartments,
  listGrids,
  type Me,
  type RegionNode,
  regionChildren,
} from '../../../api/index.ts';
import { roleLabel } from '../../../ui/roles.ts';
import { useDebounced } from '../../../ui/useDebounced.ts';
import { useLoad } from '../../../ui/useLoad.ts';

type Level = RegionNode['level'];
const LEVELS: Level[] = ['city', 'county', 'township', 'community'];

/** Roles this administrator may hand out: those below their highest admin role (city admins: all). */
export function grantableRoles(me: Me): Role[] {
  const mine = me.grants.filter((g) => ADMIN_ROLES.includes(g.role)).map((g) => ROLES.indexOf(g.role));
  if (mine.length === 0) return [];
  const top = Math.max(...mine);
  return ROLES.filter((r, i) => i < top || (r === 'cityAdmin' && ROLES[top] === 'cityAdmin'));
}

export interface NodeFormValues {
  role: Role;
  nodeRef: string;
  /** Only to pick a grid: the community whose grids are listed. Not sent. */
  gridCommunity?: string;
}

/**
 * The role select plus the node it is granted on: a region (tree), a compound (search), a grid
 * (community first, then its grids) or a department, as ROLE_NODE says for the chosen role.
 */
export function RoleAndNodeFields<T extends NodeFormValues>({ form, me }: { form: FormInstance<T>; me: Me }) {
  const { t } = useTranslation();
  const role = Form.useWatch('role', form) as Role | undefined;
  const community = Form.useWatch('gridCommunity', form) as string | undefined;
  const kind = role ? ROLE_NODE[role] : undefined;
  const level = role ? ADMIN_LEVEL[role] : undefined;
  const roles = grantableRoles(me);
  const selectMsg = (field: string) => t('validation.select', { field });

  return (
    <>
      <Form.Item
        name="role"
        label={t('users.role')}
        rules={[{ required: true, message: selectMsg(t('users.role')) }]}
      >
        <Select
          options={roles.map((r) => ({ value: r, label: roleLabel(t, r) }))}
          placeholder={selectMsg(t('users.role'))}
          onChange={() =>
            form.setFieldsValue({ nodeRef: undefined, gridCommunity: undefined } as Partial<T> as never)
          }
        />
      </Form.Item>
      {kind === 'region' && (
        <Form.Item
          key={`region-${role}`}
          name="nodeRef"
          label={t('users.region')}
          extra={level ? t('users.regionLevelHint', { level: t(`level.${level}`) }) : undefined}
          rules={[{ required: true, message: selectMsg(t('users.region')) }]}
        >
          <RegionPicker level={level} />
        </Form.Item>
      )}
      {(kind === 'compound' || kind === 'household') && (
        <Form.Item
          name="nodeRef"
          label={t('users.compound')}
          rules={[{ required: true, message: selectMsg(t('users.compound')) }]}
        >
          <CompoundPicker />
        </Form.Item>
      )}
      {kind === 'grid' && (
        <>
          <Form.Item
            name="gridCommunity"
            label={t('users.communityForGrid')}
            rules={[{ required: true, message: selectMsg(t('users.communityForGrid')) }]}
          >
            <RegionPicker
              level="community"
              onChange={() => form.setFieldsValue({ nodeRef: undefined } as Partial<T> as never)}
            />
          </Form.Item>
          <Form.Item
            name="nodeRef"
            label={t('users.grid')}
            rules={[{ required: true, message: selectMsg(t('users.grid')) }]}
          >
            <GridPicker community={community} />
          </Form.Item>
        </>
      )}
      {kind === 'department' && (
        <Form.Item
          name="nodeRef"
          label={t('users.department')}
          rules={[{ required: true, message: selectMsg(t('users.department')) }]}
        >
          <DepartmentPicker />
        </Form.Item>
      )}
    </>
  );
}

interface PickerProps {
  id?: string;
  value?: string;
  onChange?: (v: string | undefined) => void;
  style?: React.CSSProperties;
}

interface SimpleNode {
  id: string;
  pId: string | null;
  value: string;
  title: string;
  isLeaf: boolean;
  selectable: boolean;
}

/** Lazy region TreeSelect; with `level`, only regions of that level can be picked. */
export function RegionPicker({ id, value, onChange, level, style }: PickerProps & { level?: Level }) {
  const { t } = useTranslation();
  const [nodes, setNodes] = useState<SimpleNode[]>([]);
  const [loading, setLoading] = useState(true);
  const depth = level ? LEVELS.indexOf(level) : LEVELS.length - 1;
  const toSimple = useMemo(
    () =>
      (r: RegionNode): SimpleNode => ({
        id: r.code,
        pId: r.parentCode,
        value: r.code,
        title: r.name,
        isLeaf: !r.hasChildren || r.level === 'community' || LEVELS.indexOf(r.level) >= depth,
        selectable: !level || r.level === level,
      }),
    [depth, level],
  );
  useEffect(() => {
    regionChildren()
      .then((top) => setNodes(top.map(toSimple)))
      .catch(() => setNodes([]))
      .finally(() => setLoading(false));
  }, [toSimple]);
  const loaded = useRef(new Set<string>());

  return (
    <TreeSelect
      id={id}
      value={value}
      onChange={(v: string | undefined) => onChange?.(v)}
      treeDataSimpleMode={{ id: 'id', pId: 'pId' }}
      treeData={nodes}
      loading={loading}
      placeholder={t('users.regionPlaceholder')}
      allowClear
      showSearch={{ treeNodeFilterProp: 'title' }}
      loadData={async (node) => {
        const code = String(node.value);
        if (loaded.current.has(code)) return;
        loaded.current.add(code);
        const kids = await regionChildren(code);
        setNodes((prev) => {
          const have = new Set(prev.map((n) => n.id));
          return [...prev, ...kids.filter((k) => !have.has(k.code)).map(toSimple)];
        });
      }}
      styles={{ popup: { root: { maxHeight: 400, overflow: 'auto' } } }}
      style={style}
    />
  );
}

/** Compound search select (by name, within the viewer's scope). */
export function CompoundPicker({ id, value, onChange, style }: PickerProps) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const debounced = useDebounced(q);
  const found = useLoad(() => listCompounds({ q: debounced || undefined, limit: 20 }), [debounced]);
  const [picked, setPicked] = useState<CompoundView | null>(null);
  const items = found.data?.items ?? [];
  const options = [...(picked && !items.some((c) => c.id === picked.id) ? [picked] : []), ...items].map(
    (c) => ({
      value: String(c.id),
      label: `${c.name}（${c.regionLabel}）`,
    }),
  );
  return (
    <Select
      id={id}
      value={value}
      onChange={(v?: string) => {
        setPicked(items.find((c) => String(c.id) === v) ?? null);
        onChange?.(v);
      }}
      showSearch={{ filterOption: false, onSearch: setQ }}
      options={options}
      loading={found.loading}
      placeholder={t('users.compoundPlaceholder')}
      allowClear
      notFoundContent={found.loading ? t('common.loading') : t('common.empty')}
      style={style}
    />
  );
}

function GridPicker({ id, value, onChange, community }: PickerProps & { community?: string }) {
  const { t } = useTranslation();
  const grids = useLoad(() => (community ? listGrids(community) : Promise.resolve([])), [community]);
  return (
    <Select
      id={id}
      value={value}
      onChange={(v?: string) => onChange?.(v)}
      disabled={!community}
      loading={grids.loading}
      options={(grids.data ?? []).map((g) => ({ value: String(g.id), label: g.name }))}
      placeholder={t('validation.select', { field: t('users.grid') })}
      allowClear
    />
  );
}

function DepartmentPicker({ id, value, onChange }: PickerProps) {
  const { t } = useTranslation();
  const deps = useLoad(() => listDepartments(), []);
  return (
    <Select
      id={id}
      value={value}
      onChange={(v?: string) => onChange?.(v)}
      loading={deps.loading}
      showSearch={{ optionFilterProp: 'label' }}
      options={(deps.data ?? []).map((d) => ({ value: String(d.id), label: d.name }))}
      placeholder={t('validation.select', { field: t('users.department') })}
      allowClear
    />
  );
}
