import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  /** Stable per notification so a rare resend after a crash carries the same Message-ID. */
  idempotencyKey: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** SMTP through nodemailer. SMTP_URL like smtp://user:pass@host:587 or smtps://…:465. */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  // Pooled: the dispatcher sends row after row, and one SMTP session per message (connect, EHLO, QUIT)
  // made it lag behind a busy day's outbox (docs/reliability.md). `?pool=false` in the URL turns it off.
  const transport = nodemailer.createTransport({ url: smtpUrl, pool: true });
  return {
    async send(m) {
      const hash = createHash('sha256').update(m.idempotencyKey).digest('hex').slice(0, 32);
      await transport.sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        ...(m.html ? { html: m.html } : {}),
        messageId: `<${hash}@shtab>`,
        headers: { 'X-Shtab-Notification': m.idempotencyKey },
      });
    },
    close: () => transport.close(),
  };
}
