import { z } from 'zod';

/** Mainland mobile numbers, plus the 100-0000-xxxx block used by the demo (never a real subscriber). */
export const Phone = z
  .string()
  .trim()
  .regex(/^1\d{10}$/, { message: 'phone' })
  .describe('11-digit mainland mobile number');

export const Id = z.coerce.number().int().positive();
export const IdParams = z.object({ id: Id });

export const RegionCode = z
  .string()
  .regex(/^\d{6}(\d{3}(\d{3})?)?$/, { message: 'regionCode' })
  .describe('6, 9 or 12-digit statistical code');

export const Locale = z.enum(['zh-CN', 'en']);
export type Locale = z.infer<typeof Locale>;

export const CursorQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .describe('RFC 9457 problem details');
export type Problem = z.infer<typeof Problem>;

export const Ok = z.object({ ok: z.literal(true) });
