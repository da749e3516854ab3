import { STATUS_LABELS } from '../../contracts/tickets.ts';
import type { SmsGateway } from '../auth/sms.ts';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../db/index.ts';
import * as repo from './repo.ts';

/** Moves a hotline caller (no account) is told about by SMS. */
export const SMS_KINDS = new Set(['submit', 'accept', 'reject', 'refer', 'confirm', 'expireFollowUp']);

/** The SMS text, in Chinese: callers reached this way phoned the Chinese hotline. */
export function smsText(n: { kind: string; toStatus: string | null; number: string }): string {
  const head = `【共治】您反映的诉求（编号 ${n.number}）`;
  switch (n.kind) {
    case 'submit':
      return `${head}已收到，我们会尽快受理。`;
    case 'accept':
      return `${head}已受理，正在办理。`;
    case 'reject':
      return `${head}不予受理，详情请致电社区。`;
    case 'refer':
      return `${head}已转有关渠道办理。`;
    case 'confirm':
      return `${head}已办结，稍后将有工作人员回访，请对办理结果评价。`;
    default:
      return `${head}状态：${STATUS_LABELS[n.toStatus as keyof typeof STATUS_LABELS]?.zh ?? n.kind}。`;
  }
}

/** How long a claimed SMS is left to its sender before another may take it. */
const SMS_LEASE_MS = 5 * 60_000;

/**
 * Sends queued SMS; a failed send is retried on later rounds, up to 5 attempts. The gateway is
 * called outside any transaction: a slow one must not hold a database connection (the embedded
 * database has only one).
 */
export async function runSmsSender(db: Db, sms: SmsGateway, clock: Clock, batch = 50): Promise<number> {
  const now = clock.now();
  const claimed = await repo.claimSms(db, batch, now, new Date(now.getTime() + SMS_LEASE_MS));
  let sent = 0;
  for (const n of claimed) {
    try {
      await sms.sendNotice(n.phone, smsText(n));
      await repo.smsResult(db, n.id, clock.now());
      sent++;
    } catch {
      await repo.smsResult(db, n.id, null);
    }
  }
  return sent;
}
