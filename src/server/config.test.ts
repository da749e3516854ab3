import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('configuration', () => {
  it.each([
    // [environment, flags, demo seeded?]
    [{}, [], true],
    [{ DATABASE_URL: 'postgres://db/gz' }, [], false],
    [{ NODE_ENV: 'production' }, [], false],
    [{ DATABASE_URL: 'postgres://db/gz' }, ['--demo'], true],
    [{ NODE_ENV: 'production' }, ['--demo'], true],
    [{}, ['--no-demo'], false],
    [{ DATABASE_URL: '' }, [], true],
  ] as const)('demo data with %o %o: %s', (env, argv, demo) => {
    expect(loadConfig({ ...env }, [...argv]).demo).toBe(demo);
  });

  it('defaults to port 3000 and ./data, and reads PORT and DATA_DIR', () => {
    const d = loadConfig({}, []);
    expect(d.port).toBe(3000);
    expect(d.dataDir).toBe(path.resolve('data'));
    expect(d.secureCookies).toBe(false);
    expect(d.deadlineSweepSeconds).toBe(60);
    expect(loadConfig({ DEADLINE_SWEEP_SECONDS: '0' }, []).deadlineSweepSeconds).toBe(0);
    const c = loadConfig({ PORT: '8080', DATA_DIR: '/srv/gz', NODE_ENV: 'production' }, []);
    expect(c).toMatchObject({ port: 8080, dataDir: '/srv/gz', secureCookies: true, production: true });
  });

  it('refuses bad values with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'abc' }, [])).toThrow(/PORT 应为非负整数/);
    expect(() => loadConfig({ CITY_CODE: '140213' }, [])).toThrow(/CITY_CODE 应为 6 位地级市代码/);
    expect(() => loadConfig({ SMS_GATEWAY: 'aliyun' }, [])).toThrow(/不支持的 SMS_GATEWAY/);
    expect(() => loadConfig({ DB_POOL_SIZE: '-1' }, [])).toThrow(/DB_POOL_SIZE/);
  });

  it('splits trusted origins', () => {
    expect(
      loadConfig({ TRUSTED_ORIGINS: 'https://a.example, https://b.example,' }, []).trustedOrigins,
    ).toEqual(['https://a.example', 'https://b.example']);
  });
});
