import type { FormInstance } from 'antd';
import { Form, Input, Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { LEDGERS } from '../../../../contracts/party-states.ts';
import type { Colour, Ledger } from '../../../api/index.ts';

// The vocabularies themselves (plain constants: no zod comes into the bundle with them).
export {
  COLOURS,
  EDUCATIONS,
  LEDGERS,
  MEMBER_STATUSES as STATUSES,
} from '../../../../contracts/party-states.ts';

/** A five-colour tag in its colour, named in words too (colour alone says nothing to a screen reader). */
export function ColourTag({ colour, note }: { colour: Colour | null; note?: string }) {
  const { t } = useTranslation();
  if (!colour) return null;
  return (
    <Tag color={colour} style={{ marginInlineEnd: 0 }}>
      {t(`party.colours.${colour}`)}
      {note ? ` · ${note}` : ''}
    </Tag>
  );
}

export function LedgerTag({ ledger }: { ledger: Ledger }) {
  const { t } = useTranslation();
  const color = { direct: 'geekblue', retired: 'default', inService: 'volcano', mobile: 'cyan' }[ledger];
  return (
    <Tag color={color} style={{ marginInlineEnd: 0 }}>
      {t(`party.ledgers.${ledger}`)}
    </Tag>
  );
}

export function LedgerSelect(props: {
  id?: string;
  value?: Ledger;
  onChange?: (v: Ledger) => void;
  allowClear?: boolean;
  style?: React.CSSProperties;
}) {
  const { t } = useTranslation();
  return (
    <Select
      {...props}
      placeholder={t('validation.select', { field: t('party.ledger') })}
      options={LEDGERS.map((l) => ({ value: l, label: t(`party.ledgers.${l}`) }))}
    />
  );
}

export interface MobileValues {
  mobileDirection?: 'out' | 'in';
  mobilePlace?: string;
  mobileContact?: string;
  mobileCertificate?: string;
  mobileSince?: string;
}

/** The mobile member's details, shown when the mobile ledger is chosen. */
export function MobileFields<T extends { ledger?: Ledger }>({ form }: { form: FormInstance<T> }) {
  const { t } = useTranslation();
  const ledger = Form.useWatch('ledger', form);
  if (ledger !== 'mobile') return null;
  const req = (field: string) => [{ required: true, message: t('validation.required', { field }) }];
  return (
    <>
      <Form.Item
        name="mobileDirection"
        label={t('party.mobileDirection')}
        rules={req(t('party.mobileDirection'))}
      >
        <Select
          options={(['out', 'in'] as const).map((d) => ({ value: d, label: t(`party.directions.${d}`) }))}
        />
      </Form.Item>
      <Form.Item name="mobilePlace" label={t('party.mobilePlace')} rules={req(t('party.mobilePlace'))}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="mobileContact" label={t('party.mobileContact')} rules={req(t('party.mobileContact'))}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item
        name="mobileCertificate"
        label={t('party.mobileCertificate')}
        rules={req(t('party.mobileCertificate'))}
      >
        <Input maxLength={40} />
      </Form.Item>
      <Form.Item name="mobileSince" label={t('party.mobileSince')}>
        <Input type="date" />
      </Form.Item>
    </>
  );
}

/** The API's mobile object from the form's flat fields (undefined unless the ledger is mobile). */
export function mobileOf(ledger: Ledger | undefined, v: MobileValues) {
  if (ledger !== 'mobile' || !v.mobileDirection) return undefined;
  return {
    direction: v.mobileDirection,
    place: (v.mobilePlace ?? '').trim(),
    contact: (v.mobileContact ?? '').trim(),
    certificate: (v.mobileCertificate ?? '').trim(),
    since: v.mobileSince || undefined,
  };
}

/** Why a change is made: kept in the history, or shown to the person it concerns. */
export function ReasonField({
  required = true,
  extra,
  rows = 2,
}: {
  required?: boolean;
  extra?: string;
  rows?: number;
}) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name="reason"
      label={t('party.reason')}
      extra={extra}
      rules={
        required
          ? [
              {
                required: true,
                whitespace: true,
                message: t('validation.required', { field: t('party.reason') }),
              },
            ]
          : []
      }
    >
      <Input.TextArea rows={rows} maxLength={500} />
    </Form.Item>
  );
}
