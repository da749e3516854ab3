import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import {
  type CompoundView,
  createCompound,
  deleteCompound,
  type GridView,
  listCompounds,
  listGrids,
  type RegionDetail,
  updateCompound,
} from '../../../api/index.ts';
import { useMe } from '../../../ui/session.tsx';
import { useCursorList } from '../../../ui/useCursorList.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { nameRules } from '../../../ui/validate.ts';
import { FormModal } from '../../forms.tsx';
import { PagedTable } from '../../LoadMore.tsx';
import { actionsColumn, DeleteLink } from '../../rowActions.tsx';
import { CompoundDrawer } from './CompoundDrawer.tsx';

const PAGE = 50;

type ModalState = { mode: 'create' } | { mode: 'edit'; compound: CompoundView } | null;

/**
 * Compounds of a region. For a community: add / edit / delete and a grid filter; for a township
 * or county: browse, cursor-paged with "加载更多". Clicking a name opens its drawer.
 */
export function CompoundsCard({
  region,
  grids,
  onCompoundsChanged,
}: {
  region: RegionDetail;
  grids?: GridView[];
  /** After any save; `countsChangedIn` names the community that gained or lost a compound. */
  onCompoundsChanged: (countsChangedIn?: string) => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const openId = Number(params.get('compound')) || null;
  const isCommunity = region.level === 'community';

  const [q, setQ] = useState('');
  const [gridId, setGridId] = useState<number | undefined>(undefined);
  const [modal, setModal] = useState<ModalState>(null);
  const list = useCursorList(
    (cursor) => listCompounds({ region: region.code, gridId, q: q || undefined, cursor, limit: PAGE }),
    [region.code, gridId, q],
  );
  const { setItems } = list;

  const open = (id: number | null) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (id) next.set('compound', String(id));
      else next.delete('compound');
      return next;
    });

  const patch = (c: CompoundView) => setItems((prev) => prev.map((x) => (x.id === c.id ? c : x)));

  const remove = async (c: CompoundView) => {
    await deleteCompound(c.id);
    setItems((prev) => prev.filter((x) => x.id !== c.id));
    onCompoundsChanged(c.communityCode);
  };

  const columns: ColumnsType<CompoundView> = [
    { title: t('geo.compoundCode'), dataIndex: 'code', width: 170 },
    {
      title: t('geo.compoundName'),
      dataIndex: 'name',
      render: (name: string, c) => <Typography.Link onClick={() => open(c.id)}>{name}</Typography.Link>,
    },
    ...(isCommunity
      ? []
      : [{ title: t('geo.community'), dataIndex: 'communityName' } as ColumnsType<CompoundView>[number]]),
    { title: t('geo.grid'), dataIndex: 'gridName' },
    { title: t('geo.buildingCount'), dataIndex: 'buildingCount', width: 90, align: 'right' },
    actionsColumn(t, 140, (c: CompoundView) => (
      <>
        {c.can.update && (
          <Button type="link" size="small" onClick={() => setModal({ mode: 'edit', compound: c })}>
            {t('common.edit')}
          </Button>
        )}
        {c.can.delete && <DeleteLink name={c.name} onDelete={() => remove(c)} />}
      </>
    )),
  ];

  return (
    <Card
      title={t('geo.compounds')}
      size="small"
      extra={
        isCommunity &&
        me.can.manageGeo && (
          <Button
            type="primary"
            icon={<PlusOutlined aria-hidden />}
            onClick={() => setModal({ mode: 'create' })}
          >
            {t('geo.addCompound')}
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('geo.compoundSearch')}
          aria-label={t('geo.compoundSearch')}
          onSearch={(v) => setQ(v.trim())}
          style={{ width: 240 }}
        />
        {isCommunity && (
          <Select
            allowClear
            placeholder={t('geo.grid')}
            aria-label={t('geo.grid')}
            style={{ width: 180 }}
            value={gridId}
            onChange={(v?: number) => setGridId(v)}
            options={(grids ?? []).map((g) => ({ value: g.id, label: g.name }))}
          />
        )}
      </Space>
      <PagedTable<CompoundView>
        list={list}
        data-testid="compound-table"
        columns={columns}
        scroll={{ x: 760 }}
      />
      {isCommunity && (
        <CompoundModal
          state={modal}
          communityCode={region.code}
          grids={grids}
          onClose={() => setModal(null)}
          onSaved={(c, created) => {
            setModal(null);
            if (created) setItems((prev) => [c, ...prev]);
            else patch(c);
            message.success(created ? t('common.created') : t('common.saved'));
            onCompoundsChanged(created ? c.communityCode : undefined);
          }}
        />
      )}
      {!isCommunity && modal?.mode === 'edit' && (
        <CompoundModal
          state={modal}
          communityCode={modal.compound.communityCode}
          onClose={() => setModal(null)}
          onSaved={(c) => {
            setModal(null);
            patch(c);
            message.success(t('common.saved'));
          }}
        />
      )}
      <CompoundDrawer
        id={openId}
        onClose={() => open(null)}
        onChanged={(c) => {
          patch(c);
          onCompoundsChanged();
        }}
      />
    </Card>
  );
}

interface CompoundForm {
  name: string;
  gridId: number;
  address?: string;
}

function CompoundModal({
  state,
  communityCode,
  grids: given,
  onClose,
  onSaved,
}: {
  state: ModalState;
  communityCode: string;
  grids?: GridView[];
  onClose: () => void;
  onSaved: (c: CompoundView, created: boolean) => void;
}) {
  const { t } = useTranslation();
  const open = state !== null;
  // A township view has no grid list at hand: fetch the compound's community grids.
  const fetched = useLoad(
    () => (open && !given ? listGrids(communityCode) : Promise.resolve(undefined)),
    [open, given, communityCode],
  );
  const grids = given ?? fetched.data ?? [];
  const editing = state?.mode === 'edit' ? state.compound : null;

  return (
    <FormModal<CompoundForm>
      open={open}
      name={editing ? 'compound-edit' : 'compound-create'}
      title={editing ? t('geo.editCompound') : t('geo.addCompound')}
      fields={['name', 'gridId', 'address']}
      initialValues={
        editing
          ? { name: editing.name, gridId: editing.gridId, address: editing.address ?? undefined }
          : { gridId: grids.length === 1 ? grids[0]?.id : undefined }
      }
      onCancel={onClose}
      onSubmit={async (v) => {
        const address = v.address?.trim() ?? '';
        if (editing) {
          // An emptied address is sent as '' so it is cleared, not left unchanged.
          onSaved(
            await updateCompound(editing.id, { name: v.name.trim(), gridId: v.gridId, address }),
            false,
          );
        } else {
          const body = {
            communityCode,
            name: v.name.trim(),
            gridId: v.gridId,
            address: address || undefined,
          };
          onSaved(await createCompound(body), true);
        }
      }}
    >
      {grids.length === 0 && !fetched.loading && (
        <Alert type="warning" showIcon title={t('geo.noGridsYet')} style={{ marginBottom: 16 }} />
      )}
      <Form.Item
        name="name"
        label={t('geo.compoundName')}
        rules={nameRules(t, t('geo.compoundName'), { min: 2, max: 60 })}
      >
        <Input placeholder={t('geo.compoundNamePlaceholder')} maxLength={60} autoFocus />
      </Form.Item>
      <Form.Item
        name="gridId"
        label={t('geo.grid')}
        rules={[{ required: true, message: t('validation.select', { field: t('geo.grid') }) }]}
      >
        <Select
          options={grids.map((g) => ({ value: g.id, label: g.name }))}
          loading={fetched.loading}
          placeholder={t('validation.select', { field: t('geo.grid') })}
        />
      </Form.Item>
      <Form.Item name="address" label={t('geo.address')} rules={[{ max: 200 }]}>
        <Input placeholder={t('geo.addressPlaceholder')} maxLength={200} />
      </Form.Item>
    </FormModal>
  );
}
