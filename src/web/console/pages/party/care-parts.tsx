import { Select, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { CARE_KINDS } from '../../../../contracts/party-states.ts';
import type { CareKind, CareState } from '../../../api/index.ts';

export const STATE_COLOR: Record<CareState, string> = {
  unpaired: 'magenta',
  overdue: 'red',
  dueSoon: 'gold',
  onTrack: 'green',
  closed: 'default',
};

/** Where a household stands, in words and colour, with how late its visit is. */
export function CareStateTag({ state, overdueDays }: { state: CareState; overdueDays: number }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLOR[state]} style={{ marginInlineEnd: 0 }}>
      {state === 'overdue'
        ? t('party.care.overdueDays', { days: overdueDays })
        : t(`party.care.states.${state}`)}
    </Tag>
  );
}

export function KindTags({ kinds }: { kinds: readonly CareKind[] }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      {kinds.map((k) => (
        <Tag key={k} style={{ marginInlineEnd: 0 }}>
          {t(`party.care.kind.${k}`)}
        </Tag>
      ))}
    </Space>
  );
}

export function KindSelect(props: { id?: string; value?: CareKind[]; onChange?: (v: CareKind[]) => void }) {
  const { t } = useTranslation();
  return (
    <Select
      {...props}
      mode="multiple"
      options={CARE_KINDS.map((k) => ({ value: k, label: t(`party.care.kind.${k}`) }))}
      placeholder={t('validation.select', { field: t('party.care.kinds') })}
    />
  );
}
