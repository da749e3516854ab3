import { Alert, Button, Drawer, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { ResponsibilityListSummary } from '../../../api/index.ts';
import { formatDateTime } from '../../../ui/format.ts';
import { actionsColumn } from '../../rowActions.tsx';

/** Every published version, newest first, with how many tickets were routed under each. */
export function HistoryDrawer({
  open,
  lists,
  shown,
  onView,
  onExport,
  onClose,
}: {
  open: boolean;
  lists: readonly ResponsibilityListSummary[];
  /** The version on screen (null while a draft is). */
  shown: string | null;
  onView: (version: string) => void;
  onExport: (version: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const columns: ColumnsType<ResponsibilityListSummary> = [
    {
      title: t('responsibility.version'),
      dataIndex: 'version',
      width: 150,
      render: (v: string, l) => (
        <span>
          <Typography.Text strong className="gz-mono">
            {v}
          </Typography.Text>
          {l.current && (
            <Tag color="green" style={{ marginInlineStart: 8 }}>
              {t('responsibility.currentTag')}
            </Tag>
          )}
        </span>
      ),
    },
    {
      title: t('responsibility.published'),
      key: 'published',
      width: 190,
      render: (_: unknown, l) => (
        <div>
          <div className="gz-mono">{formatDateTime(l.publishedAt)}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {l.publishedByName ?? t('responsibility.bySystem')}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('responsibility.note'),
      dataIndex: 'note',
      render: (n: string | null) =>
        n ? (
          <Typography.Paragraph ellipsis={{ rows: 2, tooltip: n }} style={{ margin: 0 }}>
            {n}
          </Typography.Paragraph>
        ) : (
          <Typography.Text type="secondary">{t('responsibility.noNote')}</Typography.Text>
        ),
    },
    {
      title: t('responsibility.size'),
      key: 'size',
      width: 120,
      render: (_: unknown, l) =>
        t('responsibility.sizeValue', { categories: l.categoryCount, items: l.itemCount }),
    },
    {
      title: t('responsibility.ticketCount'),
      dataIndex: 'ticketCount',
      width: 110,
      align: 'right',
      render: (n: number) => t('responsibility.tickets', { count: n }),
    },
    actionsColumn<ResponsibilityListSummary>(t, 130, (l) => (
      <>
        <Button
          type="link"
          size="small"
          disabled={l.version === shown}
          onClick={() => onView(l.version)}
          aria-label={t('responsibility.viewVersion', { version: l.version })}
        >
          {l.version === shown ? t('responsibility.viewing') : t('responsibility.view')}
        </Button>
        <Button
          type="link"
          size="small"
          onClick={() => onExport(l.version)}
          aria-label={t('responsibility.exportVersion', { version: l.version })}
        >
          {t('responsibility.export')}
        </Button>
      </>
    )),
  ];
  return (
    <Drawer open={open} onClose={onClose} size={980} title={t('responsibility.history')}>
      <Alert type="info" showIcon title={t('responsibility.immutable')} style={{ marginBottom: 16 }} />
      <Table<ResponsibilityListSummary>
        rowKey="version"
        size="middle"
        columns={columns}
        dataSource={[...lists]}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="responsibility-history"
      />
    </Drawer>
  );
}
