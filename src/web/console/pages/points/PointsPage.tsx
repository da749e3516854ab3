import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { DeclarationsTab } from './DeclarationsTab.tsx';
import { PostingsTab } from './PostingsTab.tsx';
import { RulesTab } from './RulesTab.tsx';

const TABS = ['rules', 'declarations', 'postings'] as const;
type Tab = (typeof TABS)[number];

/** 积分: the county's earning rules, members' declarations to decide, and the quarterly postings. */
export default function PointsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab') as Tab | null;
  const tab: Tab = asked && TABS.includes(asked) ? asked : 'rules';
  return (
    <Card title={t('pointsConsole.title')}>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'rules' ? {} : { tab: k }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'rules', label: t('pointsConsole.tabRules'), children: <RulesTab /> },
          { key: 'declarations', label: t('pointsConsole.tabDeclarations'), children: <DeclarationsTab /> },
          { key: 'postings', label: t('pointsConsole.tabPostings'), children: <PostingsTab /> },
        ]}
      />
    </Card>
  );
}
