import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from './auth/password.ts';
import { grants, users } from './auth/tables.ts';
import { lockDataDir, openDatabase } from './db/index.ts';
import { runCli } from './test/cli.ts';
import { createTestDb } from './test/db.ts';

const _root = fileURLToPath(new URL('../..', import.meta.url));

const cli = runCli;

// The operator path to a first administrator without demo data, on the embedded directory.
describe('npm run cli -- user:add / user:grant', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates a city administrator from a password piped twice, then grants another role', async () => {
    const add = await cli(
      ['user:add', '--phone', '13800000000', '--name', '张三', '--role', 'cityAdmin', '--region', '140200'],
      'Zhangsan-2026!\nZhangsan-2026!\n',
      { DATA_DIR: dir },
    );
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('已创建用户 张三');
    const grant = await cli(
      ['user:grant', '--phone', '13800000000', '--role', 'countyAdmin', '--region', '140213'],
      '',
      {
        DATA_DIR: dir,
      },
    );
    expect(grant.code).toBe(0);
    const d = await openDatabase({ dataDir: dir });
    try {
      const [u] = await d.db.select().from(users).where(eq(users.phone, '13800000000'));
      expect(u?.name).toBe('张三');
      expect(await verifyPassword(u?.passwordHash ?? '', 'Zhangsan-2026!')).toBe(true);
      const gs = await d.db
        .select()
        .from(grants)
        .where(eq(grants.userId, u?.id ?? 0));
      expect(gs.map((g) => `${g.role}@${g.nodeRef}`).sort()).toEqual([
        'cityAdmin@140200',
        'countyAdmin@140213',
      ]);
      // No demo data on an operator-made install.
      const demo = await d.db.select().from(users).where(eq(users.phone, '10000000001'));
      expect(demo).toHaveLength(0);
    } finally {
      await d.close();
    }
  }, 120_000);

  it('refuses mismatched or weak passwords, bad roles and wrong node levels with clear messages', async () => {
    const add = (role: string, region: string) => [
      'user:add',
      '--phone',
      '13800000001',
      '--name',
      '李四',
      '--role',
      role,
      '--region',
      region,
    ];
    const cases = [
      { args: add('cityAdmin', '140200'), stdin: 'Abcdefg-123\nAbcdefg-124\n', says: '两次输入的密码不一致' },
      { args: add('cityAdmin', '140200'), stdin: '12345678\n12345678\n', says: '密码太弱' },
      { args: add('king', '140200'), stdin: '', says: '角色应为' },
      {
        args: add('cityAdmin', '140213'),
        stdin: 'Abcdefg-123\nAbcdefg-123\n',
        says: '角色“市级管理员”不能授予在该层级上',
      },
    ];
    for (const c of cases) {
      const res = await cli(c.args, c.stdin, { DATA_DIR: dir });
      expect(res.code, c.says).not.toBe(0);
      expect(res.stderr).toContain(c.says);
    }
    // Nothing half-made: the refused person does not exist.
    const d = await openDatabase({ dataDir: dir });
    try {
      expect(await d.db.select().from(users).where(eq(users.phone, '13800000001'))).toEqual([]);
    } finally {
      await d.close();
    }
  }, 120_000);

  it('seed:city refuses a bad scale, stage or time before it opens the database', async () => {
    const cases = [
      { args: ['seed:city', '--scale', '0'], says: '规模应在 0 到 10 之间' },
      { args: ['seed:city', '--only', 'tickets,flats'], says: '未知的阶段 / unknown stage: flats' },
      { args: ['seed:city', '--now', 'yesterday'], says: '时间格式应为 ISO 8601' },
      { args: ['seed:city', '--seed', '1.5'], says: '应为整数' },
    ];
    const untouched = path.join(dir, 'seed-city');
    for (const c of cases) {
      const res = await cli(c.args, '', { DATA_DIR: untouched });
      expect(res.code, c.says).not.toBe(0);
      expect(res.stderr).toContain(c.says);
    }
    expect(fs.existsSync(untouched)).toBe(false);
  }, 60_000);

  it('refuses, harming nothing, while a running server holds the data directory', async () => {
    const unlock = lockDataDir(dir);
    try {
      const res = await cli(
        ['user:add', '--phone', '13800000002', '--name', '王五', '--role', 'cityAdmin', '--region', '140200'],
        'Abcdefg-123\nAbcdefg-123\n',
        { DATA_DIR: dir },
      );
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(`正被进程 ${process.pid} 使用`);
    } finally {
      unlock();
    }
  }, 60_000);
});

describe.runIf(process.env.TEST_DATABASE_URL)('CLI on DATABASE_URL', () => {
  it('adds a user on a PostgreSQL server at any time', async () => {
    const t = await createTestDb();
    try {
      const res = await cli(
        ['user:add', '--phone', '13800000009', '--name', '赵六', '--role', 'cityAdmin', '--region', '140200'],
        'Zhaoliu-2026!\nZhaoliu-2026!\n',
        { DATABASE_URL: t.url ?? '' },
      );
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const [u] = await t.db.select().from(users).where(eq(users.phone, '13800000009'));
      expect(u?.name).toBe('赵六');
    } finally {
      await t.close();
    }
  }, 120_000);
});
