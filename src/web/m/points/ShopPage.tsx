import { Button, Dialog, ErrorBlock, List, NavBar, SpinLoading, Tabs, Tag, Toast } from 'antd-mobile';
import { QRCodeSVG } from 'qrcode.react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { errorText } from '../../api/client.ts';
import {
  cancelVoucher,
  myVouchers,
  type OfferView,
  pointsOffers,
  redeemOffer,
  type VoucherView,
} from '../../api/index.ts';
import { formatDateTime } from '../../ui/format.ts';
import { newIdempotencyKey } from '../../ui/tickets.ts';
import { useLoad } from '../../ui/useLoad.ts';

/** 积分兑换: what the community's merchants offer for points, and my vouchers with their codes. */
export function ShopPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'vouchers' ? 'vouchers' : 'offers';
  return (
    <div className="m-app">
      <NavBar onBack={() => navigate('/points')} backIcon style={{ background: '#fff', '--height': '52px' }}>
        <span style={{ fontSize: 19 }}>{t('points.shop')}</span>
      </NavBar>
      <Tabs activeKey={tab} onChange={(k) => setParams(k === 'offers' ? {} : { tab: k }, { replace: true })}>
        <Tabs.Tab title={t('points.offers')} key="offers">
          <Offers onRedeemed={() => setParams({ tab: 'vouchers' }, { replace: true })} />
        </Tabs.Tab>
        <Tabs.Tab title={t('points.vouchers')} key="vouchers">
          <Vouchers />
        </Tabs.Tab>
      </Tabs>
    </div>
  );
}

function Offers({ onRedeemed }: { onRedeemed: () => void }) {
  const { t } = useTranslation();
  const offers = useLoad(() => pointsOffers(), []);
  const [busy, setBusy] = useState<number | null>(null);
  const take = async (o: OfferView) => {
    const ok = await Dialog.confirm({
      content: (
        <div style={{ fontSize: 18, lineHeight: 1.6 }}>
          {t('points.redeemConfirm', { title: o.title, merchant: o.merchant.name, price: o.price })}
        </div>
      ),
      confirmText: t('points.redeem'),
      cancelText: t('common.cancel'),
    });
    if (!ok) return;
    setBusy(o.id);
    try {
      await redeemOffer(o.id, newIdempotencyKey());
      Toast.show({ icon: 'success', content: t('points.redeemed') });
      onRedeemed();
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorText(e) });
      offers.reload();
    } finally {
      setBusy(null);
    }
  };
  if (offers.loading && !offers.data)
    return (
      <div className="m-center">
        <SpinLoading color="primary" />
      </div>
    );
  if (offers.error) return <ErrorBlock status="default" title={offers.error} description="" />;
  if (!offers.data?.length) return <p className="m-empty-text">{t('points.noOffers')}</p>;
  return (
    <List className="m-list" data-testid="m-offers">
      {offers.data.map((o) => (
        <List.Item
          key={o.id}
          description={
            <>
              {o.merchant.name}
              {o.merchant.address ? ` · ${o.merchant.address}` : ''}
              <div>
                {t(`points.categories.${o.category}`)} · {t('points.stockLeft', { n: o.stock })} ·{' '}
                {t('points.until', { date: o.validUntil })}
              </div>
            </>
          }
          extra={
            <Button color="primary" size="middle" loading={busy === o.id} onClick={() => take(o)}>
              {t('points.priceButton', { price: o.price })}
            </Button>
          }
        >
          {o.title}
        </List.Item>
      ))}
    </List>
  );
}

const STATUS_COLOR = {
  issued: 'success',
  redeemed: 'default',
  cancelled: 'default',
  expired: 'default',
} as const;

function Vouchers() {
  const { t } = useTranslation();
  const vouchers = useLoad(() => myVouchers(), []);
  const giveBack = async (v: VoucherView) => {
    const ok = await Dialog.confirm({
      content: <div style={{ fontSize: 18 }}>{t('points.cancelConfirm', { price: v.offer.price })}</div>,
      confirmText: t('common.ok'),
      cancelText: t('common.cancel'),
    });
    if (!ok) return;
    try {
      await cancelVoucher(v.id);
      vouchers.reload();
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorText(e) });
    }
  };
  if (vouchers.loading && !vouchers.data)
    return (
      <div className="m-center">
        <SpinLoading color="primary" />
      </div>
    );
  if (!vouchers.data?.length) return <p className="m-empty-text">{t('points.noVouchers')}</p>;
  return (
    <div className="m-body" data-testid="m-vouchers">
      {vouchers.data.map((v) => {
        const usable = v.status === 'issued' && !v.expired;
        return (
          <section key={v.id} className={`m-voucher${usable ? '' : ' m-voucher-done'}`}>
            <div className="m-voucher-head">
              <strong>{v.offer.title}</strong>
              <Tag color={v.expired ? 'default' : STATUS_COLOR[v.status]}>
                {v.expired ? t('points.voucherStatus.expired') : t(`points.voucherStatus.${v.status}`)}
              </Tag>
            </div>
            <div className="m-voucher-merchant">{v.merchant}</div>
            {usable && v.code && (
              <>
                <div className="m-voucher-qr">
                  <QRCodeSVG value={v.code} size={168} marginSize={2} title={t('points.qrTitle')} />
                </div>
                <div className="m-voucher-code" data-testid="m-voucher-code">
                  {v.code.replace(/(\d{4})(?=\d)/g, '$1 ')}
                </div>
                <div className="m-voucher-hint">
                  {t('points.showAtCounter')} · {t('points.expires', { at: formatDateTime(v.expiresAt) })}
                </div>
                <Button size="small" fill="outline" onClick={() => giveBack(v)} style={{ marginTop: 8 }}>
                  {t('points.cancelVoucher')}
                </Button>
              </>
            )}
            {v.redeemedAt && (
              <div className="m-voucher-hint">{t('points.usedAt', { at: formatDateTime(v.redeemedAt) })}</div>
            )}
            {(v.status === 'expired' || v.status === 'cancelled') && (
              <div className="m-voucher-hint" data-testid="m-voucher-refunded">
                {t('merchants.pointsBack', { price: v.offer.price })}
              </div>
            )}
            {v.status === 'issued' && v.expired && (
              <div className="m-voucher-hint">{t('merchants.pointsBackSoon', { price: v.offer.price })}</div>
            )}
          </section>
        );
      })}
    </div>
  );
}
