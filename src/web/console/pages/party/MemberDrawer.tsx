import {
  App,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  Result,
  Select,
  Space,
  Spin,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../api/client.ts';
import {
  type Colour,
  changeMemberStatus,
  getMember,
  type Ledger,
  type MemberDetail,
  type MemberEventView,
  type MemberStatus,
  type MemberView,
  moveLedger,
  revealMember,
  setMemberColour,
  updateMember,
} from '../../../api/index.ts';
import { formatDateTime } from '../../../ui/format.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { PHONE_RE } from '../../../ui/validate.ts';
import { FormModal } from '../../forms.tsx';
import { showRevealed } from '../../reveal.tsx';
import { MemberPoints } from './MemberPoints.tsx';
import {
  COLOURS,
  ColourTag,
  EDUCATIONS,
  LedgerSelect,
  LedgerTag,
  MobileFields,
  type MobileValues,
  mobileOf,
  ReasonField,
  STATUSES,
} from './parts.tsx';

type Dialog = 'edit' | 'ledger' | 'status' | 'colour' | null;

/** 党员档案: the record (masked), what may be done with it, and its history. */
export function MemberDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: number | null;
  onClose: () => void;
  onChanged: (m: MemberView) => void;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const loaded = useLoad(() => (id ? getMember(id) : Promise.resolve(undefined)), [id]);
  const [dialog, setDialog] = useState<Dialog>(null);
  const m = loaded.data;

  const changed = (next: MemberDetail) => {
    loaded.setData(next);
    onChanged(next);
    setDialog(null);
    message.success(t('common.saved'));
  };

  const reveal = async () => {
    if (!m) return;
    try {
      const pii = await revealMember(m.id);
      showRevealed(modal, {
        title: t('party.reveal'),
        closeText: t('common.close'),
        recorded: t('party.revealRecorded'),
        rows: [
          { key: 'n', label: t('party.name'), value: pii.name, testId: 'revealed-name' },
          { key: 'i', label: t('party.idNumber'), value: pii.idNumber, testId: 'revealed-id' },
          { key: 'p', label: t('party.phone'), value: pii.phone ?? t('common.none') },
        ],
      });
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      width={640}
      title={m ? `${t('party.record')} · ${m.name}` : t('party.record')}
      destroyOnHidden
      extra={
        m?.can.edit && (
          <Space wrap>
            <Button onClick={() => setDialog('edit')}>{t('common.edit')}</Button>
            <Button onClick={() => setDialog('ledger')}>{t('party.moveLedger')}</Button>
            <Button onClick={() => setDialog('status')}>{t('party.changeStatus')}</Button>
            <Button onClick={() => setDialog('colour')}>{t('party.setColour')}</Button>
          </Space>
        )
      }
    >
      {loaded.loading && !m && <Spin />}
      {loaded.error && <Result status="warning" title={loaded.error} />}
      {m && (
        <>
          <Descriptions
            column={2}
            size="small"
            bordered
            data-testid="member-record"
            items={[
              { key: 'name', label: t('party.name'), children: m.name },
              { key: 'sex', label: t('party.sex'), children: t(`party.${m.sex}`) },
              { key: 'id', label: t('party.idNumber'), children: m.idNumber, span: 2 },
              {
                key: 'birth',
                label: t('party.birthDate'),
                children: `${m.birthDate}（${t('party.ageValue', { age: m.age })}）`,
              },
              { key: 'phone', label: t('party.phone'), children: m.phone ?? t('common.none') },
              { key: 'ledger', label: t('party.ledger'), children: <LedgerTag ledger={m.ledger} /> },
              {
                key: 'colour',
                label: t('party.colour'),
                children: (
                  <Space size={4} wrap>
                    <ColourTag colour={m.colour} />
                    {m.colourOverridden && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('party.colourOverridden')}
                        {m.colourReason ? `：${m.colourReason}` : ''}
                      </Typography.Text>
                    )}
                  </Space>
                ),
              },
              { key: 'standing', label: t('party.standing'), children: t(`party.standings.${m.standing}`) },
              { key: 'status', label: t('party.status'), children: t(`party.statuses.${m.status}`) },
              { key: 'compound', label: t('party.compound'), children: m.compound.name },
              { key: 'org', label: t('party.org'), children: m.org?.name ?? t('party.noOrg') },
              { key: 'joined', label: t('party.joinedOn'), children: m.joinedOn ?? t('common.none') },
              {
                key: 'edu',
                label: t('party.education'),
                children: m.education ? t(`party.educations.${m.education}`) : t('common.none'),
              },
              { key: 'unit', label: t('party.workUnit'), children: m.workUnit ?? t('common.none'), span: 2 },
              {
                key: 'rel',
                label: t('party.relationAt'),
                children: m.relationAt ?? t('common.none'),
                span: 2,
              },
              {
                key: 'skills',
                label: t('party.skills'),
                children: m.skills.join('、') || t('common.none'),
                span: 2,
              },
              ...(m.mobile
                ? [
                    {
                      key: 'mobile',
                      label: t('party.ledgers.mobile'),
                      span: 2,
                      children: `${t(`party.directions.${m.mobile.direction}`)} · ${m.mobile.place} · ${m.mobile.contact} · ${t('party.mobileCertificate')} ${m.mobile.certificate}`,
                    },
                  ]
                : []),
            ]}
          />
          {m.can.reveal && (
            <Button type="link" onClick={reveal} style={{ paddingInline: 0, marginTop: 8 }}>
              {t('party.reveal')}
            </Button>
          )}
          <MemberPoints memberId={m.id} canPost={m.can.edit && m.status === 'normal'} />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('party.history')}
          </Typography.Title>
          <Timeline items={m.history.map((e) => ({ key: e.id, children: <HistoryItem e={e} /> }))} />
          <Dialogs m={m} dialog={dialog} onClose={() => setDialog(null)} onSaved={changed} />
        </>
      )}
    </Drawer>
  );
}

function HistoryItem({ e }: { e: MemberEventView }) {
  const { t } = useTranslation();
  const show = (field: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    if (field === 'ledger') return t(`party.ledgers.${v as Ledger}`);
    if (field === 'status') return t(`party.statuses.${v as MemberStatus}`);
    if (field === 'colour') return t(`party.colours.${v as Colour}`);
    if (field === 'standing') return t(`party.standings.${v as 'full'}`);
    if (Array.isArray(v)) return v.join('、');
    if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
    if (typeof v === 'object')
      return Object.values(v as object)
        .filter(Boolean)
        .join(' · ');
    return String(v);
  };
  return (
    <div>
      <Typography.Text strong>
        {t('party.historyBy', {
          actor: e.actor ?? t('party.system'),
          kind: t(`party.events.${e.kind as 'created'}`, { defaultValue: e.kind }),
        })}
      </Typography.Text>{' '}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatDateTime(e.at)}
      </Typography.Text>
      {e.changes &&
        Object.entries(e.changes).map(([k, c]) => (
          <div key={k} style={{ fontSize: 13 }}>
            {t(`party.fields.${k as 'name'}`, { defaultValue: k })}：{show(k, c.from)} → {show(k, c.to)}
          </div>
        ))}
      {e.reason && (
        <div style={{ fontSize: 13 }}>
          {t('party.reason')}：{e.reason}
        </div>
      )}
    </div>
  );
}

interface EditForm {
  name: string;
  phone?: string;
  idNumber?: string;
  education?: (typeof EDUCATIONS)[number];
  joinedOn?: string;
  standing: 'full' | 'probationary';
  workUnit?: string;
  relationAt?: string;
  skills?: string[];
}

function Dialogs({
  m,
  dialog,
  onClose,
  onSaved,
}: {
  m: MemberDetail;
  dialog: Dialog;
  onClose: () => void;
  onSaved: (m: MemberDetail) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <FormModal<EditForm>
        open={dialog === 'edit'}
        name="member-edit"
        title={t('common.edit')}
        width={560}
        initialValues={{
          name: undefined,
          standing: m.standing,
          education: m.education ?? undefined,
          joinedOn: m.joinedOn ?? undefined,
          workUnit: m.workUnit ?? undefined,
          relationAt: m.relationAt ?? undefined,
          skills: m.skills,
        }}
        fields={[
          'name',
          'phone',
          'idNumber',
          'education',
          'joinedOn',
          'standing',
          'workUnit',
          'relationAt',
          'skills',
        ]}
        onCancel={onClose}
        onSubmit={async (v) =>
          onSaved(
            await updateMember(m.id, {
              version: m.version,
              // Masked values are never sent back: only what was typed anew replaces the record's.
              name: v.name?.trim() || undefined,
              phone: v.phone?.trim() || undefined,
              idNumber: v.idNumber?.trim() || undefined,
              education: v.education,
              joinedOn: v.joinedOn || undefined,
              standing: v.standing,
              workUnit: v.workUnit?.trim() || undefined,
              relationAt: v.relationAt?.trim() || undefined,
              skills: v.skills ?? [],
            }),
          )
        }
      >
        <Form.Item name="name" label={t('party.name')} extra={m.name} rules={[{ max: 40 }]}>
          <Input maxLength={40} autoComplete="off" />
        </Form.Item>
        <Form.Item name="idNumber" label={t('party.idNumber')} extra={m.idNumber}>
          <Input maxLength={18} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('party.phone')}
          extra={m.phone ?? undefined}
          rules={[{ pattern: PHONE_RE, message: t('validation.phone') }]}
        >
          <Input maxLength={11} inputMode="numeric" autoComplete="off" />
        </Form.Item>
        <Form.Item name="standing" label={t('party.standing')}>
          <Select
            options={(['full', 'probationary'] as const).map((s) => ({
              value: s,
              label: t(`party.standings.${s}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="education" label={t('party.education')}>
          <Select
            allowClear
            options={EDUCATIONS.map((e) => ({ value: e, label: t(`party.educations.${e}`) }))}
          />
        </Form.Item>
        <Form.Item name="joinedOn" label={t('party.joinedOn')}>
          <Input type="date" />
        </Form.Item>
        <Form.Item name="workUnit" label={t('party.workUnit')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="relationAt" label={t('party.relationAt')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="skills" label={t('party.skills')}>
          <Select mode="tags" open={false} placeholder={t('party.skillsPlaceholder')} />
        </Form.Item>
      </FormModal>

      <FormModal<MobileValues & { ledger: Ledger; reason: string; workUnit?: string }>
        open={dialog === 'ledger'}
        name="member-ledger"
        title={t('party.moveLedger')}
        width={520}
        initialValues={{ workUnit: m.workUnit ?? undefined }}
        fields={['ledger', 'reason', 'workUnit']}
        onCancel={onClose}
        onSubmit={async (v) =>
          onSaved(
            await moveLedger(m.id, {
              ledger: v.ledger,
              reason: v.reason.trim(),
              workUnit: v.ledger === 'inService' ? v.workUnit?.trim() || undefined : undefined,
              mobile: mobileOf(v.ledger, v),
              version: m.version,
            }),
          )
        }
      >
        {(form) => (
          <>
            <Form.Item
              name="ledger"
              label={t('party.ledger')}
              rules={[{ required: true, message: t('validation.select', { field: t('party.ledger') }) }]}
            >
              <LedgerSelect />
            </Form.Item>
            <Form.Item name="workUnit" label={t('party.workUnit')}>
              <Input maxLength={200} />
            </Form.Item>
            <MobileFields form={form} />
            <ReasonField extra={t('party.reasonHelp')} />
          </>
        )}
      </FormModal>

      <FormModal<{ status: MemberStatus; reason: string }>
        open={dialog === 'status'}
        name="member-status"
        title={t('party.changeStatus')}
        width={480}
        fields={['status', 'reason']}
        onCancel={onClose}
        onSubmit={async (v) =>
          onSaved(
            await changeMemberStatus(m.id, { status: v.status, reason: v.reason.trim(), version: m.version }),
          )
        }
      >
        <Form.Item
          name="status"
          label={t('party.status')}
          rules={[{ required: true, message: t('validation.select', { field: t('party.status') }) }]}
        >
          <Select
            options={STATUSES.filter((s) => s !== m.status).map((s) => ({
              value: s,
              label: t(`party.statuses.${s}`),
            }))}
          />
        </Form.Item>
        <ReasonField extra={t('party.reasonHelp')} />
      </FormModal>

      <FormModal<{ colour: Colour; reason?: string }>
        open={dialog === 'colour'}
        name="member-colour"
        title={t('party.setColour')}
        width={480}
        initialValues={{ colour: m.colour ?? undefined }}
        fields={['colour', 'reason']}
        onCancel={onClose}
        onSubmit={async (v) =>
          onSaved(
            await setMemberColour(m.id, {
              colour: v.colour,
              reason: v.reason?.trim() || undefined,
              version: m.version,
            }),
          )
        }
      >
        <Typography.Paragraph type="secondary">
          {t('party.colourSuggested', {
            colour: m.colourSuggested ? t(`party.colours.${m.colourSuggested}`) : t('common.none'),
          })}
        </Typography.Paragraph>
        <Form.Item name="colour" label={t('party.colour')} rules={[{ required: true }]}>
          <Select options={COLOURS.map((c) => ({ value: c, label: <ColourTag colour={c} /> }))} />
        </Form.Item>
        <ReasonField required={false} extra={t('party.reasonHelp')} />
      </FormModal>
    </>
  );
}
