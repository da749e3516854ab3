import { sql } from 'drizzle-orm';
import type { Config } from './config.ts';
import { type Database, openDatabase, runMigrations } from './db/index.ts';
import { importRegions } from './geo/regions-import.ts';
import { loadPrefecture } from './geo/regions-source.ts';

/** Opens the configured database and brings its schema up to date. */
export async function openAndMigrate(
  config: Config,
  log: (msg: string) => void = () => {},
): Promise<Database> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
  });
  try {
    const t = Date.now();
    await database.exclusive(() => runMigrations(database.db));
    log(
      `数据库已就绪（${database.kind === 'embedded' ? `内置 PGlite：${config.dataDir}` : 'PostgreSQL'}，迁移 ${Date.now() - t} ms）`,
    );
    return database;
  } catch (err) {
    await database.close();
    throw err;
  }
}

/** The region tree is real data, not demo: a new install gets its prefecture's tree once. */
export async function ensureRegions(
  database: Database,
  cityCode: string,
  log: (msg: string) => void = () => {},
) {
  const res = (await database.db.execute(
    sql`select count(*)::int as n from regions where code = ${cityCode}`,
  )) as unknown as {
    rows: { n: number }[];
  };
  if ((res.rows[0]?.n ?? 0) > 0) return;
  const t = Date.now();
  const r = await importRegions(database.db, await loadPrefecture(cityCode));
  log(`已导入行政区划 ${cityCode}：${r.total} 个（${Date.now() - t} ms）`);
}
