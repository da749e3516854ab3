import { Button, ErrorBlock, List, NavBar, SpinLoading } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { myPoints } from '../../api/index.ts';
import { formatDateTime } from '../../ui/format.ts';
import { useCursorList } from '../../ui/useCursorList.ts';
import { useLoad } from '../../ui/useLoad.ts';

/** 我的积分: the balance in large type, and every entry, newest first. */
export function PointsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const head = useLoad(() => myPoints({ limit: 1 }), []);
  const list = useCursorList(async (cursor) => (await myPoints({ cursor, limit: 20 })).statement, []);
  const a = head.data?.account;

  return (
    <div className="m-app">
      <NavBar onBack={() => navigate('/mine')} backIcon style={{ background: '#fff', '--height': '52px' }}>
        <span style={{ fontSize: 19 }}>{t('points.myTitle')}</span>
      </NavBar>
      <div className="m-body">
        {head.loading && !head.data && (
          <div className="m-center">
            <SpinLoading color="primary" />
          </div>
        )}
        {head.error && <ErrorBlock status="default" title={head.error} description="" />}
        {head.data && (
          <section className="m-points-card" data-testid="m-points">
            <div className="m-points-label">{t('points.balance')}</div>
            <div className="m-points-balance">{a?.balance ?? 0}</div>
            <div className="m-points-sub">
              {t('points.earned')} {a?.earned ?? 0} · {t('points.spent')} {a?.spent ?? 0}
            </div>
          </section>
        )}
        <Button
          block
          color="primary"
          size="large"
          className="m-btn-big"
          style={{ marginTop: 12 }}
          onClick={() => navigate('/points/shop')}
          data-testid="m-shop-entry"
        >
          {t('points.shop')}
        </Button>
        <div style={{ display: 'flex', gap: 12, marginTop: 12 }}>
          <Button
            block
            size="large"
            onClick={() => navigate('/points/declare')}
            data-testid="m-declare-entry"
          >
            {t('pointsMember.declareTitle')}
          </Button>
          <Button
            block
            size="large"
            onClick={() => navigate('/points/posting')}
            data-testid="m-posting-entry"
          >
            {t('pointsMember.postingTitle')}
          </Button>
        </div>
        <p style={{ fontSize: 16, lineHeight: 1.6, margin: '12px 4px', color: '#555' }}>
          {t('points.myIntro')}
        </p>
        {list.items.length === 0 && !list.loading && (
          <p style={{ fontSize: 18, margin: '16px 8px', color: '#777' }}>{t('points.none')}</p>
        )}
        {list.items.length > 0 && (
          <List className="m-list">
            {list.items.map((x) => (
              <List.Item
                key={x.id}
                extra={
                  <span
                    style={{ fontSize: 21, fontWeight: 600, color: x.points < 0 ? '#c41d1d' : '#237804' }}
                  >
                    {x.points > 0 ? `+${x.points}` : x.points}
                  </span>
                }
                description={`${x.source ? `${t(`points.sources.${x.source}`)} · ` : ''}${formatDateTime(x.at)}`}
              >
                {x.reason}
              </List.Item>
            ))}
          </List>
        )}
        {list.more && (
          <Button block size="large" loading={list.loading} onClick={list.more} style={{ marginTop: 12 }}>
            {t('points.more')}
          </Button>
        )}
      </div>
    </div>
  );
}
