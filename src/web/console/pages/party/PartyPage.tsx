import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { ColoursTab } from './ColoursTab.tsx';
import { MembersTab } from './MembersTab.tsx';
import { OrgsTab } from './OrgsTab.tsx';
import { PairingTab } from './PairingTab.tsx';
import { RegistrationsTab } from './RegistrationsTab.tsx';

/** 党员与组织: the four ledgers and member records, and the community's party organisations. */
export default function PartyPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = ['orgs', 'registrations', 'pairing', 'colours'].includes(params.get('tab') ?? '')
    ? (params.get('tab') as string)
    : 'members';
  return (
    <Card title={t('party.title')}>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'members' ? {} : { tab: k }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'members', label: t('party.tabMembers'), children: <MembersTab /> },
          { key: 'orgs', label: t('party.tabOrgs'), children: <OrgsTab /> },
          { key: 'registrations', label: t('party.reg.tab'), children: <RegistrationsTab /> },
          { key: 'pairing', label: t('party.care.tab'), children: <PairingTab /> },
          { key: 'colours', label: t('party.scheme.tab'), children: <ColoursTab /> },
        ]}
      />
    </Card>
  );
}
