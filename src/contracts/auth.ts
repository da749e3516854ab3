import { z } from 'zod';
import { Locale, Phone } from './common.ts';
import { ROLES } from './roles.ts';

export const LoginBody = z.object({ phone: Phone, password: z.string().min(1).max(128) });
export type LoginBody = z.infer<typeof LoginBody>;

export const OtpRequestBody = z.object({ phone: Phone });
export const OtpLoginBody = z.object({ phone: Phone, code: z.string().regex(/^\d{6}$/) });

export const GrantView = z.object({
  id: z.number(),
  role: z.enum(ROLES),
  nodeKind: z.string(),
  nodeRef: z.string(),
  scopePath: z.string(),
  /** Human label of the node: 平城区 水泊寺街道 文兴社区. */
  scopeLabel: z.string(),
});
export type GrantView = z.infer<typeof GrantView>;

export const Me = z.object({
  id: z.number(),
  name: z.string(),
  /** Your own phone, unmasked: you may see it. */
  phone: z.string(),
  locale: Locale,
  grants: z.array(GrantView),
  can: z.object({
    console: z.boolean(),
    manageGeo: z.boolean(),
    manageUsers: z.boolean(),
    viewAudit: z.boolean(),
  }),
});
export type Me = z.infer<typeof Me>;

export const MeUpdate = z.object({
  locale: Locale.optional(),
  name: z.string().trim().min(1).max(40).optional(),
});
export const PasswordChange = z.object({
  currentPassword: z.string().max(128).optional(),
  newPassword: z.string().max(128),
});

export const SessionView = z.object({
  current: z.boolean(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
