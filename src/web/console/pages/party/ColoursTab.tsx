import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  EditOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
  theme,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { DEFAULT_COLOUR_SCHEME } from '../../../../contracts/party-states.ts';
import { ApiError, errorText, type FieldError } from '../../../api/client.ts';
import {
  type Colour,
  type ColourEntry,
  type ColourRule,
  type ColourSchemeView,
  colourScheme,
  type Ledger,
  ledgerCounts,
  setColourScheme,
} from '../../../api/index.ts';
import { currentLang } from '../../../i18n/index.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { CountyScoped } from './CountyScoped.tsx';
import { COLOURS, LEDGERS } from './parts.tsx';

const MAX_ENTRIES = COLOURS.length;
const RULE_KINDS: ColourRule['kind'][] = ['ledger', 'ageAtLeast', 'frail', 'otherwise'];
/** Fields of an entry the server may name in an error (entries.2.rule.years). */
const FIELDS = ['colour', 'labelZh', 'labelEn', 'years', 'ledgers'] as const;

/** The rule in words: 流动党员台账, 年满80岁, 体弱, 其余党员. */
export function ruleText(t: TFunction, r: ColourRule): string {
  switch (r.kind) {
    case 'ledger':
      return t('party.scheme.ruleText.ledger', {
        ledgers: r.ledgers.map((l) => t(`party.ledgers.${l}`)).join(t('party.scheme.listJoin')),
      });
    case 'ageAtLeast':
      return t('party.scheme.ruleText.ageAtLeast', { years: r.years });
    default:
      return t(`party.scheme.ruleText.${r.kind}`);
  }
}

/** A filled square in the colour, with its name (a colour alone says nothing to a screen reader). */
function Swatch({ colour }: { colour: Colour }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Space size={6} data-testid={`swatch-${colour}`}>
      <span
        aria-hidden
        style={{
          display: 'inline-block',
          width: 16,
          height: 16,
          borderRadius: 4,
          verticalAlign: 'middle',
          background: token[colour],
        }}
      />
      {t(`party.colours.${colour}`)}
    </Space>
  );
}

/** The same scheme, whatever the order of keys or of the ledgers within a rule. */
const canonical = (es: readonly ColourEntry[]) =>
  JSON.stringify(
    es.map((e) => [
      e.colour,
      e.labelZh.trim(),
      e.labelEn.trim(),
      e.rule.kind,
      e.rule.kind === 'ledger'
        ? [...e.rule.ledgers].sort().join()
        : e.rule.kind === 'ageAtLeast'
          ? e.rule.years
          : null,
    ]),
  );

const copy = (es: readonly ColourEntry[]): ColourEntry[] => structuredClone(es) as ColourEntry[];

const defaultRule = (kind: ColourRule['kind']): ColourRule =>
  kind === 'ledger'
    ? { kind, ledgers: ['inService'] }
    : kind === 'ageAtLeast'
      ? { kind, years: 80 }
      : { kind };

/** 五色方案: a county's scheme, in priority order; county and city administrators change it. */
export function ColoursTab() {
  const { t } = useTranslation();
  return (
    <CountyScoped label={t('party.scheme.county')} testid="scheme-county">
      {(county) => <SchemeEditor key={county} county={county} />}
    </CountyScoped>
  );
}

function SchemeEditor({ county }: { county: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [, setParams] = useSearchParams();
  const scheme = useLoad(() => colourScheme(county), [county]);
  const counts = useLoad(() => ledgerCounts({ region: county }), [county]);
  const [draft, setDraft] = useState<ColourEntry[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ detail: string; errors: FieldError[] } | null>(null);

  if (scheme.loading && !scheme.data) return <Spin />;
  if (scheme.error) return <Alert type="error" showIcon title={scheme.error} />;
  const saved = scheme.data as ColourSchemeView;
  // Everyone sees the scheme in words; an administrator who may change it opens the editor.
  const editing = saved.can.edit && draft !== null;
  const entries = draft ?? saved.entries;
  const dirty = draft !== null && canonical(draft) !== canonical(saved.entries);
  const sameAsDefault = canonical(saved.entries) === canonical(DEFAULT_COLOUR_SCHEME);
  const zh = currentLang() !== 'en';

  const change = (next: ColourEntry[]) => {
    setDraft(next);
    setProblem(null);
  };
  const edit = (i: number, patch: Partial<ColourEntry>) =>
    change(entries.map((e, j) => (j === i ? { ...e, ...patch } : e)));
  const move = (i: number, by: -1 | 1) => {
    const next = copy(entries);
    const [e] = next.splice(i, 1);
    if (e) next.splice(i + by, 0, e);
    change(next);
  };
  const add = () => {
    const colour = COLOURS.find((c) => !entries.some((e) => e.colour === c));
    if (!colour) return;
    const next = copy(entries);
    // A new colour goes before "everyone else", which stays last.
    const at = next.at(-1)?.rule.kind === 'otherwise' ? next.length - 1 : next.length;
    next.splice(at, 0, { colour, labelZh: '', labelEn: '', rule: defaultRule('frail') });
    change(next);
  };
  const save = async () => {
    // Empty meanings are told here in plain words; the server checks everything else.
    const missing = entries.flatMap((e, i) => [
      ...(['labelZh', 'labelEn'] as const)
        .filter((f) => !e[f].trim())
        .map((f) => ({
          path: `entries.${i}.${f}`,
          message: t('validation.required', { field: t(`party.scheme.fields.${f}`) }),
        })),
      ...(e.rule.kind === 'ledger' && e.rule.ledgers.length === 0
        ? [
            {
              path: `entries.${i}.rule.ledgers`,
              message: t('validation.select', { field: t('party.scheme.fields.ledgers') }),
            },
          ]
        : []),
    ]);
    if (missing.length) {
      setProblem({ detail: '', errors: missing });
      return;
    }
    setBusy(true);
    try {
      const body = entries.map((e) => ({ ...e, labelZh: e.labelZh.trim(), labelEn: e.labelEn.trim() }));
      scheme.setData(await setColourScheme(county, body));
      setDraft(null);
      setProblem(null);
      counts.reload();
      message.success(t('party.scheme.saved'));
    } catch (e) {
      setProblem({ detail: errorText(e), errors: e instanceof ApiError ? e.errors : [] });
    } finally {
      setBusy(false);
    }
  };

  // Server field errors name the entry: entries.2.rule.years → the third row's age.
  const rowErrors = new Map<number, Set<string>>();
  const lines = (problem?.errors ?? []).map((fe) => {
    const m = /^entries\.(\d+)(?:\.(?:rule\.)?(\w+))?/.exec(fe.path);
    if (!m) return fe.message;
    if (m[2] === undefined) return fe.message;
    const row = Number(m[1]);
    const field = m[2];
    rowErrors.set(row, (rowErrors.get(row) ?? new Set()).add(field));
    const name = FIELDS.includes(field as (typeof FIELDS)[number])
      ? t(`party.scheme.fields.${field as (typeof FIELDS)[number]}`)
      : t('party.scheme.fields.rule');
    return t('party.scheme.errorLine', {
      entry: t('party.scheme.entry', { n: row + 1 }),
      field: name,
      message: fe.message,
    });
  });
  const bad = (i: number, field: string) => (rowErrors.get(i)?.has(field) ? 'error' : undefined);

  const columns: ColumnsType<ColourEntry> = [
    {
      title: t('party.scheme.order'),
      key: 'order',
      width: 64,
      render: (_: unknown, __, i) => i + 1,
    },
    {
      title: t('party.scheme.colour'),
      key: 'colour',
      width: editing ? 130 : 100,
      render: (_: unknown, e, i) =>
        editing ? (
          <Select<Colour>
            aria-label={`${t('party.scheme.entry', { n: i + 1 })} ${t('party.scheme.colour')}`}
            value={e.colour}
            status={bad(i, 'colour')}
            onChange={(colour) => edit(i, { colour })}
            style={{ width: '100%' }}
            options={COLOURS.map((c) => ({
              value: c,
              label: <Swatch colour={c} />,
              // Each colour once: those other entries use are not offered.
              disabled: entries.some((x, j) => j !== i && x.colour === c),
            }))}
          />
        ) : (
          <Swatch colour={e.colour} />
        ),
    },
    ...(editing
      ? [
          {
            title: t('party.scheme.labelZh'),
            key: 'labelZh',
            width: 150,
            render: (_: unknown, e: ColourEntry, i: number) => (
              <Input
                aria-label={`${t('party.scheme.entry', { n: i + 1 })} ${t('party.scheme.labelZh')}`}
                value={e.labelZh}
                maxLength={20}
                status={bad(i, 'labelZh')}
                onChange={(ev) => edit(i, { labelZh: ev.target.value })}
              />
            ),
          },
          {
            title: t('party.scheme.labelEn'),
            key: 'labelEn',
            width: 150,
            render: (_: unknown, e: ColourEntry, i: number) => (
              <Input
                aria-label={`${t('party.scheme.entry', { n: i + 1 })} ${t('party.scheme.labelEn')}`}
                value={e.labelEn}
                maxLength={40}
                status={bad(i, 'labelEn')}
                onChange={(ev) => edit(i, { labelEn: ev.target.value })}
              />
            ),
          },
        ]
      : [
          {
            title: t('party.scheme.labelZh').replace(/（.*）|\s*\(.*\)/, ''),
            key: 'label',
            width: 160,
            render: (_: unknown, e: ColourEntry) => (
              <Typography.Text strong>{zh ? e.labelZh : e.labelEn}</Typography.Text>
            ),
          },
        ]),
    {
      title: t('party.scheme.rule'),
      key: 'rule',
      render: (_: unknown, e, i) =>
        editing ? (
          <RuleEditor
            n={i + 1}
            rule={e.rule}
            status={(f) => bad(i, f)}
            onChange={(rule) => edit(i, { rule })}
          />
        ) : (
          <span data-testid={`rule-${i}`}>{ruleText(t, e.rule)}</span>
        ),
    },
    {
      title: t('party.scheme.count'),
      key: 'count',
      width: 100,
      render: (_: unknown, e) =>
        counts.data ? (
          <span data-testid={`count-${e.colour}`}>
            {t('party.scheme.countValue', { count: counts.data.byColour[e.colour] })}
          </span>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
  ];
  const editColumns: ColumnsType<ColourEntry> = [
    ...columns.slice(0, -1),
    ...(editing
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 120,
            render: (_: unknown, __: ColourEntry, i: number) => (
              <Space size={0}>
                <Button
                  type="text"
                  size="small"
                  icon={<ArrowUpOutlined />}
                  aria-label={`${t('party.scheme.up')} ${i + 1}`}
                  title={t('party.scheme.up')}
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                />
                <Button
                  type="text"
                  size="small"
                  icon={<ArrowDownOutlined />}
                  aria-label={`${t('party.scheme.down')} ${i + 1}`}
                  title={t('party.scheme.down')}
                  disabled={i === entries.length - 1}
                  onClick={() => move(i, 1)}
                />
                <Button
                  type="text"
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={`${t('party.scheme.remove')} ${i + 1}`}
                  title={t('party.scheme.remove')}
                  disabled={entries.length === 1}
                  onClick={() => change(entries.filter((_x, j) => j !== i))}
                />
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <div data-testid="colour-scheme">
      <Alert type="info" showIcon title={t('party.scheme.intro')} style={{ marginBottom: 12 }} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Tag color={saved.isDefault ? 'default' : 'processing'} data-testid="scheme-status">
          {saved.isDefault
            ? t('party.scheme.isDefault')
            : sameAsDefault
              ? t('party.scheme.sameAsDefault')
              : t('party.scheme.own')}
        </Tag>
        {!saved.can.edit && <Typography.Text type="secondary">{t('party.scheme.readOnly')}</Typography.Text>}
        {dirty && <Tag color="warning">{t('party.scheme.unsaved')}</Tag>}
      </Space>
      {problem && (
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="scheme-errors"
          style={{ marginBottom: 12 }}
          title={lines.length ? t('party.scheme.errorsTitle') : problem.detail}
          description={
            lines.length ? (
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {lines.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
      <Table<ColourEntry>
        rowKey={(e) => `${e.colour}`}
        size="middle"
        pagination={false}
        dataSource={entries}
        columns={editing ? editColumns : columns}
        data-testid="scheme-table"
      />
      {!entries.some((e) => e.rule.kind === 'otherwise') && (
        <Alert type="warning" showIcon title={t('party.scheme.noOtherwise')} style={{ marginTop: 12 }} />
      )}
      <Space style={{ marginTop: 12, width: '100%', justifyContent: 'space-between' }} wrap>
        {editing ? (
          <span />
        ) : (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('party.scheme.countsHelp')}{' '}
            <Button type="link" size="small" onClick={() => setParams({}, { replace: false })}>
              {t('party.scheme.viewMembers')}
            </Button>
          </Typography.Text>
        )}
        {!editing && saved.can.edit && (
          <Button type="primary" icon={<EditOutlined />} onClick={() => setDraft(copy(saved.entries))}>
            {t('party.scheme.edit')}
          </Button>
        )}
        {editing && (
          <Space wrap>
            <Button icon={<PlusOutlined />} disabled={entries.length >= MAX_ENTRIES} onClick={add}>
              {t('party.scheme.add')}
            </Button>
            <Popconfirm
              title={t('party.scheme.restoreAsk')}
              onConfirm={() => change(copy(DEFAULT_COLOUR_SCHEME))}
            >
              <Button>{t('party.scheme.restore')}</Button>
            </Popconfirm>
            <Button
              onClick={() => {
                setDraft(null);
                setProblem(null);
              }}
            >
              {t('party.scheme.undo')}
            </Button>
            <Button type="primary" loading={busy} disabled={!dirty} onClick={save}>
              {t('party.scheme.save')}
            </Button>
          </Space>
        )}
      </Space>
    </div>
  );
}

function RuleEditor({
  n,
  rule,
  status,
  onChange,
}: {
  n: number;
  rule: ColourRule;
  status: (field: string) => 'error' | undefined;
  onChange: (r: ColourRule) => void;
}) {
  const { t } = useTranslation();
  const entry = t('party.scheme.entry', { n });
  return (
    <Space wrap size={6}>
      <Select<ColourRule['kind']>
        aria-label={`${entry} ${t('party.scheme.rule')}`}
        value={rule.kind}
        onChange={(k) => onChange(defaultRule(k))}
        style={{ width: 140 }}
        options={RULE_KINDS.map((k) => ({ value: k, label: t(`party.scheme.rules.${k}`) }))}
      />
      {rule.kind === 'ledger' && (
        <Select<Ledger[]>
          mode="multiple"
          aria-label={`${entry} ${t('party.scheme.fields.ledgers')}`}
          value={rule.ledgers}
          status={status('ledgers')}
          onChange={(ledgers) => onChange({ kind: 'ledger', ledgers })}
          style={{ minWidth: 220 }}
          options={LEDGERS.map((l) => ({ value: l, label: t(`party.ledgers.${l}`) }))}
        />
      )}
      {rule.kind === 'ageAtLeast' && (
        <Space.Compact>
          <Space.Addon>{t('party.scheme.years')}</Space.Addon>
          <InputNumber<number>
            aria-label={`${entry} ${t('party.scheme.fields.years')}`}
            value={rule.years}
            min={50}
            max={120}
            precision={0}
            status={status('years')}
            onChange={(v) => onChange({ kind: 'ageAtLeast', years: v ?? 0 })}
            style={{ width: 80 }}
          />
          <Space.Addon>{t('party.scheme.yearsUnit')}</Space.Addon>
        </Space.Compact>
      )}
    </Space>
  );
}
