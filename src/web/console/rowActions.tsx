import { App, Button, Popconfirm, Space } from 'antd';
import type { ColumnType } from 'antd/es/table';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/client.ts';

/** The "操作" column of a table: the row's links side by side. */
export function actionsColumn<T>(
  t: TFunction,
  width: number,
  links: (row: T) => ReactNode,
  extra: Omit<ColumnType<T>, 'title' | 'key' | 'width' | 'render'> = {},
): ColumnType<T> {
  return {
    title: t('common.actions'),
    key: 'actions',
    width,
    ...extra,
    render: (_: unknown, row: T) => <Space size={4}>{links(row)}</Space>,
  };
}

/**
 * The red "删除" link of a table row, behind a "确定删除「name」吗？" confirmation; says
 * "已删除" when `onDelete` succeeds and shows its problem when it fails.
 */
export function DeleteLink({ name, onDelete }: { name: string; onDelete: () => Promise<void> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <Popconfirm
      title={t('common.confirmDelete', { name })}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true }}
      onConfirm={async () => {
        try {
          await onDelete();
          message.success(t('common.deleted'));
        } catch (e) {
          message.error(errorText(e));
        }
      }}
    >
      <Button type="link" size="small" danger>
        {t('common.delete')}
      </Button>
    </Popconfirm>
  );
}
