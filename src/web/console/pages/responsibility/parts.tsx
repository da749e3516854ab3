import { InputNumber, Select, Space, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResponsibilityListDoc } from '../../../api/index.ts';
import {
  CLOCK_UNITS,
  formatLimit,
  type LimitKind,
  type LimitLang,
  type LimitUnit,
  MAX_AMOUNT,
  parseLimit,
  unitLabel,
  WORKING_UNITS,
} from '../../../ui/limits.ts';
import type { ChangeField, Doc, DocItem, HandlerLevel, Problem } from './doc.ts';

/** Small pieces shared by the page, the item drawer and the publish dialog. */

export const LEVEL_COLOR: Record<HandlerLevel, string> = {
  community: 'green',
  township: 'blue',
  department: 'purple',
};

export const levelLabel = (t: TFunction, l: HandlerLevel) => t(`responsibility.level.${l}`);

/** The document as the API sends it, with the defaults filled in. */
export function fromApi(d: ResponsibilityListDoc): Doc {
  return {
    version: d.version,
    ...(d.note ? { note: d.note } : {}),
    categories: d.categories.map((c) => ({ code: c.code, name: c.name })),
    items: d.items.map((i) => ({
      code: i.code,
      categoryCode: i.categoryCode,
      name: i.name,
      description: i.description ?? '',
      handlerLevel: i.handlerLevel,
      departmentType: i.departmentType ?? null,
      urgent: i.urgent ?? false,
      limits: {
        accept: i.limits.accept,
        checkIn: i.limits.checkIn,
        resolve: i.limits.resolve,
        extension: i.limits.extension ?? null,
      },
      keywords: [...(i.keywords ?? [])],
    })),
  };
}

/** 社区 / 街道 / 部门 · 环境卫生服务中心 */
export function Handler({
  item,
  typeNames,
}: {
  item: Pick<DocItem, 'handlerLevel' | 'departmentType'>;
  typeNames: ReadonlyMap<string, string>;
}) {
  const { t } = useTranslation();
  const type = item.departmentType;
  return (
    <span className="gz-resp-handler">
      <Tag color={LEVEL_COLOR[item.handlerLevel]} style={{ marginInlineEnd: 6 }}>
        {levelLabel(t, item.handlerLevel)}
      </Tag>
      {item.handlerLevel === 'department' &&
        (type && typeNames.has(type) ? (
          <span>{typeNames.get(type)}</span>
        ) : (
          <Typography.Text type="warning" title={t('responsibility.unknownType')}>
            {type || t('responsibility.noType')}
          </Typography.Text>
        ))}
    </span>
  );
}

/** Field names for the change list and the problems: '办结时限', '关键词'. */
export function fieldLabel(t: TFunction, f: ChangeField | string): string {
  if (f.startsWith('limits.')) return t(`responsibility.limit.${f.slice(7) as LimitKind}`);
  return t(`responsibility.field.${f as 'name'}`);
}

/** A field's value in words, for "before → after". */
export function fieldValue(
  t: TFunction,
  lang: LimitLang,
  f: ChangeField,
  item: DocItem,
  doc: Doc | undefined,
  typeNames: ReadonlyMap<string, string>,
): string {
  switch (f) {
    case 'categoryCode': {
      const c = doc?.categories.find((x) => x.code === item.categoryCode);
      return c ? `${c.code} ${c.name}` : item.categoryCode;
    }
    case 'name':
      return item.name;
    case 'description':
      return item.description || t('common.none');
    case 'handlerLevel':
      return levelLabel(t, item.handlerLevel);
    case 'departmentType':
      return item.departmentType
        ? (typeNames.get(item.departmentType) ?? item.departmentType)
        : t('common.none');
    case 'urgent':
      return item.urgent ? t('common.yes') : t('common.no');
    case 'keywords':
      return item.keywords.join('、') || t('common.none');
    default: {
      const k = f.slice(7) as LimitKind;
      const v = item.limits[k];
      if (!v) return k === 'extension' ? t('responsibility.notExtendable') : '—';
      return formatLimit(v, lang);
    }
  }
}

/** How one field changed, in words: '办结时限 7 天 → 3 天', '关键词 新增「爆管」'. */
export function changeText(
  t: TFunction,
  lang: LimitLang,
  f: ChangeField,
  before: DocItem,
  after: DocItem,
  docs: { before?: Doc; after?: Doc },
  typeNames: ReadonlyMap<string, string>,
): string {
  const label = fieldLabel(t, f);
  if (f === 'description') return t('responsibility.diff.descriptionChanged');
  if (f === 'keywords') {
    const added = after.keywords.filter((k) => !before.keywords.includes(k));
    const removed = before.keywords.filter((k) => !after.keywords.includes(k));
    const parts = [
      added.length
        ? t('responsibility.diff.keywordsAdded', { words: added.map((k) => `「${k}」`).join('') })
        : '',
      removed.length
        ? t('responsibility.diff.keywordsRemoved', { words: removed.map((k) => `「${k}」`).join('') })
        : '',
    ].filter(Boolean);
    return `${label} ${parts.join(t('responsibility.diff.sep')) || t('responsibility.diff.reordered')}`;
  }
  return t('responsibility.diff.fromTo', {
    field: label,
    from: fieldValue(t, lang, f, before, docs.before, typeNames),
    to: fieldValue(t, lang, f, after, docs.after, typeNames),
  });
}

/** Problems as a list, each saying where it is. */
export function ProblemList({
  problems,
  max = 50,
  onPick,
}: {
  problems: readonly Problem[];
  max?: number;
  /** Makes each entry a link (to open the item it names). */
  onPick?: (p: Problem) => void;
}) {
  const { t } = useTranslation();
  const shown = problems.slice(0, max);
  return (
    <ul className="gz-resp-problems" data-testid="responsibility-problems">
      {shown.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the same message may repeat for different paths
        <li key={`${p.path}-${i}`}>
          {onPick ? <Typography.Link onClick={() => onPick(p)}>{p.message}</Typography.Link> : p.message}
        </li>
      ))}
      {problems.length > max && <li>{t('responsibility.moreProblems', { count: problems.length - max })}</li>}
    </ul>
  );
}

/**
 * A limit as a number and a unit (工作小时, 工作日, 天 …) rather than the compact syntax; the
 * form's value is the compact code ('2wh'), '' while the number is empty.
 */
export function LimitInput({
  id,
  value,
  onChange,
  kind,
  disabled,
}: {
  id?: string;
  value?: string | null;
  onChange?: (v: string) => void;
  kind: LimitKind;
  disabled?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const lang: LimitLang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const parsed = parseLimit(value);
  const [unit, setUnit] = useState<LimitUnit>(parsed?.unit ?? 'wd');
  useEffect(() => {
    if (parsed?.unit) setUnit(parsed.unit);
  }, [parsed?.unit]);
  const label = t(`responsibility.limit.${kind}`);
  return (
    <Space.Compact style={{ width: '100%' }}>
      <InputNumber<number>
        id={id}
        aria-label={t('responsibility.limitAmount', { limit: label })}
        min={1}
        max={MAX_AMOUNT}
        precision={0}
        disabled={disabled}
        value={parsed?.amount ?? null}
        onChange={(n) => onChange?.(n ? `${n}${unit}` : '')}
        style={{ width: '45%' }}
      />
      <Select<LimitUnit>
        aria-label={t('responsibility.limitUnit', { limit: label })}
        value={unit}
        disabled={disabled}
        popupMatchSelectWidth={false}
        onChange={(u) => {
          setUnit(u);
          if (parsed) onChange?.(`${parsed.amount}${u}`);
        }}
        style={{ width: '55%' }}
        options={[
          {
            label: t('responsibility.workingUnits'),
            options: WORKING_UNITS.map((u) => ({ value: u, label: unitLabel(u, lang) })),
          },
          {
            label: t('responsibility.clockUnits'),
            options: CLOCK_UNITS.map((u) => ({ value: u, label: unitLabel(u, lang) })),
          },
        ]}
      />
    </Space.Compact>
  );
}

/** Saves a document as a .json file. */
export function downloadJson(fileName: string, data: unknown) {
  const blob = new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
