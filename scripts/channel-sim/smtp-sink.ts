/**
 * A local SMTP server (the `smtp-server` package) that accepts every mail and keeps it: the
 * receiving end for `npm start` (mails are logged and listed at the simulator's /__sim/messages)
 * and for tests. No TLS, no authentication: loopback only.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { MessageStore } from './store';

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>` for SMTP_URL. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Decodes quoted-printable text parts enough to read them (soft line breaks, =XX bytes). */
function readableBody(raw: string): string {
  const [, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  return /quoted-printable/i.test(raw)
    ? Buffer.from(
        body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      ).toString('utf8')
    : body;
}

export async function startSmtpSink(
  store: MessageStore,
  opts: { port?: number; host?: string; onMail?: (to: string, subject: string) => void } = {},
): Promise<SmtpSink> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'shopflow SMTP sink',
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
        const subject = /^Subject: (.*)$/im.exec(raw)?.[1]?.trim() ?? '';
        const messageId = /^Message-ID: (.*)$/im.exec(raw)?.[1]?.trim() ?? '';
        store.add(
          {
            channel: 'email',
            to,
            text: readableBody(raw),
            body: { raw, subject, from: session.envelope.mailFrom && session.envelope.mailFrom.address },
          },
          messageId,
        );
        opts.onMail?.(to, subject);
        callback(null, `Message queued as ${messageId || 'sink'}`);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server as unknown as { server: { address(): AddressInfo } }).server.address().port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
