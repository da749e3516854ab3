import { Card, InputNumber, Space, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { todayInCity } from '../../../../ui/format.ts';
import { CertificatesTab } from './CertificatesTab.tsx';
import { ProgressTab } from './ProgressTab.tsx';
import { TargetsTab } from './TargetsTab.tsx';

const TABS = ['targets', 'progress', 'certificates'] as const;
export const thisYear = () => Number(todayInCity().slice(0, 4));

/**
 * 服务目标: the county's annual targets per group, each community's progress and the members
 * behind (with export), and the service certificates issued to members.
 */
export default function TargetsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab');
  const tab = TABS.find((x) => x === asked) ?? 'progress';
  const year = Number(params.get('year')) || thisYear();
  const set = (next: Record<string, string>) => {
    const p = Object.fromEntries(params.entries());
    setParams({ ...p, ...next }, { replace: true });
  };
  return (
    <Card
      title={t('serviceTargets.title')}
      extra={
        tab !== 'certificates' && (
          <Space>
            <Typography.Text>{t('serviceTargets.year')}</Typography.Text>
            <InputNumber
              min={2020}
              max={thisYear() + 1}
              value={year}
              onChange={(v) => v && set({ year: String(v) })}
              style={{ width: 96 }}
              data-testid="targets-year"
            />
          </Space>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('serviceTargets.intro')}</Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={(k) => set({ tab: k })}
        destroyOnHidden
        items={[
          { key: 'progress', label: t('serviceTargets.tabProgress'), children: <ProgressTab year={year} /> },
          { key: 'targets', label: t('serviceTargets.tabTargets'), children: <TargetsTab year={year} /> },
          { key: 'certificates', label: t('serviceTargets.tabCertificates'), children: <CertificatesTab /> },
        ]}
      />
    </Card>
  );
}
