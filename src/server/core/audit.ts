import { auditLog } from '../auth/tables.ts';
import type { Ctx } from './context.ts';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | number | null;
  scopePath?: string | null;
  detail?: Record<string, unknown>;
}

/** Written in the same transaction as the change it records, so one never exists without the other. */
export async function audit(ctx: Ctx, entry: AuditEntry): Promise<void> {
  await ctx.db.insert(auditLog).values({
    at: ctx.clock.now(),
    actorUserId: ctx.actor?.userId ?? null,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId == null ? null : String(entry.entityId),
    scopePath: entry.scopePath ?? null,
    ip: ctx.ip ?? null,
    detail: entry.detail ?? null,
  });
}
