import { ActionSheet, Button, Toast } from 'antd-mobile';
import { GlobalOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/client.ts';
import { LANGS, type Lang } from '../i18n/index.ts';
import { useSession } from '../ui/session.tsx';

/** Opens a sheet with 中文 / English; saved on the account when signed in. */
export function useLanguagePicker() {
  const { t, i18n } = useTranslation();
  const { setLanguage } = useSession();
  return () => {
    const handler = ActionSheet.show({
      cancelText: t('common.cancel'),
      actions: LANGS.map((l) => ({
        key: l,
        text: t(`lang.${l}`),
        bold: l === i18n.language,
      })),
      onAction: async (action) => {
        handler.close();
        try {
          await setLanguage(action.key as Lang);
        } catch (e) {
          Toast.show({ icon: 'fail', content: errorText(e) });
        }
      },
    });
  };
}

export function LangToggle() {
  const { t, i18n } = useTranslation();
  const pick = useLanguagePicker();
  return (
    <Button size="middle" fill="none" onClick={pick} aria-label={t('lang.label')} style={{ fontSize: 17 }}>
      <GlobalOutline /> {t(`lang.${i18n.language === 'en' ? 'en' : 'zh-CN'}`)}
    </Button>
  );
}
