import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Space,
  Table,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type BuildingView,
  type CompoundView,
  createBuilding,
  deleteBuilding,
  getCompound,
  listBuildings,
  updateBuilding,
} from '../../../api/index.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { nameRules } from '../../../ui/validate.ts';
import { FormModal } from '../../forms.tsx';
import { actionsColumn, DeleteLink } from '../../rowActions.tsx';

type ModalState = { mode: 'create' } | { mode: 'edit'; building: BuildingView } | null;

/** One compound: its details and its buildings (add / edit / delete as its `can` allows). */
export function CompoundDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: number | null;
  onClose: () => void;
  onChanged: (c: CompoundView) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const compound = useLoad(() => (id ? getCompound(id) : Promise.resolve(undefined)), [id]);
  const buildings = useLoad(() => (id ? listBuildings(id) : Promise.resolve([])), [id]);
  const [modal, setModal] = useState<ModalState>(null);
  const c = compound.data;

  const refreshCompound = async () => {
    if (!id) return;
    try {
      const fresh = await getCompound(id);
      compound.setData(fresh);
      onChanged(fresh);
    } catch {
      // the list shows the old count until the next load; not worth an error
    }
  };

  const remove = async (b: BuildingView) => {
    await deleteBuilding(b.id);
    buildings.setData((prev) => prev?.filter((x) => x.id !== b.id));
    void refreshCompound();
  };

  const columns: ColumnsType<BuildingView> = [
    { title: t('geo.buildingName'), dataIndex: 'name' },
    { title: t('geo.units'), dataIndex: 'units', width: 90, align: 'right' },
    { title: t('geo.floors'), dataIndex: 'floors', width: 90, align: 'right' },
    { title: t('geo.households'), dataIndex: 'householdCount', width: 90, align: 'right' },
    actionsColumn(t, 140, (b: BuildingView) => (
      <>
        {b.can.update && (
          <Button type="link" size="small" onClick={() => setModal({ mode: 'edit', building: b })}>
            {t('common.edit')}
          </Button>
        )}
        {b.can.delete && <DeleteLink name={b.name} onDelete={() => remove(b)} />}
      </>
    )),
  ];

  const editing = modal?.mode === 'edit' ? modal.building : null;

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={720}
      title={c?.name ?? t('geo.compoundDetail')}
      destroyOnHidden
      loading={compound.loading && !c}
    >
      {compound.error && <Alert type="error" showIcon title={compound.error} />}
      {c && (
        <Space orientation="vertical" size={24} style={{ width: '100%' }}>
          <Descriptions
            column={2}
            size="small"
            bordered
            items={[
              { key: 'code', label: t('geo.compoundCode'), children: c.code },
              { key: 'name', label: t('geo.compoundName'), children: c.name },
              { key: 'region', label: t('geo.regionLabel'), children: c.regionLabel, span: 2 },
              { key: 'grid', label: t('geo.grid'), children: c.gridName },
              { key: 'count', label: t('geo.buildingCount'), children: c.buildingCount },
              { key: 'address', label: t('geo.address'), children: c.address || '—', span: 2 },
            ]}
          />
          <div>
            <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
              <Typography.Title level={5} style={{ margin: 0 }}>
                {t('geo.buildings')}
              </Typography.Title>
              {c.can.addBuilding && (
                <Button
                  type="primary"
                  icon={<PlusOutlined aria-hidden />}
                  onClick={() => setModal({ mode: 'create' })}
                >
                  {t('geo.addBuilding')}
                </Button>
              )}
            </Space>
            {buildings.error && (
              <Alert type="error" showIcon title={buildings.error} style={{ marginBottom: 12 }} />
            )}
            <Table<BuildingView>
              data-testid="building-table"
              rowKey="id"
              size="small"
              columns={columns}
              dataSource={buildings.data ?? []}
              loading={buildings.loading}
              pagination={
                (buildings.data?.length ?? 0) > 50 ? { pageSize: 50, showSizeChanger: false } : false
              }
            />
          </div>
        </Space>
      )}
      {c && (
        <FormModal<BuildingForm>
          open={modal !== null}
          name={editing ? 'building-edit' : 'building-create'}
          title={editing ? t('geo.editBuilding') : t('geo.addBuilding')}
          fields={['name', 'units', 'floors']}
          initialValues={
            editing
              ? { name: editing.name, units: editing.units, floors: editing.floors }
              : { units: 1, floors: 6 }
          }
          onCancel={() => setModal(null)}
          onSubmit={async (v) => {
            const body = { name: v.name.trim(), units: v.units, floors: v.floors };
            if (editing) {
              const b = await updateBuilding(editing.id, body);
              buildings.setData((prev) => prev?.map((x) => (x.id === b.id ? b : x)));
              message.success(t('common.saved'));
            } else {
              const b = await createBuilding(c.id, body);
              buildings.setData((prev) => [...(prev ?? []), b]);
              message.success(t('common.created'));
              void refreshCompound();
            }
            setModal(null);
          }}
        >
          <Form.Item
            name="name"
            label={t('geo.buildingName')}
            rules={nameRules(t, t('geo.buildingName'), { max: 40 })}
          >
            <Input placeholder={t('geo.buildingNamePlaceholder')} maxLength={40} autoFocus />
          </Form.Item>
          <Space size={16}>
            <Form.Item
              name="units"
              label={t('geo.units')}
              rules={[{ required: true, type: 'integer', min: 1, max: 50 }]}
            >
              <InputNumber min={1} max={50} precision={0} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item
              name="floors"
              label={t('geo.floors')}
              rules={[{ required: true, type: 'integer', min: 1, max: 200 }]}
            >
              <InputNumber min={1} max={200} precision={0} style={{ width: 160 }} />
            </Form.Item>
          </Space>
        </FormModal>
      )}
    </Drawer>
  );
}

interface BuildingForm {
  name: string;
  units: number;
  floors: number;
}
