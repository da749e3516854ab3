import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { PostsTab } from './PostsTab.tsx';
import { VerifyTab } from './VerifyTab.tsx';

const TABS = ['posts', 'verify'] as const;

/** 志愿服务: the posts organisers publish with their slots, and the records waiting to be verified. */
export default function ServicePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab');
  const tab = TABS.find((x) => x === asked) ?? 'posts';
  return (
    <Card title={t('serviceConsole.title')}>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'posts' ? {} : { tab: k }, { replace: true })}
        destroyOnHidden
        items={[
          {
            key: 'posts',
            label: <span data-testid="service-tab-posts">{t('serviceConsole.tabPosts')}</span>,
            children: <PostsTab />,
          },
          {
            key: 'verify',
            label: <span data-testid="service-tab-verify">{t('serviceConsole.tabVerify')}</span>,
            children: <VerifyTab />,
          },
        ]}
      />
    </Card>
  );
}
