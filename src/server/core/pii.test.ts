import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPiiKey, parsePiiKey, piiCipher } from './pii.ts';

const key = Buffer.alloc(32, 3);

describe('sealed personal data', () => {
  it('opens what it sealed; the same value seals differently each time but indexes the same', () => {
    const c = piiCipher(key);
    const a = c.seal('11010519491231002X');
    const b = c.seal('11010519491231002X');
    expect(a.equals(b)).toBe(false);
    expect(a.toString('latin1')).not.toContain('1101051949');
    expect(c.open(a)).toBe('11010519491231002X');
    expect(c.index('11010519491231002X').equals(c.index('11010519491231002X'))).toBe(true);
    expect(c.index('11010519491231002X').equals(c.index('110105194912310021'))).toBe(false);
  });

  it('refuses a tampered value and another key’s', () => {
    const c = piiCipher(key);
    const sealed = c.seal('11010519491231002X');
    const bad = Buffer.from(sealed);
    bad[bad.length - 1] = (bad.at(-1) as number) ^ 1;
    expect(() => c.open(bad)).toThrow();
    expect(() => piiCipher(Buffer.alloc(32, 4)).open(sealed)).toThrow();
    expect(piiCipher(Buffer.alloc(32, 4)).index('x').equals(c.index('x'))).toBe(false);
  });

  it('reads PII_KEY as base64 or hex, and says how to make one when it is wrong', () => {
    expect(parsePiiKey(key.toString('base64')).equals(key)).toBe(true);
    expect(parsePiiKey(key.toString('hex')).equals(key)).toBe(true);
    expect(() => parsePiiKey('short')).toThrow(/openssl rand -base64 32/);
  });

  it('production needs PII_KEY; development keeps a generated key beside its data', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-pii-'));
    try {
      expect(() => loadPiiKey({ envKey: undefined, production: true, dataDir: dir })).toThrow(/PII_KEY/);
      expect(fs.existsSync(path.join(dir, 'pii.key'))).toBe(false);
      const first = loadPiiKey({ envKey: undefined, production: false, dataDir: dir });
      expect((fs.statSync(path.join(dir, 'pii.key')).mode & 0o777).toString(8)).toBe('600');
      expect(loadPiiKey({ envKey: undefined, production: false, dataDir: dir }).equals(first)).toBe(true);
      expect(loadPiiKey({ envKey: key.toString('base64'), production: true, dataDir: dir }).equals(key)).toBe(
        true,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
