/**
 * Materialized paths. Every scoped row carries the path of the node that contains it, so
 * visibility is one `path LIKE 'prefix%'` predicate backed by a text_pattern_ops index.
 *
 *   region:    140200.140213.140213066.140213066004.
 *   grid:      <community path>140213066004G01.
 *   compound:  <grid path>140213066004001.
 *   building / household: the path of their compound.
 *
 * Each segment ends with '.', so the prefix "1402." never matches "14021.".
 */
export function childPath(parentPath: string, segment: string): string {
  return `${parentPath}${segment}.`;
}

export function regionRootPath(code: string): string {
  return `${code}.`;
}

/** 12-digit community code + G + 2-digit sequence: 140213066004G01. */
export function gridCode(communityCode: string, seq: number): string {
  return `${communityCode}G${String(seq).padStart(2, '0')}`;
}

/** Compound codes derive from the community's 12-digit code: + 3-digit sequence. */
export function compoundCode(communityCode: string, seq: number): string {
  return `${communityCode}${String(seq).padStart(3, '0')}`;
}

/** County code (6 digits) of any region code of 6+ digits, or null for the city itself. */
export function countyOf(code: string): string | null {
  const c = code.slice(0, 6);
  return c.endsWith('00') ? null : c;
}

/** SQL LIKE pattern for everything at or under a path; escapes LIKE metacharacters. */
export function underPattern(path: string): string {
  return `${path.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}
