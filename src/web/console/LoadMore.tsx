import { Alert, Button, Space, Table, type TableProps, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CursorList } from '../ui/useCursorList.ts';

/** Table footer for cursor paging: how many rows are shown, and "加载更多" while there are more. */
export function LoadMore({
  count,
  loading,
  onMore,
}: {
  count: number;
  loading: boolean;
  onMore?: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Space style={{ width: '100%', justifyContent: 'center' }}>
      <Typography.Text type="secondary">{t('common.shown', { count })}</Typography.Text>
      {onMore ? (
        <Button onClick={onMore} loading={loading}>
          {t('common.loadMore')}
        </Button>
      ) : (
        <Typography.Text type="secondary">· {t('common.noMore')}</Typography.Text>
      )}
    </Space>
  );
}

/**
 * A table over a cursor-paged list (useCursorList): its error above, its rows, and the
 * LoadMore footer once there are rows. Other table props (columns, scroll, test id) pass through.
 */
export function PagedTable<T extends { id: number }>({
  list,
  ...props
}: { list: CursorList<T> } & Omit<TableProps<T>, 'dataSource' | 'loading' | 'footer' | 'pagination'>) {
  const { items, loading, error, more } = list;
  return (
    <>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<T>
        rowKey="id"
        size="middle"
        {...props}
        dataSource={items}
        loading={loading}
        pagination={false}
        footer={
          items.length > 0
            ? () => <LoadMore count={items.length} loading={loading} onMore={more} />
            : undefined
        }
      />
    </>
  );
}
