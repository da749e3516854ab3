import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Descriptions, Drawer, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type MerchantAdminView,
  merchantStatement,
  merchantStatementXlsxUrl,
} from '../../../api/merchants.ts';
import { formatDateTime, todayInCity } from '../../../ui/format.ts';
import { useLoad } from '../../../ui/useLoad.ts';

type Line = NonNullable<Awaited<ReturnType<typeof merchantStatement>>>['lines'][number];

/** 月度对账单: a merchant's vouchers checked in in a month, the totals and its account. */
export function StatementDrawer({
  merchant,
  onClose,
}: {
  merchant: MerchantAdminView | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [month, setMonth] = useState(() => todayInCity().slice(0, 7));
  const s = useLoad(
    () =>
      merchant && /^\d{4}-\d{2}$/.test(month) ? merchantStatement(merchant.id, month) : Promise.resolve(null),
    [merchant?.id, month],
  );
  return (
    <Drawer
      open={merchant !== null}
      onClose={onClose}
      width={720}
      title={merchant ? t('merchants.statementTitle', { name: merchant.name }) : ''}
      destroyOnHidden
      extra={
        merchant && (
          <Button icon={<DownloadOutlined aria-hidden />} href={merchantStatementXlsxUrl(merchant.id, month)}>
            {t('merchants.export')}
          </Button>
        )
      }
    >
      <Space style={{ marginBottom: 16 }}>
        <label htmlFor="statement-month">{t('merchants.month')}</label>
        <DatePicker
          id="statement-month"
          picker="month"
          allowClear={false}
          placeholder={month}
          format="YYYY-MM"
          disabledDate={(d) => d.format('YYYY-MM') > todayInCity().slice(0, 7)}
          onChange={(d) => d && setMonth(d.format('YYYY-MM'))}
          style={{ width: 180 }}
          data-testid="statement-month"
        />
      </Space>
      {s.error && <Alert type="error" showIcon title={s.error} style={{ marginBottom: 12 }} />}
      {s.data && (
        <Descriptions
          bordered
          size="small"
          column={3}
          style={{ marginBottom: 16 }}
          data-testid="statement-totals"
          items={[
            {
              key: 'v',
              label: t('merchants.redeemed'),
              children: s.data.totals.vouchers,
            },
            { key: 'p', label: t('merchants.points'), children: s.data.totals.points },
            { key: 'e', label: t('merchants.balanceAtMonthEnd'), children: s.data.balanceAtMonthEnd },
            { key: 'n', label: t('merchants.balanceNow'), children: s.data.balance },
          ]}
        />
      )}
      <Table<Line>
        rowKey="voucherId"
        size="small"
        loading={s.loading}
        dataSource={s.data?.lines ?? []}
        pagination={false}
        data-testid="statement-lines"
        locale={{ emptyText: t('merchants.noLines') }}
        columns={[
          { title: '#', key: 'i', width: 50, render: (_: unknown, __: Line, i: number) => i + 1 },
          {
            title: t('merchants.redeemedAt'),
            dataIndex: 'redeemedAt',
            width: 160,
            render: (x: string) => formatDateTime(x),
          },
          { title: t('merchants.offerTitle'), dataIndex: 'offer' },
          { title: t('merchants.points'), dataIndex: 'points', width: 70, align: 'right' },
          { title: t('merchants.member'), dataIndex: 'member', width: 100 },
          { title: t('merchants.voucherNo'), dataIndex: 'voucherId', width: 80 },
        ]}
      />
    </Drawer>
  );
}
