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

/** Sends queued SMS; a failed send is retried on later rounds, up to 5 attempts. */
export async function runSmsSender(db: Db, sms: SmsGateway, clock: Clock, batch = 50): Promise<number> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    let sent = 0;
    for (const n of await repo.claimSms(t, batch)) {
      try {
        await sms.sendNotice(n.phone, smsText(n));
        await repo.smsResult(t, n.id, clock.now());
        sent++;
      } catch {
        await repo.smsResult(t, n.id, null);
      }
    }
    return sent;
  });
}
