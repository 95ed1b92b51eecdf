/**
 * E-mail over SMTP with nodemailer (SMTP_URL, SMTP_FROM). The message id is stable per delivery
 * (`<delivery-<id>@…>`), so a retry after a lost answer is recognisable as the same mail. An SMTP
 * reply the server gives for good (5xx) is not retried; 4xx replies and connection failures are.
 */
import { createTransport } from 'nodemailer';
import type { ChannelDeps, ChannelSender, OutgoingMessage, SendResult } from './types';
import { messageParts, truncatedAnswer } from './http';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function emailChannel(deps: ChannelDeps): ChannelSender {
  const { smtpUrl, smtpFrom } = deps.settings;
  const transport = smtpUrl
    ? createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000 } as never)
    : undefined;
  const domain = (() => {
    try {
      return new URL(deps.settings.publicUrl).hostname || 'shopflow.local';
    } catch {
      return 'shopflow.local';
    }
  })();
  return {
    channel: 'email',
    async send(message: OutgoingMessage): Promise<SendResult> {
      if (!transport) return { ok: false, retryable: false, answer: 'e-mail is not set up: SMTP_URL is not set' };
      const { title, text, link } = messageParts(message.payload);
      try {
        const info = await transport.sendMail({
          from: smtpFrom,
          to: message.address,
          subject: title,
          messageId: `<delivery-${message.id}@${domain}>`,
          text: `${text}\n\nMở trên shopflow: ${link}\n`,
          html: `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p><p><a href="${escapeHtml(link)}">Mở trên shopflow</a></p>`,
        });
        const reply = String(info.response ?? '');
        return { ok: true, providerMessageId: info.messageId, providerStatus: reply.slice(0, 3), answer: truncatedAnswer(reply) };
      } catch (err) {
        const e = err as { code?: string; responseCode?: number; response?: string; permanent?: boolean; message?: string };
        const permanent = e.permanent === true || e.code === 'EAUTH' || e.code === 'EENVELOPE' || e.code === 'ECONFIG';
        return {
          ok: false,
          retryable: !permanent,
          providerStatus: e.responseCode ? String(e.responseCode) : e.code,
          answer: truncatedAnswer(e.response ?? `${e.code ?? ''} ${e.message ?? String(err)}`.trim()),
        };
      }
    },
  };
}
