import { Alert, Empty, Input, List, Space, Spin, Tag, Tree, Typography } from 'antd';
import type { DataNode, EventDataNode } from 'antd/es/tree';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../api/client.ts';
import { type RegionNode, regionChildren, regionDetail, searchRegions } from '../../../api/index.ts';

interface TNode extends DataNode {
  key: string;
  region: RegionNode;
  children?: TNode[];
}

function toNode(r: RegionNode): TNode {
  return {
    key: r.code,
    region: r,
    // Communities are leaves here: their grids and compounds open on the right.
    isLeaf: r.level === 'community' || !r.hasChildren,
    title: (
      <span>
        <span>{r.name}</span>
        {r.compoundCount > 0 && (
          <Typography.Text type="secondary" style={{ marginLeft: 6, fontSize: 12 }}>
            {r.compoundCount}
          </Typography.Text>
        )}
      </span>
    ),
  };
}

function find(nodes: TNode[], key: string): TNode | undefined {
  for (const n of nodes) {
    if (n.key === key) return n;
    const hit = n.children && find(n.children, key);
    if (hit) return hit;
  }
  return undefined;
}

/** Newer copies of some regions (fresher counts): their titles change, their children stay. */
function withRegions(nodes: TNode[], fresh: ReadonlyMap<string, RegionNode>): TNode[] {
  return nodes.map((n) => {
    const r = fresh.get(n.key);
    const children = n.children && withRegions(n.children, fresh);
    return r ? { ...toNode(r), children, isLeaf: n.isLeaf } : children ? { ...n, children } : n;
  });
}

function withChildren(nodes: TNode[], key: string, children: TNode[]): TNode[] {
  return nodes.map((n) => {
    if (n.key === key) return { ...n, children };
    if (n.children) return { ...n, children: withChildren(n.children, key, children) };
    return n;
  });
}

/**
 * Lazy region tree: the top of the viewer's scope first, children fetched on expand. A search
 * box lists matching regions; picking one (or opening a deep link) expands the tree down to it.
 */
export function RegionTree({
  selected,
  onSelect,
  fresh,
  countsChanged,
}: {
  selected: string | null;
  onSelect: (code: string) => void;
  /** A newer copy of one region (after edits): its title is updated in place. */
  fresh?: RegionNode | null;
  /**
   * A compound was added to or removed from this community: its count and those of its
   * ancestors are fetched again. A new object each time, so the same community twice refreshes twice.
   */
  countsChanged?: { community: string } | null;
}) {
  const { t } = useTranslation();
  const [tree, setTree] = useState<TNode[]>([]);
  const treeRef = useRef<TNode[]>([]);
  const [expanded, setExpanded] = useState<string[]>([]);
  const [loaded, setLoaded] = useState<string[]>([]);
  const [booting, setBooting] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<RegionNode[] | null>(null);
  const [searching, setSearching] = useState(false);
  const wrap = useRef<HTMLDivElement>(null);

  const commit = useCallback((next: TNode[]) => {
    treeRef.current = next;
    setTree(next);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: mount-only; the tree keeps its own state afterwards
  useEffect(() => {
    regionChildren()
      .then((top) => {
        const nodes = top.map(toNode);
        commit(nodes);
        // A single top node (a community or township admin): open it straight away.
        const only = nodes.length === 1 ? nodes[0] : undefined;
        if (only && !selected) onSelect(only.key);
        if (only && !only.isLeaf) {
          return regionChildren(only.key).then((kids) => {
            commit(withChildren(treeRef.current, only.key, kids.map(toNode)));
            setLoaded((l) => [...l, only.key]);
            setExpanded((e) => [...e, only.key]);
          });
        }
      })
      .catch((e: unknown) => setError(errorText(e)))
      .finally(() => setBooting(false));
  }, []);

  useEffect(() => {
    if (!fresh || !find(treeRef.current, fresh.code)) return;
    commit(withRegions(treeRef.current, new Map([[fresh.code, fresh]])));
  }, [fresh, commit]);

  useEffect(() => {
    if (!countsChanged) return;
    let live = true;
    (async () => {
      const { community } = countsChanged;
      // The community's path lists its ancestors' codes: "140200.140213.140213066.140213066004."
      const path = find(treeRef.current, community)?.region.path ?? (await regionDetail(community)).path;
      const shown = path.split('.').filter((code) => code && find(treeRef.current, code));
      const regions = await Promise.all(shown.map((code) => regionDetail(code)));
      if (live) commit(withRegions(treeRef.current, new Map(regions.map((r) => [r.code, r]))));
    })().catch(() => {
      // the counts stay as they were until the next load; not worth an error
    });
    return () => {
      live = false;
    };
  }, [countsChanged, commit]);

  const loadData = useCallback(
    async (node: EventDataNode<TNode>) => {
      const key = String(node.key);
      const current = find(treeRef.current, key);
      if (current?.children) return;
      try {
        const kids = await regionChildren(key);
        commit(withChildren(treeRef.current, key, kids.map(toNode)));
        setLoaded((l) => [...l, key]);
      } catch (e) {
        setError(errorText(e));
      }
    },
    [commit],
  );

  // Expand the tree down to the selected region when it is not on screen yet.
  useEffect(() => {
    if (!selected || booting) return;
    let live = true;
    const scroll = () =>
      window.setTimeout(() => {
        wrap.current?.querySelector('.ant-tree-treenode-selected')?.scrollIntoView({ block: 'nearest' });
      }, 50);
    if (find(treeRef.current, selected)) {
      scroll();
      return;
    }
    (async () => {
      const detail = await regionDetail(selected);
      const chain = detail.ancestors.map((a) => a.code);
      const opened: string[] = [];
      for (const code of chain) {
        const n = find(treeRef.current, code);
        if (!n) continue; // above the viewer's scope: not in the tree
        if (!n.children) {
          const kids = await regionChildren(code);
          if (!live) return;
          commit(withChildren(treeRef.current, code, kids.map(toNode)));
          setLoaded((l) => [...l, code]);
        }
        opened.push(code);
      }
      if (!live) return;
      setExpanded((e) => [...new Set([...e, ...opened])]);
      scroll();
    })().catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [selected, booting, commit]);

  const search = async (q: string) => {
    const s = q.trim();
    setQuery(q);
    if (!s) {
      setResults(null);
      return;
    }
    setSearching(true);
    try {
      setResults(await searchRegions(s));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSearching(false);
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Input.Search
        placeholder={t('geo.searchPlaceholder')}
        aria-label={t('geo.searchPlaceholder')}
        allowClear
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          if (!e.target.value) setResults(null);
        }}
        onSearch={search}
        loading={searching}
      />
      {error && <Alert type="error" showIcon title={error} closable={{ onClose: () => setError(null) }} />}
      {results ? (
        <div>
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            <Typography.Text type="secondary">{t('geo.searchResults')}</Typography.Text>
            <Typography.Link
              onClick={() => {
                setResults(null);
                setQuery('');
              }}
            >
              {t('geo.clearSearch')}
            </Typography.Link>
          </Space>
          <List
            size="small"
            data-testid="region-search-results"
            locale={{
              emptyText: <Empty description={t('geo.noResults')} image={Empty.PRESENTED_IMAGE_SIMPLE} />,
            }}
            dataSource={results}
            renderItem={(r) => (
              <List.Item
                style={{ cursor: 'pointer' }}
                onClick={() => {
                  onSelect(r.code);
                  setResults(null);
                  setQuery('');
                }}
              >
                <Space orientation="vertical" size={0}>
                  <Typography.Link>{r.name}</Typography.Link>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.officialName !== r.name ? `${r.officialName} · ` : ''}
                    {r.code}
                  </Typography.Text>
                </Space>
                <Tag>{t(`level.${r.level}`)}</Tag>
              </List.Item>
            )}
          />
        </div>
      ) : (
        <div className="gz-tree-wrap" ref={wrap} data-testid="region-tree">
          {booting ? (
            <Spin />
          ) : (
            <Tree<TNode>
              blockNode
              treeData={tree}
              loadData={loadData}
              loadedKeys={loaded}
              expandedKeys={expanded}
              onExpand={(keys) => setExpanded(keys.map(String))}
              selectedKeys={selected ? [selected] : []}
              onSelect={(keys, info) => {
                const key = keys[0] ?? info.node.key;
                if (key !== undefined) onSelect(String(key));
              }}
            />
          )}
        </div>
      )}
    </Space>
  );
}
