import path from 'node:path';
import { DEFAULT_OBJECTION_WORKDAYS } from '../contracts/points-states.ts';

/** Every setting comes from the environment; README lists them all. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  production: boolean;
  /** Seed the Datong demo (accounts, compounds) on first start. */
  demo: boolean;
  /** Prefecture whose region tree is imported on first start. */
  cityCode: string;
  logLevel: string;
  secureCookies: boolean;
  trustProxy: boolean;
  trustedOrigins: string[];
  sessionIdleMinutes: number;
  sessionAbsoluteDays: number;
  /** Seconds an instance reuses a session it read; 0 reads it on every request. */
  sessionCacheSeconds: number;
  dbPoolSize: number;
  smsGateway: 'log';
  /** Seconds between deadline sweeps (warnings, overdue marks, escalation); 0 turns them off. */
  deadlineSweepSeconds: number;
  /** PII_KEY: seals identity card numbers (core/pii.ts); required in production. */
  piiKey: string | undefined;
  /** POINTS_OBJECTION_WORKDAYS: working days a quarterly points posting takes objections (≥ 1). */
  objectionWorkdays: number;
}

function int(v: string | undefined, dflt: number, name: string): number {
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`环境变量 ${name} 应为非负整数 / ${name} must be a non-negative integer, got "${v}"`);
  return n;
}

function bool(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined || v === '') return dflt;
  return ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  argv: string[] = process.argv.slice(2),
): Config {
  const production = env.NODE_ENV === 'production';
  const databaseUrl = env.DATABASE_URL || undefined;
  const demoFlag = argv.includes('--demo');
  const noDemo = argv.includes('--no-demo');
  const cityCode = env.CITY_CODE || '140200';
  if (!/^\d{4}00$/.test(cityCode))
    throw new Error(
      `CITY_CODE 应为 6 位地级市代码，如 140200 / CITY_CODE must be a prefecture code like 140200`,
    );
  const smsGateway = (env.SMS_GATEWAY || 'log') as Config['smsGateway'];
  const objectionWorkdays = int(
    env.POINTS_OBJECTION_WORKDAYS,
    DEFAULT_OBJECTION_WORKDAYS,
    'POINTS_OBJECTION_WORKDAYS',
  );
  if (objectionWorkdays < 1 || objectionWorkdays > 60)
    throw new Error(
      `POINTS_OBJECTION_WORKDAYS 应为 1–60 个工作日 / POINTS_OBJECTION_WORKDAYS must be 1 to 60 working days, got "${env.POINTS_OBJECTION_WORKDAYS}"`,
    );
  if (smsGateway !== 'log')
    throw new Error(`不支持的 SMS_GATEWAY "${smsGateway}" / Unknown SMS_GATEWAY (supported: log)`);
  return {
    port: int(env.PORT, 3000, 'PORT'),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl,
    production,
    demo: noDemo ? false : demoFlag || (!databaseUrl && !production),
    cityCode,
    logLevel: env.LOG_LEVEL || 'info',
    secureCookies: bool(env.COOKIE_SECURE, production),
    trustProxy: bool(env.TRUST_PROXY, false),
    trustedOrigins: (env.TRUSTED_ORIGINS || '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    sessionIdleMinutes: int(env.SESSION_IDLE_MINUTES, 720, 'SESSION_IDLE_MINUTES'),
    sessionAbsoluteDays: int(env.SESSION_ABSOLUTE_DAYS, 30, 'SESSION_ABSOLUTE_DAYS'),
    sessionCacheSeconds: int(env.SESSION_CACHE_SECONDS, 10, 'SESSION_CACHE_SECONDS'),
    dbPoolSize: int(env.DB_POOL_SIZE, 10, 'DB_POOL_SIZE'),
    smsGateway,
    deadlineSweepSeconds: int(env.DEADLINE_SWEEP_SECONDS, 60, 'DEADLINE_SWEEP_SECONDS'),
    piiKey: env.PII_KEY || undefined,
    objectionWorkdays,
  };
}
