import { type CompoundView, listCompounds } from '../../api/index.ts';
import { workerGridIds } from '../../ui/roles.ts';
import { useMe } from '../../ui/session.tsx';
import { type Loaded, useLoad } from '../../ui/useLoad.ts';

/** A grid is a few hundred households: its compounds fit in one page. */
const GRID_COMPOUNDS_MAX = 200;

/** The compounds of the grids I look after as a 网格员 (nothing to load when `enabled` is false). */
export function useGridCompounds(enabled = true): Loaded<CompoundView[]> {
  const me = useMe();
  const ids = enabled ? workerGridIds(me.grants) : [];
  return useLoad(
    () =>
      Promise.all(ids.map((gridId) => listCompounds({ gridId, limit: GRID_COMPOUNDS_MAX }))).then((pages) =>
        pages.flatMap((p) => p.items),
      ),
    [ids.join(',')],
  );
}
