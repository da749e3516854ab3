import { piiCipher } from '../core/pii.ts';

/**
 * A fixed key for tests and benchmarks, whose databases hold invented people only. Kept out of
 * core/ so that no production code path can pick it up.
 */
export const TEST_PII = piiCipher(Buffer.alloc(32, 7));
