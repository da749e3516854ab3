import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { MembersTab } from './MembersTab.tsx';
import { OrgsTab } from './OrgsTab.tsx';

/** 党员与组织: the four ledgers and member records, and the community's party organisations. */
export default function PartyPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'orgs' ? 'orgs' : 'members';
  return (
    <Card title={t('party.title')}>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'orgs' ? { tab: 'orgs' } : {}, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'members', label: t('party.tabMembers'), children: <MembersTab /> },
          { key: 'orgs', label: t('party.tabOrgs'), children: <OrgsTab /> },
        ]}
      />
    </Card>
  );
}
