import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Popconfirm, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { errorText } from '../../../api/client.ts';
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
import { useLoad } from '../../../ui/useLoad.ts';
import { FormModal } from '../../forms.tsx';
import { LoadMore } from '../../LoadMore.tsx';
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
  onCompoundsChanged: () => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const openId = Number(params.get('compound')) || null;
  const isCommunity = region.level === 'community';

  const [items, setItems] = useState<CompoundView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [gridId, setGridId] = useState<number | undefined>(undefined);
  const [modal, setModal] = useState<ModalState>(null);
  const seq = useRef(0);

  const load = useCallback(
    async (after: string | null) => {
      const mine = ++seq.current;
      setLoading(true);
      setError(null);
      try {
        const page = await listCompounds({
          region: region.code,
          gridId,
          q: q || undefined,
          cursor: after ?? undefined,
          limit: PAGE,
        });
        if (mine !== seq.current) return;
        setItems((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (e) {
        if (mine === seq.current) setError(errorText(e));
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    },
    [region.code, gridId, q],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  const open = (id: number | null) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (id) next.set('compound', String(id));
      else next.delete('compound');
      return next;
    });

  const patch = (c: CompoundView) => setItems((prev) => prev.map((x) => (x.id === c.id ? c : x)));

  const remove = async (c: CompoundView) => {
    try {
      await deleteCompound(c.id);
      setItems((prev) => prev.filter((x) => x.id !== c.id));
      message.success(t('common.deleted'));
      onCompoundsChanged();
    } catch (e) {
      message.error(errorText(e));
    }
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
    {
      title: t('common.actions'),
      key: 'actions',
      width: 140,
      render: (_: unknown, c) => (
        <Space size={4}>
          {c.can.update && (
            <Button type="link" size="small" onClick={() => setModal({ mode: 'edit', compound: c })}>
              {t('common.edit')}
            </Button>
          )}
          {c.can.delete && (
            <Popconfirm
              title={t('common.confirmDelete', { name: c.name })}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() => remove(c)}
            >
              <Button type="link" size="small" danger>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
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
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<CompoundView>
        data-testid="compound-table"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={loading}
        pagination={false}
        scroll={{ x: 760 }}
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
            onCompoundsChanged();
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
        rules={[
          {
            required: true,
            whitespace: true,
            message: t('validation.required', { field: t('geo.compoundName') }),
          },
          { min: 2, max: 60 },
        ]}
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
