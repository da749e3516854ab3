import { GlobalOutlined } from '@ant-design/icons';
import { App, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/client.ts';
import { isLang, LANGS } from '../i18n/index.ts';
import { useSession } from '../ui/session.tsx';

/** 中文 / English. Saved on the account when signed in, on this device before. */
export function LanguageSwitch({ dark = false }: { dark?: boolean }) {
  const { t, i18n } = useTranslation();
  const { setLanguage } = useSession();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Select
      aria-label={t('lang.label')}
      value={i18n.language}
      loading={busy}
      variant={dark ? 'filled' : 'outlined'}
      prefix={<GlobalOutlined />}
      style={{ width: 132 }}
      options={LANGS.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
      onChange={async (v: string) => {
        if (!isLang(v)) return;
        setBusy(true);
        try {
          await setLanguage(v);
        } catch (e) {
          message.error(errorText(e));
        } finally {
          setBusy(false);
        }
      }}
    />
  );
}
