import type { FastifyBaseLogger } from 'fastify';

/** Sends SMS one-time codes. Production deployments plug in their carrier's gateway here. */
export interface SmsGateway {
  readonly name: string;
  sendCode(phone: string, code: string, ttlMinutes: number): Promise<void>;
  /** A short notice (a ticket's progress for a hotline caller without an account). */
  sendNotice(phone: string, text: string): Promise<void>;
}

/** Development gateway: writes the code to the server log instead of sending it. */
export function logSmsGateway(log: Pick<FastifyBaseLogger, 'info'>): SmsGateway {
  return {
    name: 'log',
    async sendCode(phone, code, ttlMinutes) {
      log.info(
        { phone, code, ttlMinutes },
        `[dev SMS] 验证码 ${code} 发送至 ${phone}（${ttlMinutes} 分钟内有效）`,
      );
    },
    async sendNotice(phone, text) {
      log.info({ phone, text }, `[dev SMS] ${phone}: ${text}`);
    },
  };
}

/** Test gateway: remembers what it sent. */
export function memorySmsGateway(): SmsGateway & {
  sent: { phone: string; code: string }[];
  notices: { phone: string; text: string }[];
} {
  const sent: { phone: string; code: string }[] = [];
  const notices: { phone: string; text: string }[] = [];
  return {
    name: 'memory',
    sent,
    notices,
    async sendCode(phone, code) {
      sent.push({ phone, code });
    },
    async sendNotice(phone, text) {
      notices.push({ phone, text });
    },
  };
}
