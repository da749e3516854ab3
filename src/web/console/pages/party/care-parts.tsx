import { Form, Input, InputNumber, Select, Space, Tag } from 'antd';
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

/** Where, why and how often: the household fields the create and edit dialogs share. */
export function CareDetailsFields() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="address" label={t('party.care.address')}>
        <Input maxLength={100} placeholder={t('party.care.addressHint')} />
      </Form.Item>
      <Form.Item
        name="kinds"
        label={t('party.care.kinds')}
        rules={[{ required: true, message: t('validation.select', { field: t('party.care.kinds') }) }]}
      >
        <KindSelect />
      </Form.Item>
      <Form.Item name="visitEveryDays" label={t('party.care.visitEvery')} rules={[{ required: true }]}>
        <InputNumber min={1} max={365} suffix={t('party.care.days')} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="note" label={t('party.care.note')}>
        <Input.TextArea rows={3} maxLength={1000} />
      </Form.Item>
    </>
  );
}
