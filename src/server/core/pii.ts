/**
 * Encryption of the most sensitive personal data at rest (identity card numbers), with a key from
 * the environment (PII_KEY), never from the database: a stolen dump or backup does not reveal them.
 *
 * - Values are sealed with AES-256-GCM (a fresh 12-byte nonce each time; the tag authenticates).
 *   Stored as: version byte (1) ‖ nonce ‖ tag ‖ ciphertext.
 * - Lookups ("is this person already on the ledger?", re-imports by ID number) use a blind index:
 *   HMAC-SHA256 of the normalised value under a second key. Equal numbers give equal indexes, so
 *   the database can hold a unique index on it without ever seeing the number.
 * Both keys are derived from PII_KEY with HKDF, so one secret is configured.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const VERSION = 1;

export interface PiiCipher {
  seal(plain: string): Buffer;
  open(sealed: Buffer): string;
  /** The blind index of a value (already normalised by the caller). */
  index(plain: string): Buffer;
}

export function piiCipher(secret: Buffer): PiiCipher {
  if (secret.length !== 32) throw new Error('PII key must be 32 bytes');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32));
  const encKey = derive('gongzhi pii encryption v1');
  const macKey = derive('gongzhi pii blind index v1');
  return {
    seal(plain) {
      const nonce = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', encKey, nonce);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([Buffer.from([VERSION]), nonce, c.getAuthTag(), body]);
    },
    open(sealed) {
      if (sealed[0] !== VERSION) throw new Error(`unknown sealed value version ${sealed[0]}`);
      const d = createDecipheriv('aes-256-gcm', encKey, sealed.subarray(1, 13));
      d.setAuthTag(sealed.subarray(13, 29));
      return Buffer.concat([d.update(sealed.subarray(29)), d.final()]).toString('utf8');
    },
    index(plain) {
      return createHmac('sha256', macKey).update(plain, 'utf8').digest();
    },
  };
}

/** PII_KEY as configured: 32 bytes, base64 or hex. */
export function parsePiiKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32)
    throw new Error(
      'PII_KEY 应为 32 字节密钥（base64 或 64 位十六进制），可用 `openssl rand -base64 32` 生成 / ' +
        'PII_KEY must be 32 bytes, base64 or 64 hex digits (make one with `openssl rand -base64 32`)',
    );
  return key;
}

/**
 * The key of this installation: PII_KEY when set. Without it, production refuses to start; a
 * development or demo install keeps a generated key beside its data (DATA_DIR/pii.key, readable by
 * its owner only), so `npm start` works on a fresh machine and its data stays readable across
 * restarts. Several instances must share PII_KEY.
 */
export function loadPiiKey(
  opts: { envKey: string | undefined; production: boolean; dataDir: string },
  log: (msg: string) => void = () => {},
): Buffer {
  if (opts.envKey) return parsePiiKey(opts.envKey);
  if (opts.production)
    throw new Error(
      '生产环境必须设置 PII_KEY（身份证号等加密密钥，`openssl rand -base64 32`），所有实例相同 / ' +
        'PII_KEY is required in production (the key sealing ID numbers; `openssl rand -base64 32`), the same on every instance',
    );
  const file = path.join(opts.dataDir, 'pii.key');
  try {
    return parsePiiKey(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const key = randomBytes(32);
  // 'wx': two processes starting at once must not both write a key.
  try {
    fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return parsePiiKey(fs.readFileSync(file, 'utf8'));
    throw err;
  }
  log(`未设置 PII_KEY，已生成开发用密钥 / no PII_KEY: generated a development key in ${file}`);
  return key;
}
