import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OFFER_CATEGORIES } from '../../../../contracts/points-states.ts';
import { errorText } from '../../../api/client.ts';
import {
  addOffer,
  changeOfferStock,
  closeOffer,
  listMerchants,
  type MerchantAdminView,
  type OfferAdminView,
  type OfferCategory,
  type OfferState,
  registerMerchant,
} from '../../../api/merchants.ts';
import { todayInCity } from '../../../ui/format.ts';
import { useCursorList } from '../../../ui/useCursorList.ts';
import { PHONE_RE } from '../../../ui/validate.ts';
import { FilterForm, FormModal } from '../../forms.tsx';
import { PagedTable } from '../../LoadMore.tsx';
import { RegionPicker } from '../users/NodeFields.tsx';
import { StatementDrawer } from './StatementDrawer.tsx';

const PAGE = 20;
const STATE_COLOR: Record<OfferState, string> = {
  upcoming: 'blue',
  active: 'green',
  soldOut: 'orange',
  ended: 'default',
};

interface Filters {
  region?: string;
  q?: string;
}
interface RegisterForm {
  communityCode: string;
  name: string;
  address?: string;
  staffPhones?: string;
}
interface OfferForm {
  title: string;
  category: OfferCategory;
  price: number;
  stock: number;
  perMemberLimit: number;
  validFrom: Dayjs;
  validUntil: Dayjs;
}

/** Phones typed in one box, separated by commas, 、 or spaces. */
const phonesOf = (s: string | undefined) =>
  (s ?? '')
    .split(/[\s,，、;；]+/)
    .map((p) => p.trim())
    .filter(Boolean);

/** 商家与优惠: the area's merchants, each with its offers (stock left, redeemed) and what to do with them. */
export function MerchantsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({});
  const list = useCursorList(
    (cursor) => listMerchants({ region: filters.region, q: filters.q || undefined, cursor, limit: PAGE }),
    [filters],
  );
  const [registering, setRegistering] = useState(false);
  const [offerFor, setOfferFor] = useState<MerchantAdminView | null>(null);
  const [stockOf, setStockOf] = useState<OfferAdminView | null>(null);
  const [statementOf, setStatementOf] = useState<MerchantAdminView | null>(null);
  const [collapsed, setCollapsed] = useState<Set<number>>(new Set());
  const { setItems } = list;

  /** Puts an offer's new figures in its merchant's row without refetching the list. */
  const replaceOffer = (o: OfferAdminView) =>
    setItems((rows) =>
      rows.map((m) =>
        m.id === o.merchantId ? { ...m, offers: m.offers.map((x) => (x.id === o.id ? o : x)) } : m,
      ),
    );
  const refresh = () => setFilters((f) => ({ ...f }));

  const close = async (o: OfferAdminView) => {
    try {
      replaceOffer(await closeOffer(o.id));
      message.success(t('merchants.closed'));
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const offerColumns: ColumnsType<OfferAdminView> = [
    {
      title: t('merchants.offerTitle'),
      key: 'title',
      render: (_: unknown, o) => (
        <>
          {o.title} <Tag>{t(`points.categories.${o.category}`)}</Tag>
        </>
      ),
    },
    { title: t('merchants.price'), dataIndex: 'price', width: 90, align: 'right' },
    { title: t('merchants.stock'), dataIndex: 'stock', width: 90, align: 'right' },
    { title: t('merchants.redeemed'), dataIndex: 'redeemed', width: 80, align: 'right' },
    { title: t('merchants.outstanding'), dataIndex: 'outstanding', width: 80, align: 'right' },
    { title: t('merchants.perMemberLimit'), dataIndex: 'perMemberLimit', width: 80, align: 'right' },
    {
      title: t('merchants.validity'),
      key: 'v',
      width: 200,
      render: (_: unknown, o) => `${o.validFrom} ~ ${o.validUntil}`,
    },
    {
      title: t('party.status'),
      dataIndex: 'state',
      width: 90,
      render: (s: OfferState) => <Tag color={STATE_COLOR[s]}>{t(`merchants.states.${s}`)}</Tag>,
    },
    {
      title: t('common.actions'),
      key: 'a',
      width: 170,
      render: (_: unknown, o) =>
        o.can.edit && (
          <Space size={4}>
            <Button type="link" size="small" onClick={() => setStockOf(o)}>
              {t('merchants.changeStock')}
            </Button>
            <Popconfirm
              title={t('merchants.closeAsk', { title: o.title })}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() => close(o)}
            >
              <Button type="link" size="small" danger>
                {t('merchants.close')}
              </Button>
            </Popconfirm>
          </Space>
        ),
    },
  ];

  const columns: ColumnsType<MerchantAdminView> = [
    {
      title: t('merchants.name'),
      key: 'name',
      render: (_: unknown, m) => (
        <>
          <Typography.Text strong>{m.name}</Typography.Text>
          {m.address && <div style={{ fontSize: 12, color: '#666' }}>{m.address}</div>}
        </>
      ),
    },
    { title: t('merchants.community'), key: 'c', width: 130, render: (_: unknown, m) => m.community.name },
    {
      title: t('merchants.staff'),
      key: 's',
      width: 220,
      render: (_: unknown, m) =>
        m.staff.length === 0 ? (
          <Typography.Text type="secondary">{t('merchants.noStaff')}</Typography.Text>
        ) : (
          m.staff.map((s) => (
            <div key={`${s.name}${s.phone}`}>
              {s.name} {s.phone}
            </div>
          ))
        ),
    },
    {
      title: t('merchants.offers'),
      key: 'o',
      width: 110,
      render: (_: unknown, m) => {
        const live = m.offers.filter((o) => o.state === 'active').length;
        return `${live} / ${m.offers.length}`;
      },
    },
    { title: t('merchants.balance'), dataIndex: 'balance', width: 100, align: 'right' },
    {
      title: t('common.actions'),
      key: 'a',
      width: 190,
      render: (_: unknown, m) => (
        <Space size={4}>
          {m.can.edit && (
            <Button type="link" size="small" onClick={() => setOfferFor(m)}>
              {t('merchants.addOffer')}
            </Button>
          )}
          <Button type="link" size="small" onClick={() => setStatementOf(m)}>
            {t('merchants.statement')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <>
      <Row justify="space-between" align="top" gutter={16}>
        <Col flex="auto">
          <FilterForm<Filters> name="merchant-filter" onSearch={setFilters} onReset={() => setFilters({})}>
            <Form.Item name="region" label={t('merchants.region')}>
              <RegionPicker style={{ width: 220 }} />
            </Form.Item>
            <Form.Item name="q">
              <Input placeholder={t('merchants.searchName')} allowClear style={{ width: 200 }} />
            </Form.Item>
          </FilterForm>
        </Col>
        <Col>
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setRegistering(true)}>
            {t('merchants.register')}
          </Button>
        </Col>
      </Row>
      <PagedTable<MerchantAdminView>
        list={list}
        columns={columns}
        data-testid="merchant-table"
        locale={{ emptyText: t('merchants.none') }}
        scroll={{ x: 900 }}
        expandable={{
          expandedRowKeys: list.items.filter((m) => !collapsed.has(m.id)).map((m) => m.id),
          onExpand: (open, m) =>
            setCollapsed((s) => {
              const next = new Set(s);
              if (open) next.delete(m.id);
              else next.add(m.id);
              return next;
            }),
          expandedRowRender: (m) =>
            m.offers.length === 0 ? (
              <Typography.Text type="secondary">{t('merchants.noOffers')}</Typography.Text>
            ) : (
              <Table<OfferAdminView>
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={m.offers}
                columns={offerColumns}
                data-testid={`offer-table-${m.id}`}
              />
            ),
        }}
      />

      <FormModal<RegisterForm>
        open={registering}
        name="merchant-register"
        title={t('merchants.register')}
        fields={['communityCode', 'name', 'address', 'staffPhones']}
        onCancel={() => setRegistering(false)}
        onSubmit={async (v) => {
          const m = await registerMerchant({
            communityCode: v.communityCode,
            name: v.name.trim(),
            address: v.address?.trim() || undefined,
            staffPhones: phonesOf(v.staffPhones),
          });
          setRegistering(false);
          message.success(t('merchants.registered', { name: m.name }));
          refresh();
        }}
      >
        <Form.Item
          name="communityCode"
          label={t('merchants.community')}
          rules={[{ required: true, message: t('validation.select', { field: t('merchants.community') }) }]}
        >
          <RegionPicker level="community" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('merchants.name')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('validation.required', { field: t('merchants.name') }),
            },
          ]}
        >
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="address" label={t('merchants.address')}>
          <Input maxLength={200} placeholder={t('merchants.addressHint')} />
        </Form.Item>
        <Form.Item
          name="staffPhones"
          label={t('merchants.staffPhones')}
          extra={t('merchants.staffPhonesHelp')}
          rules={[
            {
              validator: async (_, v?: string) => {
                const phones = phonesOf(v);
                if (phones.length > 10 || phones.some((p) => !PHONE_RE.test(p)))
                  throw new Error(t('merchants.staffPhonesBad'));
              },
            },
          ]}
        >
          <Input placeholder="13800000000, 13900000000" />
        </Form.Item>
      </FormModal>

      <FormModal<OfferForm>
        open={offerFor !== null}
        name="offer-add"
        title={offerFor ? t('merchants.addOfferTitle', { name: offerFor.name }) : ''}
        fields={['title', 'category', 'price', 'stock', 'perMemberLimit', 'validFrom', 'validUntil']}
        initialValues={{ perMemberLimit: 1, category: 'food' }}
        onCancel={() => setOfferFor(null)}
        onSubmit={async (v) => {
          if (!offerFor) return;
          await addOffer(offerFor.id, {
            ...v,
            title: v.title.trim(),
            validFrom: v.validFrom.format('YYYY-MM-DD'),
            validUntil: v.validUntil.format('YYYY-MM-DD'),
          });
          setOfferFor(null);
          message.success(t('merchants.offerAdded'));
          refresh();
        }}
      >
        <Form.Item
          name="title"
          label={t('merchants.offerTitle')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('validation.required', { field: t('merchants.offerTitle') }),
            },
          ]}
        >
          <Input maxLength={80} placeholder={t('merchants.offerTitleHint')} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="category" label={t('merchants.category')} rules={[{ required: true }]}>
              <Select
                options={OFFER_CATEGORIES.map((c) => ({ value: c, label: t(`points.categories.${c}`) }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="price"
              label={t('merchants.price')}
              rules={[{ required: true, message: t('validation.required', { field: t('merchants.price') }) }]}
            >
              <InputNumber min={1} max={100000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="stock"
              label={t('merchants.initialStock')}
              rules={[
                { required: true, message: t('validation.required', { field: t('merchants.initialStock') }) },
              ]}
            >
              <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="perMemberLimit"
              label={t('merchants.perMemberLimit')}
              rules={[{ required: true }]}
            >
              <InputNumber min={1} max={100} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="validFrom"
              label={t('merchants.validFrom')}
              rules={[
                { required: true, message: t('validation.select', { field: t('merchants.validFrom') }) },
              ]}
            >
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="validUntil"
              label={t('merchants.validUntil')}
              rules={[
                { required: true, message: t('validation.select', { field: t('merchants.validUntil') }) },
              ]}
            >
              <DatePicker
                style={{ width: '100%' }}
                disabledDate={(d) => d.format('YYYY-MM-DD') < todayInCity()}
              />
            </Form.Item>
          </Col>
        </Row>
      </FormModal>

      <FormModal<{ change: number }>
        open={stockOf !== null}
        name="offer-stock"
        title={stockOf ? t('merchants.changeStockTitle', { title: stockOf.title }) : ''}
        fields={['change']}
        onCancel={() => setStockOf(null)}
        onSubmit={async (v) => {
          if (!stockOf) return;
          const o = await changeOfferStock(stockOf.id, v.change);
          replaceOffer(o);
          setStockOf(null);
          message.success(t('merchants.stockChanged', { n: o.stock }));
        }}
      >
        {stockOf && (
          <Typography.Paragraph>{t('merchants.stockNow', { n: stockOf.stock })}</Typography.Paragraph>
        )}
        <Form.Item
          name="change"
          label={t('merchants.stockChange')}
          extra={t('merchants.stockChangeHelp')}
          rules={[
            {
              validator: async (_, v?: number | null) => {
                if (!v) throw new Error(t('merchants.stockChangeZero'));
              },
            },
          ]}
        >
          <InputNumber min={-100000} max={100000} precision={0} style={{ width: 200 }} />
        </Form.Item>
      </FormModal>

      <StatementDrawer merchant={statementOf} onClose={() => setStatementOf(null)} />
    </>
  );
}
