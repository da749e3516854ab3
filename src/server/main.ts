import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { ROLE_LABELS_ZH } from '../contracts/roles.ts';
import { buildApp } from './app.ts';
import { logSmsGateway } from './auth/sms.ts';
import { ensureRegions, openAndMigrate } from './bootstrap.ts';
import { loadConfig } from './config.ts';
import { systemClock } from './core/clock.ts';
import { purgeUnattachedFiles } from './core/files.ts';
import { loadPiiKey, piiCipher } from './core/pii.ts';
import { DataDirBusyError } from './db/index.ts';
import { seedDemoParty } from './demo/party.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from './demo/seed.ts';
import { runVoucherExpiry } from './points/expiry.ts';
import { sweepPostings } from './points/posting.ts';
import { runReminderSweep } from './service/targets.ts';
import { startDeadlineSweeper } from './tickets/deadlines.ts';
import { runSmsSender } from './tickets/notices.ts';
import { currentRouter } from './tickets/service.ts';

const started = Date.now();
const say = (msg: string) => process.stdout.write(`[gongzhi] ${msg}\n`);

async function main() {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  // Before the database: a production install without its key stops here, having changed nothing.
  const pii = piiCipher(
    loadPiiKey({ envKey: config.piiKey, production: config.production, dataDir: config.dataDir }, say),
  );
  const database = await openAndMigrate(config, say);
  // Instances starting together on one PostgreSQL take turns here; the later ones find it done.
  await database.exclusive(async () => {
    await ensureRegions(database, config.cityCode, say);
    if (!config.demo) return;
    const s = await seedDemo(database.db, { onProgress: (m) => logger.debug(m) });
    if (!s.skipped) {
      say(
        `已生成大同演示数据：${s.compounds} 个小区、${s.buildings} 栋楼、${s.grids} 个网格、${s.departments} 个部门（${s.elapsedMs} ms）`,
      );
    }
    const p = await seedDemoParty(database.db, pii);
    if (p.members) say(`已生成演示党员 ${p.members} 名、党组织 ${p.orgs} 个`);
  });
  const sms = logSmsGateway(logger);
  const app = await buildApp({
    db: database.db,
    dbKind: database.kind,
    clock: systemClock,
    sms,
    auth: { sessionIdleMinutes: config.sessionIdleMinutes, sessionAbsoluteDays: config.sessionAbsoluteDays },
    sessionCacheMs: config.sessionCacheSeconds * 1000,
    webDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    secureCookies: config.secureCookies,
    trustedOrigins: config.trustedOrigins,
    trustProxy: config.trustProxy,
    logger,
    pii,
  });

  // The routing model trains in the background, so the first report does not wait for it.
  const trainStart = Date.now();
  currentRouter({ db: database.db, clock: systemClock })
    .then(() => logger.info({ ms: Date.now() - trainStart }, 'routing model trained'))
    .catch((err) => logger.warn({ err }, 'routing model training failed; it is retried on use'));

  // After each sweep: the SMS outbox, and once an hour the photos uploaded for a report that was
  // never sent (kept a day, so a resident still filling in the form does not lose them).
  let lastPurge = 0;
  const housekeeping = async () => {
    await runSmsSender(database.db, sms, systemClock);
    // Vouchers left unused past their time: expired, points and stock given back.
    const lapsed = await runVoucherExpiry(database.db, systemClock, logger);
    if (lapsed.expired || lapsed.failed) logger.info({ lapsed }, 'expired vouchers refunded');
    const now = systemClock.now().getTime();
    if (now - lastPurge < 3_600_000) return;
    lastPurge = now;
    // Members behind their annual service target, on its reminder dates (once each, whichever
    // instance gets there first: service/targets.ts).
    const { reminded } = await runReminderSweep(database.db, systemClock);
    if (reminded) logger.info({ reminded }, 'service target reminders');
    // 季度公示: the quarter just ended frozen, postings past their objection period final, the ones
    // a later final posting replaced archived (points/posting.ts; idempotent across instances).
    await sweepPostings(database.db, systemClock, { objectionWorkdays: config.objectionWorkdays })
      .then((r) => (r.frozen || r.finalised || r.archived) && logger.info({ postings: r }, 'points postings'))
      .catch((err) => logger.error({ err }, 'points posting sweep failed'));
    const purged = await purgeUnattachedFiles(database.db, new Date(now - 86_400_000));
    if (purged) logger.info({ purged }, 'unattached uploads purged');
  };
  const stopSweeper =
    config.deadlineSweepSeconds > 0
      ? startDeadlineSweeper(database.db, systemClock, config.deadlineSweepSeconds, logger, housekeeping)
      : async () => {};

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    say(`收到 ${signal}，正在停止：完成进行中的请求并关闭数据库…`);
    const force = setTimeout(() => {
      say('停止超时，强制退出');
      process.exit(1);
    }, 15_000);
    force.unref();
    try {
      await stopSweeper();
      await app.close();
      await database.close();
      say('已停止');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${config.port}`;
  say(`已启动（${Date.now() - started} ms）：${url}`);
  say(`  管理后台 console: ${url}/console/   手机端 phone app: ${url}/m/   API 文档: ${url}/api/docs`);
  if (config.demo) {
    say(`演示账号（仅用于演示，密码均为 ${DEMO_PASSWORD}）/ demo accounts, password ${DEMO_PASSWORD}:`);
    for (const a of DEMO_ACCOUNTS)
      say(`  ${a.phone}  ${ROLE_LABELS_ZH[a.role].padEnd(10, '　')} ${a.scopeLabel}`);
  }
}

main().catch((err) => {
  if (err instanceof DataDirBusyError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`[gongzhi] 启动失败 / failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
