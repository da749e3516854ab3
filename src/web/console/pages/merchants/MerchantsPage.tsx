import { Badge, Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { listMerchantApplications } from '../../../api/merchants.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { ApplicationsTab } from './ApplicationsTab.tsx';
import { MerchantsTab } from './MerchantsTab.tsx';

/** 积分商家: the area's merchants with their offers, and the applications waiting to join. */
export default function MerchantsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'applications' ? 'applications' : 'merchants';
  // How many wait, on the tab's label: the count comes back each time a decision is made.
  const pending = useLoad(() => listMerchantApplications('pending'), []);
  return (
    <Card title={t('merchants.title')}>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'merchants' ? {} : { tab: k }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'merchants', label: t('merchants.tabMerchants'), children: <MerchantsTab /> },
          {
            key: 'applications',
            label: (
              <Badge count={pending.data?.length ?? 0} size="small" offset={[8, -2]}>
                {t('merchants.tabApplications')}
              </Badge>
            ),
            children: <ApplicationsTab onDecided={pending.reload} />,
          },
        ]}
      />
    </Card>
  );
}
