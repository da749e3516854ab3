import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useElderMode } from './elder.ts';

/** 大字模式 on the sign-in page: an elderly resident needs it before they can read the form. */
export function ElderToggle() {
  const { t } = useTranslation();
  const [on, set] = useElderMode();
  return (
    <Button
      size="middle"
      fill="none"
      onClick={() => set(!on)}
      aria-pressed={on}
      data-testid="m-elder-toggle"
      style={{ fontSize: 17, fontWeight: on ? 600 : 400 }}
    >
      {on ? '✓ ' : ''}
      {t('m.elder')}
    </Button>
  );
}
