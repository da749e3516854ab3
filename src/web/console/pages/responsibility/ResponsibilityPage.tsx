import {
  DownloadOutlined,
  EditOutlined,
  HistoryOutlined,
  InfoCircleOutlined,
  PlusOutlined,
  SearchOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Segmented,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { type HTMLAttributes, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../api/client.ts';
import {
  departmentTypes,
  exportResponsibilityList,
  type ResponsibilityListSummary,
  responsibilityLists,
} from '../../../api/index.ts';
import { formatDateTime, formatShort } from '../../../ui/format.ts';
import type { LimitLang } from '../../../ui/limits.ts';
import { useMe } from '../../../ui/session.tsx';
import { useLoad } from '../../../ui/useLoad.ts';
import { FormModal } from '../../forms.tsx';
import { canPublishResponsibility } from '../../Shell.tsx';
import { type Level, listColumns, type Row, type RowProblem } from './columns.tsx';
import {
  checkDoc,
  clearDraft,
  type Doc,
  type DocCategory,
  type DocDiff,
  type DocItem,
  type Draft,
  diffDocs,
  diffSize,
  HANDLER_LEVELS,
  loadDraft,
  MAX,
  matchItem,
  nextCategoryCode,
  type Problem,
  parseDoc,
  problemTarget,
  saveDraft,
  suggestVersion,
} from './doc.ts';
import { HistoryDrawer } from './HistoryDrawer.tsx';
import { ItemDrawer, type ItemEditing } from './ItemDrawer.tsx';
import { PublishModal } from './PublishModal.tsx';
import { downloadJson, fromApi, levelLabel, ProblemList } from './parts.tsx';

/**
 * 属地管理事项责任清单: the current list for every staff member (grouped by category, searchable,
 * limits in words), its published versions, and for city administrators a draft of the next
 * version (kept in this browser per user) that is checked by the server's dry run, shown as a
 * diff in words and published. Published versions never change, so they are fetched once.
 */

const versionDocs = new Map<string, Promise<Doc>>();
function loadVersion(version: string): Promise<Doc> {
  let p = versionDocs.get(version);
  if (!p) {
    p = exportResponsibilityList(version).then(fromApi);
    versionDocs.set(version, p);
    p.catch(() => versionDocs.delete(version));
  }
  return p;
}

const CSS = `
.gz-resp-table .ant-table-tbody > tr.gz-resp-cat > td { background: #f5f7fa; padding-top: 8px; padding-bottom: 8px; }
.gz-resp-table .ant-table-tbody > tr.gz-resp-cat:hover > td { background: #eef2f7; }
.gz-resp-table .ant-table-tbody > tr.gz-resp-added > td:first-child { box-shadow: inset 3px 0 #52c41a; }
.gz-resp-table .ant-table-tbody > tr.gz-resp-changed > td:first-child { box-shadow: inset 3px 0 #fa8c16; }
.gz-resp-table .ant-table-tbody > tr.gz-resp-error > td { background: #fff2f0; }
.gz-resp-table .ant-table-tbody > tr.gz-resp-error > td:first-child { box-shadow: inset 3px 0 #ff4d4f; }
.gz-resp-cat-toggle { all: unset; cursor: pointer; display: inline-flex; align-items: center; gap: 8px; }
.gz-resp-cat-toggle:focus-visible { outline: 2px solid #1677ff; outline-offset: 2px; border-radius: 4px; }
.gz-resp-desc { display: block; font-size: 12px; }
.gz-resp-limits { font-size: 13px; line-height: 20px; }
.gz-resp-limits .gz-resp-limit { display: inline-block; white-space: nowrap; }
.gz-resp-limits .gz-resp-resolve { font-weight: 600; }
.gz-resp-limits .gz-resp-diff-mark { color: #d46b08; font-weight: 600; }
.gz-resp-cell-changed { color: #d46b08; }
.gz-resp-kw .ant-tag { margin-inline-end: 4px; margin-bottom: 2px; }
.gz-resp-handler .ant-tag { vertical-align: top; }
.gz-resp-problems { margin: 4px 0 4px; padding-inline-start: 20px; }
.gz-resp-problems li { margin: 2px 0; }
.gz-resp-diff { margin: 6px 0 0; padding-inline-start: 20px; }
.gz-resp-diff li { margin: 2px 0; }
.gz-resp-diff ul { margin: 2px 0 4px; padding-inline-start: 18px; color: rgba(0,0,0,0.65); }
.gz-resp-draft { border-color: #91caff; background: #f5faff; }
mark.gz-resp-hit { background: #ffe58f; padding: 0; }
`;

const nowIso = () => new Date().toISOString();

export default function ResponsibilityPage() {
  const { t, i18n } = useTranslation();
  const lang: LimitLang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const me = useMe();
  const canEdit = canPublishResponsibility(me);
  const { message, modal } = App.useApp();

  const lists = useLoad(responsibilityLists, []);
  const all = lists.data ?? [];
  const current = all.find((l) => l.current);
  const types = useLoad(departmentTypes, []);
  const typeNames = useMemo(() => new Map((types.data ?? []).map((d) => [d.type, d.name])), [types.data]);

  const [draft, setDraft] = useState<Draft | null>(() => (canEdit ? loadDraft(me.id, t) : null));
  const [viewing, setViewing] = useState<string | null>(null);
  const [problems, setProblems] = useState<RowProblem[]>([]);
  const [editing, setEditing] = useState<ItemEditing | null>(null);
  const [categoryForm, setCategoryForm] = useState<{ index: number | null } | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [storageFailed, setStorageFailed] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const drafting = draft !== null && viewing === null;
  const shownVersion = drafting ? null : (viewing ?? current?.version ?? null);
  const shown = useLoad(
    () => (shownVersion ? loadVersion(shownVersion) : Promise.resolve(undefined)),
    [shownVersion],
  );
  const base = useLoad(() => (draft ? loadVersion(draft.base) : Promise.resolve(undefined)), [draft?.base]);
  const currentDoc = useLoad(
    () => (current ? loadVersion(current.version) : Promise.resolve(undefined)),
    [current?.version],
  );
  const doc: Doc | undefined = drafting
    ? draft.doc
    : shown.data?.version === shownVersion
      ? shown.data
      : undefined;
  const shownSummary = all.find((l) => l.version === shownVersion);

  // The draft lives in this browser, per user, until it is published or given up.
  useEffect(() => {
    if (!canEdit) return;
    if (draft) setStorageFailed(!saveDraft(me.id, draft));
    else clearDraft(me.id);
  }, [draft, canEdit, me.id]);

  const diff: DocDiff | null = useMemo(
    () => (draft && base.data && base.data.version === draft.base ? diffDocs(base.data, draft.doc) : null),
    [draft, base.data],
  );

  const updateDoc = useCallback((fn: (d: Doc) => Doc) => {
    setDraft((d) => d && { ...d, doc: fn(d.doc), savedAt: nowIso() });
  }, []);

  /** Codes already published in the draft's base: tickets refer to them, so they stay as they are. */
  const baseCodes = useMemo(() => new Set((base.data?.items ?? []).map((i) => i.code)), [base.data]);

  const typeOptions = useMemo(() => {
    const codes = new Set<string>(typeNames.keys());
    for (const d of [draft?.doc, currentDoc.data])
      for (const it of d?.items ?? []) if (it.departmentType) codes.add(it.departmentType);
    return [...codes]
      .map((c) => ({ value: c, label: typeNames.get(c) ?? c }))
      .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'));
  }, [typeNames, draft?.doc, currentDoc.data]);

  // --- problems of the last check ----------------------------------------------------------

  const attachProblems = (list: readonly Problem[], sent: Doc) =>
    setProblems(
      list.map((p) => {
        const at = problemTarget(p.path);
        if (at.kind === 'item') return { ...p, itemCode: sent.items[at.index]?.code };
        if (at.kind === 'category') return { ...p, categoryCode: sent.categories[at.index]?.code };
        return p;
      }),
    );
  const itemProblems = useMemo(() => {
    const m = new Map<string, RowProblem[]>();
    for (const p of problems) if (p.itemCode) m.set(p.itemCode, [...(m.get(p.itemCode) ?? []), p]);
    return m;
  }, [problems]);
  const categoryProblems = useMemo(() => {
    const m = new Map<string, RowProblem[]>();
    for (const p of problems)
      if (p.categoryCode) m.set(p.categoryCode, [...(m.get(p.categoryCode) ?? []), p]);
    return m;
  }, [problems]);
  const dropProblems = (pred: (p: RowProblem) => boolean) => setProblems((ps) => ps.filter((p) => !pred(p)));

  const openItem = (code: string | undefined, index?: number) => {
    if (!draft) return;
    const i = code !== undefined ? draft.doc.items.findIndex((x) => x.code === code) : (index ?? -1);
    const item = draft.doc.items[i];
    if (item) {
      setViewing(null);
      setEditing({ index: i, item });
    }
  };
  const pickProblem = (p: RowProblem) => {
    if (!draft) return;
    const at = problemTarget(p.path);
    if (p.itemCode !== undefined) openItem(p.itemCode);
    else if (at.kind === 'item') openItem(undefined, at.index);
    else if (at.kind === 'category') setCategoryForm({ index: at.index });
  };

  // --- the draft ---------------------------------------------------------------------------

  const startDraft = async (from?: Doc) => {
    if (!current) return;
    try {
      const d = from ?? (await loadVersion(current.version));
      const copy: Doc = structuredClone(d);
      if (!from) {
        copy.version = '';
        delete copy.note;
      } else if (all.some((l) => l.version === copy.version)) copy.version = '';
      setDraft({ base: current.version, doc: copy, savedAt: nowIso() });
      setViewing(null);
      setProblems([]);
      if (!from) message.success(t('responsibility.draftStarted', { version: current.version }));
      return copy;
    } catch (e) {
      message.error(errorText(e));
      return undefined;
    }
  };

  const discard = () =>
    modal.confirm({
      title: t('responsibility.discardConfirm'),
      content: t('responsibility.discardHint'),
      okText: t('responsibility.discard'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () => {
        setDraft(null);
        setProblems([]);
        message.success(t('responsibility.discarded'));
      },
    });

  const saveItem = (item: DocItem, index: number | null) => {
    const old = index === null ? undefined : draft?.doc.items[index];
    updateDoc((d) => {
      const items = [...d.items];
      if (index !== null) items[index] = item;
      else {
        // After the last item of its category, so the document stays in list order.
        let at = -1;
        items.forEach((x, i) => {
          if (x.categoryCode === item.categoryCode) at = i;
        });
        items.splice(at < 0 ? items.length : at + 1, 0, item);
      }
      return { ...d, items };
    });
    dropProblems((p) => p.itemCode === item.code || (old !== undefined && p.itemCode === old.code));
    dropProblems((p) => p.categoryCode === item.categoryCode && p.path.endsWith('.code'));
    setEditing(null);
    message.success(
      index === null
        ? t('responsibility.itemAdded', { name: item.name })
        : t('responsibility.itemSaved', { name: item.name }),
    );
  };

  const removeItem = (index: number) => {
    const item = draft?.doc.items[index];
    if (!item) return;
    updateDoc((d) => ({ ...d, items: d.items.filter((_, i) => i !== index) }));
    dropProblems((p) => p.itemCode === item.code);
    message.success(t('responsibility.itemRemoved', { name: item.name }));
  };

  const restoreItem = (item: DocItem) => {
    updateDoc((d) => {
      const categories = d.categories.some((c) => c.code === item.categoryCode)
        ? d.categories
        : [
            ...d.categories,
            base.data?.categories.find((c) => c.code === item.categoryCode) ?? {
              code: item.categoryCode,
              name: item.categoryCode,
            },
          ];
      const items = [...d.items];
      let at = -1;
      items.forEach((x, i) => {
        if (x.categoryCode === item.categoryCode && x.code < item.code) at = i;
      });
      if (at < 0) at = items.findIndex((x) => x.categoryCode === item.categoryCode) - 1;
      items.splice(at < -1 ? items.length : at + 1, 0, structuredClone(item));
      return { ...d, categories, items };
    });
  };

  const saveCategory = (c: DocCategory, index: number | null) => {
    updateDoc((d) => {
      const categories = [...d.categories];
      if (index === null) categories.push(c);
      else categories[index] = { ...categories[index], name: c.name } as DocCategory;
      return { ...d, categories };
    });
    const code = index === null ? c.code : draft?.doc.categories[index]?.code;
    dropProblems((p) => p.categoryCode === code && !p.path.endsWith('.code'));
    setCategoryForm(null);
    message.success(
      index === null
        ? t('responsibility.categoryAdded', { name: c.name })
        : t('responsibility.categoryRenamed', { name: c.name }),
    );
  };

  const removeCategory = (index: number) => {
    const c = draft?.doc.categories[index];
    updateDoc((d) => ({ ...d, categories: d.categories.filter((_, i) => i !== index) }));
    if (c) dropProblems((p) => p.categoryCode === c.code);
  };

  // --- files -------------------------------------------------------------------------------

  const exportVersion = async (version: string) => {
    try {
      downloadJson(t('responsibility.fileName', { version }), await loadVersion(version));
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const exportShown = () => {
    if (drafting) downloadJson(t('responsibility.draftFileName'), draft.doc);
    else if (shownVersion) void exportVersion(shownVersion);
  };

  const importFile = async (file: File) => {
    const title = t('responsibility.importFailed', { name: file.name });
    let raw: unknown;
    try {
      raw = JSON.parse(await file.text());
    } catch (e) {
      modal.error({
        title,
        okText: t('common.ok'),
        content: t('responsibility.check.notJson', { reason: (e as Error).message }),
      });
      return;
    }
    const { doc: imported, problems: found } = parseDoc(raw, t);
    if (!imported) {
      modal.error({
        title,
        okText: t('common.ok'),
        width: 640,
        content: (
          <>
            <Typography.Paragraph>
              {t('responsibility.importProblems', { count: found.length })}
            </Typography.Paragraph>
            <ProblemList problems={found} max={30} />
          </>
        ),
      });
      return;
    }
    const load = async () => {
      const copy = await startDraft(imported);
      if (!copy) return;
      const later = checkDoc(copy, t);
      attachProblems(later, copy);
      if (later.length) message.warning(t('responsibility.importedWithProblems', { count: later.length }));
      else
        message.success(
          t('responsibility.imported', {
            name: file.name,
            categories: copy.categories.length,
            items: copy.items.length,
          }),
        );
    };
    if (draft)
      modal.confirm({
        title: t('responsibility.importReplace'),
        content: t('responsibility.importReplaceHint'),
        okText: t('responsibility.importReplaceOk'),
        cancelText: t('common.cancel'),
        onOk: load,
      });
    else await load();
  };

  // --- the list ----------------------------------------------------------------------------

  const [q, setQ] = useState('');
  const [cat, setCat] = useState('all');
  const [level, setLevel] = useState<Level>('all');
  const [onlyChanged, setOnlyChanged] = useState(false);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  // A new search shows every group that has a match.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on each new search
  useEffect(() => setCollapsed(new Set()), [q]);

  const changedFieldsOf = useMemo(
    () => new Map((drafting ? (diff?.changed ?? []) : []).map((c) => [c.after.code, c.fields])),
    [diff, drafting],
  );
  const addedCodes = useMemo(
    () => new Set((drafting ? (diff?.added ?? []) : []).map((i) => i.code)),
    [diff, drafting],
  );
  const addedCategories = new Set((drafting ? (diff?.categoriesAdded ?? []) : []).map((c) => c.code));
  const renamedCategories = new Set((drafting ? (diff?.categoriesRenamed ?? []) : []).map((c) => c.code));

  const filtering = q.trim() !== '' || level !== 'all' || (drafting && onlyChanged);
  const { rows, shownCount } = useMemo(() => {
    const out: Row[] = [];
    let count = 0;
    if (!doc) return { rows: out, shownCount: 0 };
    const known = new Set(doc.categories.map((c) => c.code));
    const groups: { category: DocCategory; index: number | null }[] = doc.categories.map((c, i) => ({
      category: c,
      index: i,
    }));
    const orphans = [
      ...new Set(doc.items.filter((i) => !known.has(i.categoryCode)).map((i) => i.categoryCode)),
    ];
    for (const code of orphans)
      groups.push({ category: { code, name: t('responsibility.noSuchCategory') }, index: null });
    for (const g of groups) {
      if (cat !== 'all' && g.category.code !== cat) continue;
      const inGroup = doc.items
        .map((item, index) => ({ item, index }))
        .filter((x) => x.item.categoryCode === g.category.code);
      const hits = inGroup.flatMap(({ item, index }) => {
        if (level !== 'all' && item.handlerLevel !== level) return [];
        if (drafting && onlyChanged && !addedCodes.has(item.code) && !changedFieldsOf.has(item.code))
          return [];
        const m = matchItem(item, q);
        return m.match ? [{ item, index, matched: m.keywords }] : [];
      });
      if (filtering && hits.length === 0) continue;
      const isCollapsed = collapsed.has(g.category.code);
      out.push({
        kind: 'category',
        key: `cat:${g.index ?? g.category.code}`,
        category: g.category,
        index: g.index,
        shown: hits.length,
        total: inGroup.length,
        collapsed: isCollapsed,
      });
      count += hits.length;
      if (!isCollapsed) for (const h of hits) out.push({ kind: 'item', key: `item:${h.index}`, ...h });
    }
    return { rows: out, shownCount: count };
  }, [doc, cat, level, q, onlyChanged, drafting, addedCodes, changedFieldsOf, collapsed, filtering, t]);

  const levelCounts = useMemo(() => {
    const c: Record<Level, number> = { all: 0, community: 0, township: 0, department: 0 };
    for (const it of doc?.items ?? []) {
      if (cat !== 'all' && it.categoryCode !== cat) continue;
      c.all += 1;
      c[it.handlerLevel] += 1;
    }
    return c;
  }, [doc, cat]);

  const toggle = (code: string) =>
    setCollapsed((s) => {
      const n = new Set(s);
      if (n.has(code)) n.delete(code);
      else n.add(code);
      return n;
    });
  const groupCodes = rows.flatMap((r) => (r.kind === 'category' ? [r.category.code] : []));
  const anyCollapsed = rows.some((r) => r.kind === 'category' && r.collapsed);

  const columns = listColumns({
    t,
    lang,
    q,
    drafting,
    typeNames,
    itemProblems,
    categoryProblems,
    changedFieldsOf,
    addedCodes,
    addedCategories,
    renamedCategories,
    toggle,
    onEdit: (index, item) => setEditing({ index, item }),
    onRemove: removeItem,
    onAddItem: (categoryCode) => setEditing({ index: null, item: null, categoryCode }),
    onRenameCategory: (index) => setCategoryForm({ index }),
    onRemoveCategory: removeCategory,
  });

  // --- the page ----------------------------------------------------------------------------

  const suggested = suggestVersion(
    current?.version,
    all.map((l) => l.version),
    Number(
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()),
    ),
  );

  return (
    <>
      <style href="gz-responsibility" precedence="default">
        {CSS}
      </style>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="responsibility-import-file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void importFile(f);
        }}
      />

      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card
          title={t('responsibility.title')}
          loading={lists.loading && !lists.data}
          extra={
            <Space wrap>
              <Button icon={<HistoryOutlined />} onClick={() => setHistoryOpen(true)}>
                {t('responsibility.historyButton', { count: all.length })}
              </Button>
              <Button icon={<DownloadOutlined />} onClick={exportShown} disabled={!doc}>
                {drafting ? t('responsibility.exportDraft') : t('responsibility.exportJson')}
              </Button>
              {canEdit && (
                <Button icon={<UploadOutlined />} onClick={() => fileInput.current?.click()}>
                  {t('responsibility.importJson')}
                </Button>
              )}
              {canEdit && !draft && (
                <Button
                  type="primary"
                  icon={<EditOutlined />}
                  onClick={() => void startDraft()}
                  disabled={!current}
                >
                  {t('responsibility.startDraft')}
                </Button>
              )}
              {canEdit && draft && !drafting && (
                <Button type="primary" icon={<EditOutlined />} onClick={() => setViewing(null)}>
                  {t('responsibility.backToDraft')}
                </Button>
              )}
            </Space>
          }
        >
          {lists.error ? (
            <Alert
              type="error"
              showIcon
              title={lists.error}
              action={<Button onClick={lists.reload}>{t('common.refresh')}</Button>}
            />
          ) : current ? (
            <CurrentSummary current={current} />
          ) : (
            <Empty description={t('responsibility.noList')} />
          )}
          <Typography.Paragraph
            type="secondary"
            style={{ margin: '12px 0 0' }}
            data-testid="responsibility-immutable"
          >
            <InfoCircleOutlined /> {t('responsibility.immutable')}
          </Typography.Paragraph>
        </Card>

        {viewing !== null && shownSummary && !shownSummary.current && (
          <Alert
            type="warning"
            showIcon
            data-testid="responsibility-viewing-old"
            title={t('responsibility.viewingOld', {
              version: shownSummary.version,
              at: formatShort(shownSummary.publishedAt, lang),
              count: shownSummary.ticketCount,
            })}
            action={
              <Button onClick={() => setViewing(null)}>
                {draft ? t('responsibility.backToDraft') : t('responsibility.backToCurrent')}
              </Button>
            }
          />
        )}

        {drafting && (
          <DraftBar
            draft={draft}
            current={current}
            diff={diff}
            storageFailed={storageFailed}
            onAddItem={() =>
              setEditing({ index: null, item: null, categoryCode: cat !== 'all' ? cat : undefined })
            }
            onAddCategory={() => setCategoryForm({ index: null })}
            onRestore={restoreItem}
            onDiscard={discard}
            onPublish={() => setPublishing(true)}
          />
        )}

        {drafting && problems.length > 0 && (
          <Alert
            type="error"
            showIcon
            role="alert"
            data-testid="responsibility-problems-alert"
            title={t('responsibility.problemsTitle', { count: problems.length })}
            description={<ProblemList problems={problems} max={20} onPick={pickProblem} />}
            closable={{ onClose: () => setProblems([]), 'aria-label': t('common.close') }}
          />
        )}

        <Card
          title={
            drafting
              ? t('responsibility.draftListTitle')
              : shownVersion
                ? t('responsibility.listTitle', { version: shownVersion })
                : t('responsibility.title')
          }
          data-testid="responsibility-list"
          extra={
            <Space size={12}>
              <Typography.Text type="secondary" data-testid="responsibility-count">
                {t('responsibility.shownCount', { shown: shownCount, total: doc?.items.length ?? 0 })}
              </Typography.Text>
              <Button
                onClick={() => setCollapsed(anyCollapsed ? new Set() : new Set(groupCodes))}
                disabled={rows.length === 0}
              >
                {anyCollapsed ? t('responsibility.expandAll') : t('responsibility.collapseAll')}
              </Button>
            </Space>
          }
        >
          <Flex wrap gap={12} align="center" style={{ marginBottom: 12 }}>
            <Input
              allowClear
              prefix={<SearchOutlined />}
              placeholder={t('responsibility.searchPlaceholder')}
              aria-label={t('responsibility.search')}
              value={q}
              onChange={(e) => setQ(e.target.value)}
              style={{ width: 300 }}
            />
            <Select
              value={cat}
              onChange={setCat}
              aria-label={t('responsibility.categoryFilter')}
              style={{ width: 260 }}
              showSearch={{ optionFilterProp: 'label' }}
              options={[
                {
                  value: 'all',
                  label: t('responsibility.allCategories', { count: doc?.categories.length ?? 0 }),
                },
                ...(doc?.categories ?? []).map((c) => ({
                  value: c.code,
                  label: `${c.code} ${c.name}（${doc?.items.filter((i) => i.categoryCode === c.code).length ?? 0}）`,
                })),
              ]}
            />
            <Segmented<Level>
              value={level}
              onChange={setLevel}
              aria-label={t('responsibility.field.handlerLevel')}
              options={(['all', ...HANDLER_LEVELS] as Level[]).map((l) => ({
                value: l,
                label: `${l === 'all' ? t('common.all') : levelLabel(t, l)} ${levelCounts[l]}`,
              }))}
            />
            {drafting && (
              <Checkbox checked={onlyChanged} onChange={(e) => setOnlyChanged(e.target.checked)}>
                {t('responsibility.onlyChanged')}
              </Checkbox>
            )}
          </Flex>
          {shown.error && !drafting ? (
            <Alert
              type="error"
              showIcon
              title={shown.error}
              action={<Button onClick={shown.reload}>{t('common.refresh')}</Button>}
            />
          ) : (
            <Spin spinning={!doc && (shown.loading || lists.loading)}>
              <Table<Row>
                className="gz-resp-table"
                rowKey="key"
                size="middle"
                tableLayout="fixed"
                columns={columns}
                dataSource={rows}
                pagination={false}
                sticky={{ offsetHeader: 64 }}
                scroll={{ x: 1100 }}
                rowClassName={(r) => {
                  if (r.kind === 'category') return 'gz-resp-cat';
                  if (itemProblems.has(r.item.code)) return 'gz-resp-error';
                  if (addedCodes.has(r.item.code)) return 'gz-resp-added';
                  if (changedFieldsOf.has(r.item.code)) return 'gz-resp-changed';
                  return '';
                }}
                onRow={(r) =>
                  ({
                    'data-code': r.kind === 'item' ? r.item.code : r.category.code,
                    'data-kind': r.kind,
                  }) as HTMLAttributes<HTMLElement>
                }
                locale={{
                  emptyText: doc ? (
                    <Empty
                      image={Empty.PRESENTED_IMAGE_SIMPLE}
                      description={
                        q.trim() ? t('responsibility.noMatch', { q: q.trim() }) : t('responsibility.noItems')
                      }
                    />
                  ) : (
                    <div style={{ height: 120 }} />
                  ),
                }}
              />
            </Spin>
          )}
        </Card>

        <HistoryDrawer
          open={historyOpen}
          lists={all}
          shown={drafting ? null : shownVersion}
          onView={(v) => {
            setViewing(v === current?.version && !draft ? null : v);
            setHistoryOpen(false);
          }}
          onExport={(v) => void exportVersion(v)}
          onClose={() => setHistoryOpen(false)}
        />

        {draft && (
          <ItemDrawer
            editing={editing}
            doc={draft.doc}
            baseCodes={baseCodes}
            typeOptions={typeOptions}
            problems={editing?.item ? (itemProblems.get(editing.item.code) ?? []) : []}
            onSave={saveItem}
            onClose={() => setEditing(null)}
          />
        )}

        {draft && (
          <CategoryModal
            open={categoryForm !== null}
            index={categoryForm?.index ?? null}
            doc={draft.doc}
            problems={
              categoryForm?.index != null
                ? (categoryProblems.get(draft.doc.categories[categoryForm.index]?.code ?? '') ?? [])
                : []
            }
            onSave={saveCategory}
            onClose={() => setCategoryForm(null)}
          />
        )}

        {draft && (
          <PublishModal
            open={publishing}
            doc={draft.doc}
            base={draft.base}
            current={current}
            currentDoc={currentDoc.data}
            used={all.map((l) => l.version)}
            suggested={suggested}
            typeNames={typeNames}
            onProblems={attachProblems}
            onPick={(p) => {
              setPublishing(false);
              pickProblem(p);
            }}
            onPublished={(list) => {
              setPublishing(false);
              setDraft(null);
              setProblems([]);
              setViewing(null);
              setQ('');
              setOnlyChanged(false);
              lists.reload();
              message.success(t('responsibility.publishedDone', { version: list?.version ?? '' }));
            }}
            onClose={() => setPublishing(false)}
          />
        )}
      </Space>
    </>
  );
}

function CurrentSummary({ current }: { current: ResponsibilityListSummary }) {
  const { t } = useTranslation();
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, md: 2, xl: 4 }}
      data-testid="responsibility-current"
      items={[
        {
          key: 'version',
          label: t('responsibility.currentVersion'),
          children: (
            <Space size={6}>
              <Typography.Text strong className="gz-mono">
                {current.version}
              </Typography.Text>
              <Tag color="green">{t('responsibility.currentTag')}</Tag>
            </Space>
          ),
        },
        {
          key: 'published',
          label: t('responsibility.published'),
          children: (
            <span>
              <span className="gz-mono">{formatDateTime(current.publishedAt)}</span>{' '}
              <Typography.Text type="secondary">
                {current.publishedByName
                  ? t('responsibility.publishedBy', { name: current.publishedByName })
                  : t('responsibility.bySystem')}
              </Typography.Text>
            </span>
          ),
        },
        {
          key: 'size',
          label: t('responsibility.size'),
          children: t('responsibility.sizeValue', {
            categories: current.categoryCount,
            items: current.itemCount,
          }),
        },
        {
          key: 'tickets',
          label: t('responsibility.ticketCount'),
          children: t('responsibility.tickets', { count: current.ticketCount }),
        },
        {
          key: 'note',
          label: t('responsibility.note'),
          span: 'filled',
          children: current.note || (
            <Typography.Text type="secondary">{t('responsibility.noNote')}</Typography.Text>
          ),
        },
      ]}
    />
  );
}

function DraftBar({
  draft,
  current,
  diff,
  storageFailed,
  onAddItem,
  onAddCategory,
  onRestore,
  onDiscard,
  onPublish,
}: {
  draft: Draft;
  current: ResponsibilityListSummary | undefined;
  diff: DocDiff | null;
  storageFailed: boolean;
  onAddItem: () => void;
  onAddCategory: () => void;
  onRestore: (item: DocItem) => void;
  onDiscard: () => void;
  onPublish: () => void;
}) {
  const { t, i18n } = useTranslation();
  const categoryChanges = diff
    ? diff.categoriesAdded.length + diff.categoriesRemoved.length + diff.categoriesRenamed.length
    : 0;
  return (
    <Card size="small" className="gz-resp-draft" data-testid="responsibility-draft">
      <Flex wrap gap={16} align="center" justify="space-between">
        <div style={{ minWidth: 320, flex: 1 }}>
          <Space size={8} wrap>
            <Tag color="blue" style={{ marginInlineEnd: 0 }}>
              {t('responsibility.draftTag')}
            </Tag>
            <Typography.Text strong>{t('responsibility.draftTitle', { base: draft.base })}</Typography.Text>
            <Typography.Text type="secondary">
              {storageFailed
                ? t('responsibility.draftNotSaved')
                : t('responsibility.draftSaved', { at: formatShort(draft.savedAt, i18n.language) })}
            </Typography.Text>
          </Space>
          <div style={{ marginTop: 6 }} data-testid="responsibility-draft-summary">
            {diff ? (
              diffSize(diff) === 0 ? (
                <Typography.Text type="secondary">
                  {t('responsibility.draftNoChanges', { base: draft.base })}
                </Typography.Text>
              ) : (
                <Typography.Text>
                  {t('responsibility.draftChanges', {
                    base: draft.base,
                    added: diff.added.length,
                    removed: diff.removed.length,
                    changed: diff.changed.length,
                  })}
                  {categoryChanges > 0 &&
                    t('responsibility.draftCategoryChanges', { count: categoryChanges })}
                </Typography.Text>
              )
            ) : (
              <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>
            )}
          </div>
          {diff && diff.removed.length > 0 && (
            <div style={{ marginTop: 4 }}>
              <Typography.Text type="secondary">{t('responsibility.removedLabel')}</Typography.Text>
              {diff.removed.map((it) => (
                <Tag key={it.code} color="red" style={{ marginTop: 4 }}>
                  {it.code} {it.name}{' '}
                  <Typography.Link onClick={() => onRestore(it)} style={{ fontSize: 12 }}>
                    {t('responsibility.restore')}
                  </Typography.Link>
                </Tag>
              ))}
            </div>
          )}
          {current && draft.base !== current.version && (
            <Alert
              type="warning"
              showIcon
              style={{ marginTop: 8 }}
              title={t('responsibility.baseOutdated', { base: draft.base, current: current.version })}
            />
          )}
        </div>
        <Space wrap>
          <Button icon={<PlusOutlined />} onClick={onAddItem}>
            {t('responsibility.addItem')}
          </Button>
          <Button icon={<PlusOutlined />} onClick={onAddCategory}>
            {t('responsibility.addCategory')}
          </Button>
          <Button danger onClick={onDiscard}>
            {t('responsibility.discard')}
          </Button>
          <Button type="primary" onClick={onPublish}>
            {t('responsibility.checkAndPublish')}
          </Button>
        </Space>
      </Flex>
    </Card>
  );
}

function CategoryModal({
  open,
  index,
  doc,
  problems,
  onSave,
  onClose,
}: {
  open: boolean;
  index: number | null;
  doc: Doc;
  problems: readonly Problem[];
  onSave: (c: DocCategory, index: number | null) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const c = index === null ? null : doc.categories[index];
  const codes = new Set(doc.categories.map((x) => x.code));
  return (
    <FormModal<DocCategory>
      open={open}
      name="responsibility-category"
      key={`${index}`}
      width={480}
      title={c ? t('responsibility.renameCategoryTitle', { code: c.code }) : t('responsibility.addCategory')}
      initialValues={c ?? { code: nextCategoryCode(doc), name: '' }}
      fields={['code', 'name']}
      onCancel={onClose}
      onSubmit={async (v) => onSave({ code: (c?.code ?? v.code).trim(), name: v.name.trim() }, index)}
    >
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={<ProblemList problems={problems} />}
        />
      )}
      <Form.Item
        name="code"
        label={t('responsibility.field.code')}
        extra={c ? t('responsibility.form.codeFixed') : t('responsibility.form.categoryCodeHelp')}
        rules={[
          {
            required: true,
            whitespace: true,
            message: t('validation.required', { field: t('responsibility.field.code') }),
          },
          {
            validator: async (_: unknown, v: string) => {
              if (!c && v && codes.has(v.trim()))
                throw new Error(t('responsibility.check.dupCategory', { code: v.trim() }));
            },
          },
        ]}
      >
        <Input className="gz-mono" disabled={!!c} maxLength={MAX.categoryCode} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item
        name="name"
        label={t('responsibility.categoryName')}
        rules={[
          {
            required: true,
            whitespace: true,
            message: t('validation.required', { field: t('responsibility.categoryName') }),
          },
        ]}
      >
        <Input maxLength={MAX.categoryName} showCount />
      </Form.Item>
      {!c && <Typography.Text type="secondary">{t('responsibility.form.categoryHint')}</Typography.Text>}
    </FormModal>
  );
}
