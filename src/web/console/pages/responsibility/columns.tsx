import { DeleteOutlined, DownOutlined, EditOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Flex, Popconfirm, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { type LimitKind, type LimitLang, limitPhrase } from '../../../ui/limits.ts';
import type { ChangeField, DocCategory, DocItem, HandlerLevel, Problem } from './doc.ts';
import { fieldLabel, Handler } from './parts.tsx';

/**
 * The list's table: a row per category (a header that folds its items away, with the draft's
 * category actions) followed by its items, and the item columns: code, name and description,
 * handler, urgent, the four limits in words, keywords, and in a draft the edit and remove
 * buttons. Draft changes and the last check's problems are marked on the rows.
 */

/** A problem of the last check, tied to the item or category it names by code (indexes move). */
export type RowProblem = Problem & { itemCode?: string; categoryCode?: string };

export type Level = 'all' | HandlerLevel;

export type Row =
  | {
      kind: 'category';
      key: string;
      category: DocCategory;
      index: number | null;
      shown: number;
      total: number;
      collapsed: boolean;
    }
  | { kind: 'item'; key: string; item: DocItem; index: number; matched: string[] };

/** `text` with what matches `q` marked. */
function highlight(text: string, q: string): ReactNode {
  const needle = q.trim().toLowerCase();
  if (!needle) return text;
  const at = text.toLowerCase().indexOf(needle);
  if (at < 0) return text;
  return (
    <>
      {text.slice(0, at)}
      <mark className="gz-resp-hit">{text.slice(at, at + needle.length)}</mark>
      {text.slice(at + needle.length)}
    </>
  );
}

/** Room for the keyword tags on one line of their column (216 px less the "+N" tag). */
const TAG_ROOM = 150;
/** The keywords that fit on one line (the matched ones always shown), by a rough width estimate. */
function fitTags(words: readonly string[], keep: number): string[] {
  const out: string[] = [];
  let used = 0;
  for (const w of words) {
    // 12 px a Chinese character, 7 a Latin one, 24 for the tag's padding, border and gap.
    const width = [...w].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 12 : 7), 0) + 24;
    if (out.length >= keep && out.length > 0 && used + width > TAG_ROOM) break;
    out.push(w);
    used += width;
  }
  return out;
}

export function listColumns(o: {
  t: TFunction;
  lang: LimitLang;
  q: string;
  drafting: boolean;
  typeNames: ReadonlyMap<string, string>;
  itemProblems: ReadonlyMap<string, RowProblem[]>;
  categoryProblems: ReadonlyMap<string, RowProblem[]>;
  changedFieldsOf: ReadonlyMap<string, ChangeField[]>;
  addedCodes: ReadonlySet<string>;
  addedCategories: ReadonlySet<string>;
  renamedCategories: ReadonlySet<string>;
  toggle: (code: string) => void;
  onEdit: (index: number, item: DocItem) => void;
  onRemove: (index: number) => void;
  onAddItem: (categoryCode: string) => void;
  onRenameCategory: (index: number) => void;
  onRemoveCategory: (index: number) => void;
}): ColumnsType<Row> {
  const { t, lang, q, drafting } = o;
  const hidden = (r: Row) => (r.kind === 'category' ? { colSpan: 0 } : {});
  const changed = (r: Row, f: ChangeField) =>
    r.kind === 'item' && !!o.changedFieldsOf.get(r.item.code)?.includes(f);
  const count = drafting ? 7 : 6;

  const categoryRow = (r: Extract<Row, { kind: 'category' }>) => {
    const problems = o.categoryProblems.get(r.category.code) ?? [];
    return (
      <Flex align="center" gap={12} wrap>
        <button
          type="button"
          className="gz-resp-cat-toggle"
          aria-expanded={!r.collapsed}
          onClick={() => o.toggle(r.category.code)}
        >
          {r.collapsed ? (
            <RightOutlined style={{ fontSize: 11 }} />
          ) : (
            <DownOutlined style={{ fontSize: 11 }} />
          )}
          <Typography.Text strong>
            <span className="gz-mono">{r.category.code}</span> {r.category.name}
          </Typography.Text>
          <Typography.Text type="secondary">
            {r.shown === r.total
              ? t('responsibility.itemCount', { count: r.total })
              : t('responsibility.itemCountOf', { shown: r.shown, total: r.total })}
          </Typography.Text>
        </button>
        {o.addedCategories.has(r.category.code) && <Tag color="green">{t('responsibility.newTag')}</Tag>}
        {o.renamedCategories.has(r.category.code) && (
          <Tag color="orange">{t('responsibility.renamedTag')}</Tag>
        )}
        {problems.length > 0 && (
          <Tooltip title={problems.map((p) => p.message).join('\n')}>
            <Tag color="red">{t('responsibility.problemTag', { count: problems.length })}</Tag>
          </Tooltip>
        )}
        {drafting && (
          <Space size={0}>
            <Button
              type="link"
              size="small"
              icon={<PlusOutlined />}
              onClick={() => o.onAddItem(r.category.code)}
            >
              {t('responsibility.addItemHere')}
            </Button>
            {r.index !== null && (
              <Button type="link" size="small" onClick={() => o.onRenameCategory(r.index as number)}>
                {t('responsibility.renameCategory')}
              </Button>
            )}
            {r.index !== null && r.total === 0 && (
              <Button type="link" size="small" danger onClick={() => o.onRemoveCategory(r.index as number)}>
                {t('responsibility.removeCategory')}
              </Button>
            )}
          </Space>
        )}
      </Flex>
    );
  };

  const limitLine = (item: DocItem, r: Row, kinds: LimitKind[]) =>
    kinds.map((k, i) => (
      <span key={k}>
        {i > 0 && <span style={{ color: 'rgba(0,0,0,0.25)' }}> · </span>}
        <span
          className={`gz-resp-limit${
            changed(r, `limits.${k}`) ? ' gz-resp-diff-mark' : k === 'resolve' ? ' gz-resp-resolve' : ''
          }`}
        >
          {limitPhrase(k, item.limits[k], lang)}
        </span>
      </span>
    ));

  const columns: ColumnsType<Row> = [
    {
      title: t('responsibility.field.code'),
      key: 'code',
      width: 84,
      onCell: (r) => (r.kind === 'category' ? { colSpan: count } : {}),
      render: (_: unknown, r) =>
        r.kind === 'category' ? categoryRow(r) : <span className="gz-mono">{highlight(r.item.code, q)}</span>,
    },
    {
      title: t('responsibility.field.name'),
      key: 'name',
      onCell: hidden,
      render: (_: unknown, r) => {
        if (r.kind !== 'item') return null;
        const it = r.item;
        const problems = o.itemProblems.get(it.code) ?? [];
        const fields = o.changedFieldsOf.get(it.code);
        return (
          <div>
            <Space size={6} wrap>
              <Typography.Text strong className={changed(r, 'name') ? 'gz-resp-cell-changed' : undefined}>
                {highlight(it.name, q)}
              </Typography.Text>
              {o.addedCodes.has(it.code) && <Tag color="green">{t('responsibility.newTag')}</Tag>}
              {fields && (
                <Tooltip title={fields.map((f) => fieldLabel(t, f)).join('、')}>
                  <Tag color="orange">{t('responsibility.changedTag')}</Tag>
                </Tooltip>
              )}
              {problems.length > 0 && (
                <Tooltip title={problems.map((p) => p.message).join('\n')}>
                  <Tag color="red" data-testid="responsibility-row-problem">
                    {t('responsibility.problemTag', { count: problems.length })}
                  </Tag>
                </Tooltip>
              )}
            </Space>
            {it.description && (
              <Typography.Text
                type="secondary"
                className="gz-resp-desc"
                ellipsis={{ tooltip: it.description }}
              >
                {highlight(it.description, q)}
              </Typography.Text>
            )}
            {problems.length > 0 && (
              <Typography.Text type="danger" style={{ display: 'block', fontSize: 12 }}>
                {problems[0]?.message}
              </Typography.Text>
            )}
          </div>
        );
      },
    },
    {
      title: t('responsibility.field.handlerLevel'),
      key: 'handler',
      width: 200,
      onCell: hidden,
      render: (_: unknown, r) =>
        r.kind === 'item' && (
          <span
            className={
              changed(r, 'handlerLevel') || changed(r, 'departmentType') ? 'gz-resp-cell-changed' : undefined
            }
          >
            <Handler item={r.item} typeNames={o.typeNames} />
          </span>
        ),
    },
    {
      title: t('responsibility.field.urgent'),
      key: 'urgent',
      width: 72,
      align: 'center',
      onCell: hidden,
      render: (_: unknown, r) =>
        r.kind === 'item' &&
        (r.item.urgent ? (
          <Tag color="red" style={{ marginInlineEnd: 0 }}>
            {t('responsibility.urgent')}
          </Tag>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        )),
    },
    {
      title: t('responsibility.limits'),
      key: 'limits',
      width: 262,
      onCell: hidden,
      render: (_: unknown, r) =>
        r.kind === 'item' && (
          <div className="gz-resp-limits">
            <div>{limitLine(r.item, r, ['accept', 'checkIn'])}</div>
            <div>{limitLine(r.item, r, ['resolve', 'extension'])}</div>
          </div>
        ),
    },
    {
      title: t('responsibility.field.keywords'),
      key: 'keywords',
      width: 216,
      onCell: hidden,
      render: (_: unknown, r) => {
        if (r.kind !== 'item') return null;
        const { matched } = r;
        const rest = r.item.keywords.filter((k) => !matched.includes(k));
        const first = fitTags([...matched, ...rest], matched.length);
        const more = r.item.keywords.length - first.length;
        return (
          <div className={`gz-resp-kw${changed(r, 'keywords') ? ' gz-resp-cell-changed' : ''}`}>
            {first.map((k) => (
              <Tag key={k} color={matched.includes(k) ? 'gold' : undefined}>
                {k}
              </Tag>
            ))}
            {more > 0 && (
              <Tooltip title={r.item.keywords.join('、')}>
                <Tag style={{ cursor: 'default', borderStyle: 'dashed' }}>+{more}</Tag>
              </Tooltip>
            )}
            {r.item.keywords.length === 0 && <Typography.Text type="secondary">—</Typography.Text>}
          </div>
        );
      },
    },
  ];
  if (drafting)
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 84,
      align: 'center',
      onCell: hidden,
      render: (_: unknown, r) =>
        r.kind === 'item' && (
          <Space size={2}>
            <Tooltip title={t('common.edit')}>
              <Button
                type="text"
                size="small"
                icon={<EditOutlined />}
                onClick={() => o.onEdit(r.index, r.item)}
                aria-label={t('responsibility.editItem', { name: r.item.name })}
              />
            </Tooltip>
            <Popconfirm
              title={t('responsibility.removeConfirm', { name: r.item.name })}
              description={<div style={{ maxWidth: 320 }}>{t('responsibility.removeHint')}</div>}
              okText={t('common.delete')}
              okButtonProps={{ danger: true }}
              cancelText={t('common.cancel')}
              onConfirm={() => o.onRemove(r.index)}
            >
              <Tooltip title={t('common.delete')}>
                <Button
                  type="text"
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t('responsibility.removeItem', { name: r.item.name })}
                />
              </Tooltip>
            </Popconfirm>
          </Space>
        ),
    });
  return columns;
}
