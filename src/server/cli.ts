/**
 * Operator commands: `npm run cli -- <command> [options]`.
 * Works on the embedded data directory while the server is stopped (refuses, harming nothing,
 * while a server holds it) and on DATABASE_URL at any time.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { Writable } from 'node:stream';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { ROLES, type Role } from '../contracts/roles.ts';
import { ResponsibilityListDoc } from '../contracts/tickets.ts';
import { checkPasswordStrength, hashPassword } from './auth/password.ts';
import { findUserByPhone } from './auth/repo.ts';
import { auditLog, grants, users } from './auth/tables.ts';
import { ensureRegions, openAndMigrate } from './bootstrap.ts';
import { loadConfig } from './config.ts';
import { systemClock } from './core/clock.ts';
import { AppError, errorMessage } from './core/errors.ts';
import { loadPiiKey, piiCipher } from './core/pii.ts';
import { type Database, DataDirBusyError } from './db/index.ts';
import { CITY_STAGES, type CityStage, seedCity, withSession } from './demo/city.ts';
import { seedDemoParty } from './demo/party.ts';
import { seedDemo } from './demo/seed.ts';
import { importRegions } from './geo/regions-import.ts';
import { loadPrefecture } from './geo/regions-source.ts';
import { issueClient } from './open311/service.ts';
import { exportList, publishList } from './tickets/responsibility.ts';
import { resolveNode } from './users/service.ts';

class CliError extends Error {}

const out = (s: string) => process.stdout.write(`${s}\n`);

async function withDb<T>(fn: (d: Database) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env, []);
  const database = await openAndMigrate(config);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** Reads the password: twice from stdin when piped, or prompted (hidden) on a terminal. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const lines: string[] = [];
    const rl = readline.createInterface({ input: process.stdin, terminal: false });
    for await (const line of rl) {
      lines.push(line);
      if (lines.length === 2) break;
    }
    rl.close();
    if (lines.length < 2)
      throw new CliError('请从标准输入提供两遍密码（每行一遍）/ pipe the password twice, one per line');
    if (lines[0] !== lines[1]) throw new CliError('两次输入的密码不一致 / the two passwords differ');
    return lines[0] as string;
  }
  let muted = false;
  const sink = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) process.stdout.write(chunk);
      cb();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output: sink, terminal: true });
  const ask = (q: string) =>
    new Promise<string>((resolve) => {
      muted = false;
      sink.write(q);
      muted = true;
      rl.question('', (a) => {
        process.stdout.write('\n');
        resolve(a);
      });
    });
  try {
    const a = await ask('密码 / password: ');
    const b = await ask('再输入一次 / again: ');
    if (a !== b) throw new CliError('两次输入的密码不一致 / the two passwords differ');
    return a;
  } finally {
    rl.close();
  }
}

function roleArg(v: string): Role {
  if (!(ROLES as readonly string[]).includes(v))
    throw new InvalidArgumentError(`角色应为 / role must be one of: ${ROLES.join(', ')}`);
  return v as Role;
}

function phoneArg(v: string): string {
  if (!/^1\d{10}$/.test(v)) throw new InvalidArgumentError('手机号应为 11 位数字 / phone must be 11 digits');
  return v;
}

async function grantTo(d: Database, userId: number, role: Role, nodeRef: string) {
  const ctx = {
    db: d.db,
    actor: null,
    clock: systemClock,
    ip: null,
    locale: 'zh-CN' as const,
    log: console as never,
  };
  const node = await resolveNode(ctx, { role, nodeRef });
  await d.db
    .insert(grants)
    .values({ userId, role, ...node, createdAt: new Date() })
    .onConflictDoNothing();
  await d.db.insert(auditLog).values({
    at: new Date(),
    action: 'grant.add',
    entity: 'user',
    entityId: String(userId),
    scopePath: node.scopePath,
    detail: { role, nodeRef: node.nodeRef, via: 'cli' },
  });
  return node;
}

const program = new Command()
  .name('gongzhi')
  .description('共治 operator commands (DATA_DIR / DATABASE_URL select the database)')
  .showHelpAfterError();

program
  .command('user:add')
  .description('create a user with a first role; the password is read from stdin (twice) or prompted')
  .requiredOption('--phone <phone>', '11-digit mobile number', phoneArg)
  .requiredOption('--name <name>', 'display name')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, roleArg)
  .requiredOption('--region <code>', 'node: region code, or compound/grid/department id for those roles')
  .action(async (o: { phone: string; name: string; role: Role; region: string }) => {
    const password = await readPassword();
    const problem = checkPasswordStrength(password, o.phone);
    if (problem) throw new AppError('auth.weak_password');
    const hash = await hashPassword(password);
    await withDb(async (d) => {
      await ensureRegions(d, loadConfig(process.env, []).cityCode);
      if (await findUserByPhone(d.db, o.phone)) throw new AppError('user.phone_taken', { phone: o.phone });
      await d.db.transaction(async (tx) => {
        const [u] = await tx
          .insert(users)
          .values({ phone: o.phone, name: o.name, passwordHash: hash })
          .returning();
        if (!u) throw new Error('insert failed');
        const node = await grantTo({ ...d, db: tx as never }, u.id, o.role, o.region);
        await tx.insert(auditLog).values({
          at: new Date(),
          action: 'user.create',
          entity: 'user',
          entityId: String(u.id),
          scopePath: node.scopePath,
          detail: { via: 'cli', role: o.role },
        });
        out(
          `已创建用户 ${o.name}（${o.phone}），角色 ${o.role} @ ${node.nodeRef} / user created, id ${u.id}`,
        );
      });
    });
  });

program
  .command('user:grant')
  .description('grant another role to an existing user')
  .requiredOption('--phone <phone>', 'the user', phoneArg)
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, roleArg)
  .requiredOption('--region <code>', 'node: region code, or compound/grid/department id for those roles')
  .action(async (o: { phone: string; role: Role; region: string }) => {
    await withDb(async (d) => {
      const u = await findUserByPhone(d.db, o.phone);
      if (!u) throw new AppError('user.not_found');
      const node = await grantTo(d, u.id, o.role, o.region);
      out(`已授予 ${u.name} 角色 ${o.role} @ ${node.nodeRef} / granted`);
    });
  });

/** The CLI acts as the machine's operator: no user, audited as such. */
const operatorCtx = (db: Database['db']) => ({
  db,
  actor: null,
  clock: systemClock,
  ip: null,
  locale: 'zh-CN' as const,
  log: console as never,
});

program
  .command('open311:key')
  .description('issue an Open311 api_key for a client system of one county; the key is printed once')
  .requiredOption('--name <name>', 'the client system, e.g. "12345 热线"', (v: string) => {
    const name = v.trim();
    if (name.length < 1 || name.length > 60)
      throw new InvalidArgumentError('名称应为 1 到 60 个字 / the name has 1 to 60 characters');
    return name;
  })
  .requiredOption('--county <code>', 'its jurisdiction: a 6-digit county code, e.g. 140213')
  .action(async (o: { name: string; county: string }) => {
    await withDb(async (d) => {
      await ensureRegions(d, loadConfig(process.env, []).cityCode);
      const { client, county, apiKey } = await d.db.transaction((tx) =>
        issueClient(operatorCtx(tx as never), { name: o.name, countyCode: o.county }),
      );
      out(
        `已为“${client.name}”签发 ${county.name}（${county.code}）的 Open311 api_key，编号 ${client.id}。密钥只显示这一次，请妥善转交 / ` +
          `Open311 api_key issued for "${client.name}", jurisdiction ${county.code}, client id ${client.id}. It is shown this once only:`,
      );
      out(apiKey);
    });
  });

program
  .command('responsibility:export')
  .description(
    'write a version of the responsibility list (default: the current one) as JSON, to edit and import',
  )
  .option('--version <version>', 'a published version')
  .option('--out <file>', 'write to this file instead of standard output')
  .action(async (o: { version?: string; out?: string }) => {
    await withDb(async (d) => {
      const doc = await exportList(operatorCtx(d.db), o.version);
      const text = `${JSON.stringify(doc, null, 2)}\n`;
      if (o.out) {
        fs.writeFileSync(o.out, text);
        out(`已导出责任清单 ${doc.version}（${doc.items.length} 项）到 ${o.out} / exported`);
      } else process.stdout.write(text);
    });
  });

program
  .command('responsibility:import')
  .description('check a responsibility list (JSON) and publish it as the new current version')
  .requiredOption('--file <file>', 'the list, as written by responsibility:export and edited')
  .option('--dry-run', 'only check it and show what would change')
  .action(async (o: { file: string; dryRun?: boolean }) => {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(o.file, 'utf8'));
    } catch (e) {
      throw new CliError(`无法读取 ${o.file}：${(e as Error).message} / cannot read the file`);
    }
    const parsed = ResponsibilityListDoc.safeParse(raw);
    if (!parsed.success)
      throw new CliError(
        `文件格式有误 / the file does not match the list format:\n${parsed.error.issues
          .map((i) => `  ${i.path.join('.')}: ${i.message}`)
          .join('\n')}`,
      );
    await withDb(async (d) => {
      const r = await d.db.transaction((tx) =>
        publishList(operatorCtx(tx as never), parsed.data, { dryRun: !!o.dryRun }),
      );
      out(
        `${r.dryRun ? '检查通过，未发布' : `已发布责任清单 ${parsed.data.version} 并设为当前版本`}：新增 ${r.diff.added.length} 项，删除 ${r.diff.removed.length} 项，修改 ${r.diff.changed.length} 项 / ${r.dryRun ? 'checked, not published' : 'published'}`,
      );
      for (const c of r.diff.added) out(`  + ${c}`);
      for (const c of r.diff.removed) out(`  - ${c}`);
      for (const c of r.diff.changed) out(`  ~ ${c.code}: ${c.fields.join(', ')}`);
    });
  });

program
  .command('regions:import')
  .description("import or refresh a prefecture's region tree (county, township, community) by its code")
  .requiredOption('--city <code>', '6-digit prefecture code, e.g. 140200')
  .action(async (o: { city: string }) => {
    const records = await loadPrefecture(o.city);
    await withDb(async (d) => {
      const r = await importRegions(d.db, records);
      out(`行政区划 ${o.city}：共 ${r.total} 个，新增 ${r.inserted}，更新 ${r.updated} / imported`);
    });
  });

program
  .command('demo:seed')
  .description('add the Datong demo data and demo accounts (never on production unless you mean it)')
  .action(async () => {
    await withDb(async (d) => {
      await ensureRegions(d, '140200');
      const s = await seedDemo(d.db);
      out(
        s.skipped
          ? '演示数据已存在 / demo data already present'
          : `已生成演示数据 / demo seeded: ${JSON.stringify(s)}`,
      );
      const config = loadConfig(process.env, []);
      const pii = piiCipher(
        loadPiiKey({ envKey: config.piiKey, production: config.production, dataDir: config.dataDir }, out),
      );
      const p = await seedDemoParty(d.db, pii);
      if (p.members) out(`已生成演示党员 / demo party members: ${p.members}, organisations: ${p.orgs}`);
    });
  });

function scaleArg(v: string): number {
  const n = Number(v);
  if (!(n > 0 && n <= 10)) throw new InvalidArgumentError('规模应在 0 到 10 之间 / scale must be in (0, 10]');
  return n;
}

function intArg(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('应为整数 / must be a whole number');
  return n;
}

function dateArg(v: string): Date {
  const d = new Date(v);
  if (Number.isNaN(d.getTime()))
    throw new InvalidArgumentError('时间格式应为 ISO 8601 / must be an ISO 8601 time');
  return d;
}

function stagesArg(v: string): CityStage[] {
  const list = v.split(',').map((x) => x.trim());
  const bad = list.filter((x) => !(CITY_STAGES as string[]).includes(x));
  if (bad.length)
    throw new InvalidArgumentError(
      `未知的阶段 / unknown stage: ${bad.join(', ')} (${CITY_STAGES.join(', ')})`,
    );
  return list as CityStage[];
}

const STAGE_LABELS: Record<CityStage, string> = {
  buildings: '楼栋 buildings',
  households: '住户 households',
  gridWorkers: '网格员 grid workers',
  communityWorkers: '社区工作者 community workers',
  members: '党员 members',
  ledgers: '党员台账 ledgers',
  tickets: '诉求 tickets',
};

program
  .command('seed:city')
  .description(
    'fill the database with a synthetic Datong at city scale (on top of the demo; run again to resume)',
  )
  .option('--scale <n>', '1 = the whole city (1,000,000 tickets); 0.01 for a quick run', scaleArg, 1)
  .option('--seed <n>', 'same seed, same city', intArg, 1)
  .option('--now <iso>', 'end of the year of tickets (give the same one to resume identically)', dateArg)
  .option('--only <stages>', `only these stages, comma-separated: ${CITY_STAGES.join(',')}`, stagesArg)
  .action(async (o: { scale: number; seed: number; now?: Date; only?: CityStage[] }) => {
    const config = loadConfig(process.env, []);
    await withDb(async (d) => {
      await ensureRegions(d, '140200');
      const demo = await seedDemo(d.db);
      if (!demo.skipped) out(`已生成演示数据 / demo seeded (${demo.compounds} compounds)`);
      const tty = process.stderr.isTTY;
      const bar = tty
        ? new cliProgress.SingleBar(
            {
              format: '{stage} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}',
              etaBuffer: 20,
              stream: process.stderr,
            },
            cliProgress.Presets.shades_classic,
          )
        : null;
      let current: CityStage | null = null;
      let lastLine = 0;
      const report = await withSession(d.db, (session) =>
        seedCity(session, {
          scale: o.scale,
          seed: o.seed,
          now: o.now,
          only: o.only,
          pii: piiCipher(
            loadPiiKey(
              { envKey: config.piiKey, production: config.production, dataDir: config.dataDir },
              out,
            ),
          ),
          onProgress: ({ stage, done, target }) => {
            if (bar) {
              if (stage !== current) {
                if (current) bar.stop();
                bar.start(target, done, { stage: STAGE_LABELS[stage] });
                current = stage;
              } else bar.update(done);
              return;
            }
            // Not a terminal (a log, CI): a line per stage and at most one every 10 s.
            const t = Date.now();
            if (stage !== current || done === target || t - lastLine > 10_000) {
              process.stderr.write(`${STAGE_LABELS[stage]}: ${done}/${target}\n`);
              current = stage;
              lastLine = t;
            }
          },
        }),
      );
      bar?.stop();
      for (const s of report.stages)
        out(
          `${STAGE_LABELS[s.stage]}: ${s.before} → ${s.after} / ${s.target} (${(s.ms / 1000).toFixed(1)} s)`,
        );
      out(
        `完成 / done in ${(report.elapsedMs / 1000).toFixed(1)} s, peak RSS of this process ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
      );
    });
  });

program
  .command('migrate')
  .description('apply pending migrations and exit')
  .action(async () => {
    await withDb(async () => out('迁移完成 / migrations applied'));
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof DataDirBusyError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof AppError) {
    process.stderr.write(
      `${errorMessage(err.code, 'zh-CN', err.params)} / ${errorMessage(err.code, 'en', err.params)}\n`,
    );
    for (const e of err.errors ?? []) process.stderr.write(`  ${e.path}: ${e.message}\n`);
    process.exit(1);
  }
  if (err instanceof CliError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`${(err as Error)?.stack ?? err}\n`);
  process.exit(1);
});
