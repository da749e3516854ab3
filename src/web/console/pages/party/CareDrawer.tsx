import {
  App,
  Button,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  List,
  Result,
  Select,
  Space,
  Spin,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { VISIT_MODES } from '../../../../contracts/party-states.ts';
import { errorText } from '../../../api/client.ts';
import {
  type CareDetail,
  type CareKind,
  type CareView,
  closeCare,
  endPairing,
  getCare,
  listMembers,
  logVisit,
  type MemberView,
  pairMember,
  revealCare,
  updateCare,
  type VisitMode,
  type VisitView,
} from '../../../api/index.ts';
import { formatDateTime, todayInCity } from '../../../ui/format.ts';
import { useDebounced } from '../../../ui/useDebounced.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { PHONE_RE } from '../../../ui/validate.ts';
import { FormModal } from '../../forms.tsx';
import { showRevealed } from '../../reveal.tsx';
import { CareDetailsFields, CareStateTag, KindTags } from './care-parts.tsx';
import { ReasonField } from './parts.tsx';

type Dialog = 'edit' | 'pair' | 'visit' | 'close' | null;

/** 包联户档案: the household (masked), its pairings, its visits and its history. */
export function CareDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: number | null;
  onClose: () => void;
  onChanged: (c: CareView) => void;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const loaded = useLoad(() => (id ? getCare(id) : Promise.resolve(undefined)), [id]);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [ending, setEnding] = useState<number | null>(null);
  const c = loaded.data;

  const changed = (next: CareDetail) => {
    loaded.setData(next);
    onChanged(next);
    setDialog(null);
    setEnding(null);
    message.success(t('common.saved'));
  };

  const reveal = async () => {
    if (!c) return;
    try {
      const pii = await revealCare(c.id);
      showRevealed(modal, {
        title: t('party.care.reveal'),
        closeText: t('common.close'),
        recorded: t('party.revealRecorded'),
        rows: [
          { key: 'n', label: t('party.care.headName'), value: pii.headName, testId: 'revealed-name' },
          { key: 'p', label: t('party.care.phone'), value: pii.phone ?? t('common.none') },
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
      width={680}
      title={c ? `${t('party.care.record')} · ${c.headName}` : t('party.care.record')}
      destroyOnHidden
      extra={
        c?.can.edit && (
          <Space wrap>
            <Button type="primary" onClick={() => setDialog('visit')}>
              {t('party.care.logVisit')}
            </Button>
            <Button onClick={() => setDialog('pair')}>{t('party.care.pair')}</Button>
            <Button onClick={() => setDialog('edit')}>{t('common.edit')}</Button>
            <Button danger onClick={() => setDialog('close')}>
              {t('party.care.close')}
            </Button>
          </Space>
        )
      }
    >
      {loaded.loading && !c && <Spin />}
      {loaded.error && <Result status="warning" title={loaded.error} />}
      {c && (
        <>
          <Descriptions
            column={2}
            size="small"
            bordered
            data-testid="care-record"
            items={[
              { key: 'name', label: t('party.care.headName'), children: c.headName },
              { key: 'phone', label: t('party.care.phone'), children: c.phone ?? t('common.none') },
              { key: 'compound', label: t('party.compound'), children: c.compound.name },
              { key: 'address', label: t('party.care.address'), children: c.address ?? t('common.none') },
              { key: 'kinds', label: t('party.care.kinds'), span: 2, children: <KindTags kinds={c.kinds} /> },
              {
                key: 'state',
                label: t('party.care.state'),
                children: <CareStateTag state={c.state} overdueDays={c.overdueDays} />,
              },
              {
                key: 'every',
                label: t('party.care.visitEvery'),
                children: t('party.care.visitEveryValue', { days: c.visitEveryDays }),
              },
              {
                key: 'last',
                label: t('party.care.lastVisit'),
                children: c.lastVisitedOn ?? t('party.care.never'),
              },
              { key: 'due', label: t('party.care.dueOn'), children: c.status === 'active' ? c.dueOn : '—' },
              { key: 'note', label: t('party.care.note'), span: 2, children: c.note ?? t('common.none') },
              ...(c.closedReason
                ? [
                    {
                      key: 'closed',
                      label: t('party.care.states.closed'),
                      span: 2,
                      children: t('party.care.closedBecause', { reason: c.closedReason }),
                    },
                  ]
                : []),
            ]}
          />
          {c.can.reveal && (
            <Button type="link" onClick={reveal} style={{ paddingInline: 0, marginTop: 8 }}>
              {t('party.care.reveal')}
            </Button>
          )}

          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('party.care.pairedWith')}
          </Typography.Title>
          {c.pairings.length === 0 ? (
            <Typography.Text type="danger">{t('party.care.nobody')}</Typography.Text>
          ) : (
            <List
              size="small"
              bordered
              data-testid="care-pairings"
              dataSource={c.pairings}
              renderItem={(p) => (
                <List.Item
                  actions={
                    c.can.edit
                      ? [
                          <Button key="end" type="link" size="small" danger onClick={() => setEnding(p.id)}>
                            {t('party.care.endPairing')}
                          </Button>,
                        ]
                      : []
                  }
                >
                  {p.member.name}
                  <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                    {t('party.care.pairedSince', { date: p.startedOn })}
                  </Typography.Text>
                </List.Item>
              )}
            />
          )}
          {c.pastPairings.length > 0 && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
              {t('party.care.pastPairings')}：
              {c.pastPairings
                .map(
                  (p) =>
                    `${p.member.name}（${p.startedOn}–${p.endedOn}${p.endReason ? `，${p.endReason}` : ''}）`,
                )
                .join('；')}
            </Typography.Paragraph>
          )}

          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('party.care.visits')}
          </Typography.Title>
          {c.visits.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('party.care.noVisits')} />
          ) : (
            <Timeline
              data-testid="care-visits"
              items={c.visits.map((v) => ({ key: v.id, children: <VisitItem v={v} /> }))}
            />
          )}

          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('party.care.history')}
          </Typography.Title>
          <Timeline
            items={c.history.map((e) => ({
              key: e.id,
              children: (
                <div>
                  <Typography.Text strong>
                    {t('party.historyBy', {
                      actor: e.actor ?? t('party.system'),
                      kind: t(`party.care.events.${e.kind as 'marked'}`, { defaultValue: e.kind }),
                    })}
                  </Typography.Text>{' '}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(e.at)}
                  </Typography.Text>
                  <EventData kind={e.kind} data={e.data} />
                </div>
              ),
            }))}
          />
          <Dialogs c={c} dialog={dialog} onClose={() => setDialog(null)} onSaved={changed} />
          <FormModal<{ reason: string }>
            open={ending !== null}
            name="care-end-pairing"
            title={t('party.care.endPairing')}
            fields={['reason']}
            onCancel={() => setEnding(null)}
            onSubmit={async (v) => changed(await endPairing(ending as number, v.reason.trim()))}
          >
            <ReasonField />
          </FormModal>
        </>
      )}
    </Drawer>
  );
}

function VisitItem({ v }: { v: VisitView }) {
  const { t } = useTranslation();
  return (
    <div>
      <Typography.Text strong>
        {v.visitedOn} · {t(`party.care.modes.${v.mode}`)} · {v.visitor?.name ?? t('party.care.visitorSelf')}
      </Typography.Text>
      <div style={{ whiteSpace: 'pre-wrap' }}>{v.notes}</div>
      {v.problemsFound && (
        <div>
          <Typography.Text type="secondary">{t('party.care.problemsFound')}：</Typography.Text>
          {v.problemsFound}
        </div>
      )}
      {v.problemsSolved && (
        <div>
          <Typography.Text type="secondary">{t('party.care.problemsSolved')}：</Typography.Text>
          {v.problemsSolved}
        </div>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('party.care.recordedBy', {
          who: v.recordedBy ?? t('party.system'),
          at: formatDateTime(v.recordedAt),
        })}
      </Typography.Text>
    </div>
  );
}

/** What an event changed, in words: kinds and modes named, personal values as stored (masked). */
function EventData({ kind, data }: { kind: string; data: Record<string, unknown> | null }) {
  const { t } = useTranslation();
  if (!data) return null;
  const show = (field: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    if (field === 'kinds' && Array.isArray(v))
      return v.map((k) => t(`party.care.kind.${k as CareKind}`)).join('、');
    if (typeof v === 'object' && v && 'name' in v) return String((v as { name: string }).name);
    return String(v);
  };
  const label = (f: string) =>
    ({
      headName: t('party.care.headName'),
      phone: t('party.care.phone'),
      address: t('party.care.address'),
      kinds: t('party.care.kinds'),
      note: t('party.care.note'),
      visitEveryDays: t('party.care.visitEvery'),
      member: t('party.care.pairMember'),
      reason: t('party.reason'),
    })[f] ?? f;
  if (kind === 'updated')
    return (
      <>
        {Object.entries(data as Record<string, { from: unknown; to: unknown }>).map(([k, c]) => (
          <div key={k} style={{ fontSize: 13 }}>
            {label(k)}：{show(k, c.from)} → {show(k, c.to)}
          </div>
        ))}
      </>
    );
  return (
    <>
      {Object.entries(data)
        .filter(([k]) => k !== 'pairingsEnded')
        .map(([k, v]) => (
          <div key={k} style={{ fontSize: 13 }}>
            {label(k)}：{show(k, v)}
          </div>
        ))}
    </>
  );
}

interface VisitForm {
  visitedOn: string;
  mode: VisitMode;
  memberId?: number;
  notes: string;
  problemsFound?: string;
  problemsSolved?: string;
}

interface EditForm {
  headName?: string;
  phone?: string;
  address?: string;
  kinds: CareKind[];
  visitEveryDays: number;
  note?: string;
}

function Dialogs({
  c,
  dialog,
  onClose,
  onSaved,
}: {
  c: CareDetail;
  dialog: Dialog;
  onClose: () => void;
  onSaved: (c: CareDetail) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <FormModal<VisitForm>
        open={dialog === 'visit'}
        name="care-visit"
        title={t('party.care.logVisit')}
        width={560}
        initialValues={{ visitedOn: todayInCity(), mode: 'home', memberId: c.pairings[0]?.member.id ?? 0 }}
        fields={['visitedOn', 'mode', 'memberId', 'notes', 'problemsFound', 'problemsSolved']}
        onCancel={onClose}
        onSubmit={async (v) =>
          onSaved(
            await logVisit(c.id, {
              visitedOn: v.visitedOn,
              mode: v.mode,
              memberId: v.memberId || undefined,
              notes: v.notes.trim(),
              problemsFound: v.problemsFound?.trim() || undefined,
              problemsSolved: v.problemsSolved?.trim() || undefined,
            }),
          )
        }
      >
        <Space wrap>
          <Form.Item name="visitedOn" label={t('party.care.visitedOn')} rules={[{ required: true }]}>
            <Input type="date" max={todayInCity()} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="mode" label={t('party.care.mode')}>
            <Select
              style={{ width: 140 }}
              options={VISIT_MODES.map((m) => ({ value: m, label: t(`party.care.modes.${m}`) }))}
            />
          </Form.Item>
          <Form.Item name="memberId" label={t('party.care.visitor')}>
            <Select
              style={{ width: 180 }}
              options={[
                { value: 0, label: t('party.care.visitorSelf') },
                ...c.pairings.map((p) => ({ value: p.member.id, label: p.member.name })),
              ]}
            />
          </Form.Item>
        </Space>
        <Form.Item
          name="notes"
          label={t('party.care.notes')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('validation.required', { field: t('party.care.notes') }),
            },
          ]}
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item name="problemsFound" label={t('party.care.problemsFound')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="problemsSolved" label={t('party.care.problemsSolved')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </FormModal>

      <FormModal<{ memberId: number }>
        open={dialog === 'pair'}
        name="care-pair"
        title={t('party.care.pair')}
        fields={['memberId']}
        onCancel={onClose}
        onSubmit={async (v) => onSaved(await pairMember(c.id, v.memberId))}
      >
        <Form.Item
          name="memberId"
          label={t('party.care.pairMember')}
          extra={t('party.care.pairHint')}
          rules={[{ required: true, message: t('validation.select', { field: t('party.care.pairMember') }) }]}
        >
          <MemberPicker compoundId={c.compound.id} />
        </Form.Item>
      </FormModal>

      <FormModal<EditForm>
        open={dialog === 'edit'}
        name="care-edit"
        title={t('common.edit')}
        width={560}
        initialValues={{
          address: c.address ?? undefined,
          kinds: c.kinds,
          visitEveryDays: c.visitEveryDays,
          note: c.note ?? undefined,
        }}
        fields={['headName', 'phone', 'address', 'kinds', 'visitEveryDays', 'note']}
        onCancel={onClose}
        onSubmit={async (v) =>
          onSaved(
            await updateCare(c.id, {
              version: c.version,
              // Masked values are never sent back: only what was typed anew replaces the record's.
              headName: v.headName?.trim() || undefined,
              phone: v.phone?.trim() || undefined,
              address: v.address?.trim() ?? '',
              kinds: v.kinds,
              visitEveryDays: v.visitEveryDays,
              note: v.note?.trim() ?? '',
            }),
          )
        }
      >
        <Space wrap>
          <Form.Item name="headName" label={t('party.care.headName')} extra={c.headName}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item
            name="phone"
            label={t('party.care.phone')}
            extra={c.phone ?? undefined}
            rules={[{ pattern: PHONE_RE, message: t('validation.phone') }]}
          >
            <Input maxLength={11} inputMode="numeric" />
          </Form.Item>
        </Space>
        <CareDetailsFields />
      </FormModal>

      <FormModal<{ reason: string }>
        open={dialog === 'close'}
        name="care-close"
        title={t('party.care.close')}
        fields={['reason']}
        onCancel={onClose}
        onSubmit={async (v) => onSaved(await closeCare(c.id, v.reason.trim(), c.version))}
      >
        <ReasonField extra={t('party.care.closeReason')} />
      </FormModal>
    </>
  );
}

/** Members by name (masked, with age and the ID number's end so two of a name can be told apart). */
function MemberPicker({
  id,
  value,
  onChange,
  compoundId,
}: {
  id?: string;
  value?: number;
  onChange?: (v: number) => void;
  compoundId: number;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const debounced = useDebounced(q);
  // With nothing typed, the household's own compound's members come first.
  const found = useLoad(
    () =>
      listMembers({
        q: debounced || undefined,
        compoundId: debounced ? undefined : compoundId,
        status: 'normal',
        limit: 20,
      }),
    [debounced, compoundId],
  );
  const label = (m: MemberView) =>
    `${m.name} · ${t('party.ageValue', { age: m.age })} · ${m.idNumber.slice(-4)} · ${m.compound.name}`;
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={found.loading}
      options={(found.data?.items ?? []).map((m) => ({ value: m.id, label: label(m) }))}
      notFoundContent={found.loading ? t('common.loading') : t('common.empty')}
    />
  );
}
