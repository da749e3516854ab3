import {
  Alert,
  App,
  Button,
  InputNumber,
  Select,
  Space,
  Spin,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_RULES, MAX_ENTRY_POINTS } from '../../../../contracts/points-states.ts';
import { ApiError, errorText, type FieldError } from '../../../api/client.ts';
import {
  countyRules,
  type RuleInput,
  type RulesView,
  type RuleView,
  setCountyRules,
} from '../../../api/points-rules.ts';
import { formatDateTime } from '../../../ui/format.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { CountyScoped } from '../party/CountyScoped.tsx';

/** 积分规则: a county's rate, unit, most per entry and self-declaration for each source. */
export function RulesTab() {
  const { t } = useTranslation();
  return (
    <CountyScoped label={t('pointsConsole.county')} testid="rules-county">
      {(county) => <RulesEditor key={county} county={county} />}
    </CountyScoped>
  );
}

const asInput = (r: RuleView | RuleInput): RuleInput => ({
  source: r.source,
  points: r.points,
  unit: r.unit,
  maxPerEntry: r.maxPerEntry,
  declarable: r.declarable,
});
const sameTable = (a: RuleInput[], b: RuleInput[]) =>
  JSON.stringify(a.map(asInput)) === JSON.stringify(b.map(asInput));

function RulesEditor({ county }: { county: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const loaded = useLoad(() => countyRules(county), [county]);
  const [draft, setDraft] = useState<RuleInput[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ detail: string; errors: FieldError[] } | null>(null);

  if (loaded.loading && !loaded.data) return <Spin />;
  if (loaded.error) return <Alert type="error" showIcon title={loaded.error} />;
  const view = loaded.data as RulesView;
  const saved = view.rules.map(asInput);
  const rules = draft ?? saved;
  const editable = view.can.edit;
  const dirty = draft !== null && !sameTable(draft, saved);
  const allDefault = sameTable(rules, DEFAULT_RULES.map(asInput));

  const edit = (i: number, patch: Partial<RuleInput>) => {
    setDraft(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
    setProblem(null);
  };
  const save = async () => {
    setBusy(true);
    try {
      loaded.setData(await setCountyRules(county, rules));
      setDraft(null);
      setProblem(null);
      message.success(t('pointsConsole.rulesSaved'));
    } catch (e) {
      setProblem({ detail: errorText(e), errors: e instanceof ApiError ? e.errors : [] });
    } finally {
      setBusy(false);
    }
  };
  const bad = new Map<number, Set<string>>();
  for (const fe of problem?.errors ?? []) {
    const m = /^rules\.(\d+)\.(\w+)/.exec(fe.path);
    if (m) bad.set(Number(m[1]), (bad.get(Number(m[1])) ?? new Set()).add(m[2] as string));
  }
  const status = (i: number, f: string) => (bad.get(i)?.has(f) ? 'error' : undefined);

  const columns: ColumnsType<RuleInput> = [
    {
      title: t('pointsConsole.source'),
      key: 'source',
      width: 150,
      render: (_: unknown, r) => <Typography.Text strong>{t(`points.sources.${r.source}`)}</Typography.Text>,
    },
    {
      title: t('pointsConsole.unit'),
      key: 'unit',
      width: 130,
      render: (_: unknown, r, i) =>
        editable ? (
          <Select
            aria-label={`${t(`points.sources.${r.source}`)} ${t('pointsConsole.unit')}`}
            value={r.unit}
            status={status(i, 'unit')}
            style={{ width: 110 }}
            onChange={(unit) => edit(i, { unit })}
            options={(['hour', 'entry'] as const).map((u) => ({
              value: u,
              label: t(`pointsConsole.units.${u}`),
            }))}
          />
        ) : (
          t(`pointsConsole.units.${r.unit}`)
        ),
    },
    {
      title: (
        <Tooltip title={t('pointsConsole.pointsHelp')}>
          <span>{t('pointsConsole.points')}</span>
        </Tooltip>
      ),
      key: 'points',
      width: 140,
      render: (_: unknown, r, i) =>
        editable ? (
          <InputNumber
            aria-label={`${t(`points.sources.${r.source}`)} ${t('pointsConsole.points')}`}
            min={0}
            max={MAX_ENTRY_POINTS}
            precision={0}
            value={r.points}
            status={status(i, 'points')}
            onChange={(v) => edit(i, { points: v ?? 0 })}
            style={{ width: 110 }}
          />
        ) : (
          t(`pointsConsole.perUnit.${r.unit}`, { points: r.points })
        ),
    },
    {
      title: (
        <Tooltip title={t('pointsConsole.maxHelp', { max: MAX_ENTRY_POINTS })}>
          <span>{t('pointsConsole.maxPerEntry')}</span>
        </Tooltip>
      ),
      key: 'max',
      width: 140,
      render: (_: unknown, r, i) =>
        editable ? (
          <InputNumber
            aria-label={`${t(`points.sources.${r.source}`)} ${t('pointsConsole.maxPerEntry')}`}
            min={1}
            max={MAX_ENTRY_POINTS}
            precision={0}
            value={r.maxPerEntry}
            status={status(i, 'maxPerEntry')}
            onChange={(v) => edit(i, { maxPerEntry: v ?? 1 })}
            style={{ width: 110 }}
          />
        ) : (
          t('pointsConsole.pointsValue', { points: r.maxPerEntry })
        ),
    },
    {
      title: t('pointsConsole.declarable'),
      key: 'declarable',
      width: 120,
      render: (_: unknown, r, i) =>
        editable ? (
          <Switch
            aria-label={`${t(`points.sources.${r.source}`)} ${t('pointsConsole.declarable')}`}
            checked={r.declarable}
            disabled={r.source === 'deduction'}
            onChange={(declarable) => edit(i, { declarable })}
          />
        ) : r.declarable ? (
          <Tag color="green">{t('common.yes')}</Tag>
        ) : (
          <Tag>{t('common.no')}</Tag>
        ),
    },
    {
      title: t('pointsConsole.setBy'),
      key: 'set',
      render: (_: unknown, r, i) => {
        const s = view.rules[i];
        if (!s || s.source !== r.source) return null;
        return s.isDefault ? (
          <Typography.Text type="secondary">{t('pointsConsole.default')}</Typography.Text>
        ) : (
          <span>
            <Tag color="blue">{t('pointsConsole.countyOwn')}</Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {s.updatedBy} {s.updatedAt ? formatDateTime(s.updatedAt) : ''}
            </Typography.Text>
          </span>
        );
      },
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('pointsConsole.rulesIntro', { county: view.countyName })}
      </Typography.Paragraph>
      {problem && (
        <Alert
          type="error"
          showIcon
          title={problem.detail}
          description={
            problem.errors.length ? problem.errors.map((e) => <div key={e.path}>{e.message}</div>) : undefined
          }
        />
      )}
      <Table<RuleInput>
        rowKey="source"
        size="middle"
        pagination={false}
        dataSource={rules}
        columns={columns}
        data-testid="rules-table"
        scroll={{ x: 820 }}
      />
      {editable ? (
        <Space wrap>
          <Button type="primary" loading={busy} disabled={!dirty} onClick={save} data-testid="rules-save">
            {t('common.save')}
          </Button>
          <Button
            disabled={!dirty}
            onClick={() => {
              setDraft(null);
              setProblem(null);
            }}
          >
            {t('pointsConsole.undo')}
          </Button>
          <Button
            disabled={allDefault}
            onClick={() => {
              setDraft(DEFAULT_RULES.map(asInput));
              setProblem(null);
            }}
          >
            {t('pointsConsole.useDefaults')}
          </Button>
        </Space>
      ) : (
        <Alert type="info" showIcon title={t('pointsConsole.readOnly')} />
      )}
    </Space>
  );
}
