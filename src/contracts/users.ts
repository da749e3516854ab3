import { z } from 'zod';
import { GrantView } from './auth.ts';
import { Phone } from './common.ts';
import { ROLES } from './roles.ts';

export const UserView = z.object({
  id: z.number(),
  /** Masked (张*) unless revealed through the audited endpoint. */
  name: z.string(),
  /** Masked (138****0000) unless revealed through the audited endpoint. */
  phone: z.string(),
  disabled: z.boolean(),
  /** Only the grants inside the viewer's area; `revocable` when the viewer outranks it there. */
  grants: z.array(GrantView.extend({ revocable: z.boolean() })),
  createdAt: z.string(),
  /**
   * Only administrators see this list, and each can reveal (audited) and grant at least the
   * resident role inside their area, so reveal/grant are true today; clients must still obey them.
   */
  can: z.object({ reveal: z.boolean(), grant: z.boolean(), disable: z.boolean() }),
});
export type UserView = z.infer<typeof UserView>;

export const UserListQuery = z.object({
  region: z
    .string()
    .regex(/^\d{6,12}$/)
    .optional(),
  role: z.enum(ROLES).optional(),
  /** Exact phone number search (never a partial match on personal data). */
  phone: z
    .string()
    .regex(/^1\d{10}$/)
    .optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const GrantTarget = z.object({
  role: z.enum(ROLES),
  /** Region code for region roles; numeric id (as string) for compound, grid, department. */
  nodeRef: z.string().min(1).max(20),
});
export type GrantTarget = z.infer<typeof GrantTarget>;

export const UserCreate = z.object({
  phone: Phone,
  name: z.string().trim().min(1).max(40),
  /** Optional: without it the user signs in with an SMS code. */
  password: z.string().max(128).optional(),
  grant: GrantTarget,
});
export type UserCreate = z.infer<typeof UserCreate>;

export const UserPii = z.object({ id: z.number(), name: z.string(), phone: z.string() });

export const UserUpdate = z.object({ disabled: z.boolean().optional() });

export const AuditView = z.object({
  id: z.number(),
  at: z.string(),
  actorUserId: z.number().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  ip: z.string().nullable(),
  detail: z.unknown(),
});
export const AuditListQuery = z.object({
  action: z.string().max(64).optional(),
  actorUserId: z.coerce.number().int().positive().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
