import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline (19 MiB, t=2, p=1): ~30-60 ms here, affordable at login rates.
// algorithm 2 = Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 8;

/** Passwords seen most often in leaks and in Chinese users' habits; refused whatever their length. */
const COMMON = new Set(
  [
    '12345678',
    '123456789',
    '1234567890',
    '87654321',
    '11111111',
    '00000000',
    '88888888',
    '66666666',
    '12341234',
    '11223344',
    '123123123',
    '5201314520',
    '52013141314',
    'password',
    'password1',
    'password123',
    'passw0rd',
    'qwerty123',
    'qwertyuiop',
    'abc12345',
    'abcd1234',
    'a1234567',
    'a12345678',
    'aa123456',
    'admin123',
    'admin888',
    'iloveyou',
    '1q2w3e4r',
    '1qaz2wsx',
    'zxcvbnm123',
    'woaini1314',
    'woaini520',
    'asdfghjkl',
    'asd123456',
    'qq123456',
    'q1w2e3r4',
    'welcome1',
    'sunshine',
    'princess',
    'football',
    'baseball',
    'superman',
    'gongzhi123',
  ].map((p) => p.toLowerCase()),
);

export type PasswordProblem = 'too_short' | 'too_common' | 'too_long';

export function checkPasswordStrength(password: string, phone?: string): PasswordProblem | null {
  if (password.length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (password.length > 128) return 'too_long';
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'too_common';
  if (/^(.)\1+$/.test(password)) return 'too_common';
  if (phone && lower.includes(phone)) return 'too_common';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// Verifying against a fixed hash when the phone is unknown keeps response time from telling
// an attacker which phones have accounts.
let dummy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('not-a-real-password-0');
  await verifyPassword(await dummy, password);
}
