import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Select, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createGrid, deleteGrid, type GridView, listUsers, updateGrid } from '../../../api/index.ts';
import { useMe } from '../../../ui/session.tsx';
import { useLoad } from '../../../ui/useLoad.ts';
import { nameRules } from '../../../ui/validate.ts';
import { FormModal } from '../../forms.tsx';
import { actionsColumn, DeleteLink } from '../../rowActions.tsx';

type ModalState =
  | { mode: 'create' }
  | { mode: 'rename'; grid: GridView }
  | { mode: 'worker'; grid: GridView }
  | null;

/** The grids of a community (多格合一): add, rename, set the grid worker, delete when empty. */
export function GridsCard({
  communityCode,
  grids,
  loading,
  error,
  reload,
}: {
  communityCode: string;
  grids: GridView[] | undefined;
  loading: boolean;
  error: string | null;
  reload: () => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const [modal, setModal] = useState<ModalState>(null);

  const remove = async (g: GridView) => {
    await deleteGrid(g.id);
    reload();
  };

  const columns: ColumnsType<GridView> = [
    { title: t('geo.gridCode'), dataIndex: 'code', width: 190 },
    { title: t('geo.gridName'), dataIndex: 'name' },
    {
      title: t('geo.gridWorker'),
      dataIndex: 'workerName',
      render: (name: string | null) =>
        name ?? <Typography.Text type="secondary">{t('geo.noWorker')}</Typography.Text>,
    },
    { title: t('geo.compounds'), dataIndex: 'compoundCount', width: 80, align: 'right' },
    actionsColumn(t, 240, (g: GridView) => (
      <>
        {g.can.update && (
          <Button type="link" size="small" onClick={() => setModal({ mode: 'rename', grid: g })}>
            {t('geo.renameGrid')}
          </Button>
        )}
        {g.can.update && (
          <Button type="link" size="small" onClick={() => setModal({ mode: 'worker', grid: g })}>
            {t('geo.setWorker')}
          </Button>
        )}
        {g.can.delete && <DeleteLink name={g.name} onDelete={() => remove(g)} />}
      </>
    )),
  ];

  const renaming = modal?.mode === 'rename' ? modal.grid : null;
  const staffing = modal?.mode === 'worker' ? modal.grid : null;

  return (
    <Card
      title={t('geo.grids')}
      size="small"
      extra={
        me.can.manageGeo && (
          <Button icon={<PlusOutlined aria-hidden />} onClick={() => setModal({ mode: 'create' })}>
            {t('geo.addGrid')}
          </Button>
        )
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<GridView>
        data-testid="grid-table"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={grids ?? []}
        loading={loading}
        pagination={false}
        scroll={{ x: 760 }}
      />
      <FormModal<{ name: string }>
        open={modal?.mode === 'create' || modal?.mode === 'rename'}
        name={renaming ? 'grid-rename' : 'grid-create'}
        title={renaming ? t('geo.renameGrid') : t('geo.addGrid')}
        fields={['name']}
        initialValues={renaming ? { name: renaming.name } : {}}
        onCancel={() => setModal(null)}
        onSubmit={async (v) => {
          if (renaming) await updateGrid(renaming.id, { name: v.name.trim() });
          else await createGrid(communityCode, v.name.trim());
          setModal(null);
          message.success(renaming ? t('common.saved') : t('common.created'));
          reload();
        }}
      >
        <Form.Item name="name" label={t('geo.gridName')} rules={nameRules(t, t('geo.gridName'), { max: 40 })}>
          <Input placeholder={t('geo.gridNamePlaceholder')} maxLength={40} autoFocus />
        </Form.Item>
      </FormModal>
      <FormModal<{ workerUserId: number }>
        open={staffing !== null}
        name="grid-worker"
        title={t('geo.setWorker')}
        fields={['workerUserId']}
        initialValues={{ workerUserId: staffing?.workerUserId ?? 0 }}
        onCancel={() => setModal(null)}
        onSubmit={async (v) => {
          if (!staffing) return;
          await updateGrid(staffing.id, { workerUserId: v.workerUserId || null });
          setModal(null);
          message.success(t('common.saved'));
          reload();
        }}
      >
        {staffing && <WorkerSelect communityCode={communityCode} grid={staffing} />}
      </FormModal>
    </Card>
  );
}

/** Candidates: users holding the gridWorker role on this very grid (names masked). */
function WorkerSelect({ communityCode, grid }: { communityCode: string; grid: GridView }) {
  const { t } = useTranslation();
  const users = useLoad(
    () => listUsers({ region: communityCode, role: 'gridWorker', limit: 200 }),
    [communityCode, grid.id],
  );
  const candidates = (users.data?.items ?? []).filter((u) =>
    u.grants.some((g) => g.role === 'gridWorker' && g.nodeRef === String(grid.id)),
  );
  const options = [
    { value: 0, label: t('geo.clearWorker') },
    ...candidates.map((u) => ({ value: u.id, label: `${u.name}  ${u.phone}` })),
  ];
  // Keep the current worker selectable even if the list did not return them.
  if (grid.workerUserId && !candidates.some((u) => u.id === grid.workerUserId)) {
    options.push({ value: grid.workerUserId, label: grid.workerName ?? `#${grid.workerUserId}` });
  }
  return (
    <>
      {users.error && <Alert type="error" showIcon title={users.error} style={{ marginBottom: 16 }} />}
      {!users.loading && candidates.length === 0 && (
        <Alert type="info" showIcon title={t('geo.noWorkerCandidates')} style={{ marginBottom: 16 }} />
      )}
      <Form.Item name="workerUserId" label={t('geo.gridWorker')} extra={t('geo.workerHint')}>
        <Select options={options} loading={users.loading} />
      </Form.Item>
    </>
  );
}
