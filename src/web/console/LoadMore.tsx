import { Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

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
