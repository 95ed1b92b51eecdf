/** The daily digest: a person's held low-priority messages of one channel as one message. */
import type { OutgoingMessage } from '../channels/types';
import type { DeliveryRow } from './rows';

/** One message listing every row (oldest first), linking to the console. */
export function digestMessage(rows: DeliveryRow[]): OutgoingMessage {
  const first = rows[0]!;
  const items = rows.map((r) => ({ text: String(r.payload.text ?? ''), link: String(r.payload.link ?? '') }));
  let home = '';
  try {
    home = new URL('/', items[0]!.link).toString();
  } catch {
    home = items[0]?.link ?? '';
  }
  const lines = items.map((i) => `• ${i.text}${i.link ? ` — ${i.link}` : ''}`);
  return {
    id: first.id,
    audience: 'staff',
    channel: first.channel,
    address: first.address,
    template: null,
    payload: {
      ...first.payload,
      title: `Tóm tắt thông báo hôm nay (${rows.length})`,
      text: `${rows.length} thông báo ít gấp:\n${lines.join('\n')}`,
      link: home,
      digestOf: rows.map((r) => r.id),
    },
    priority: 'low',
    attempt: Math.max(...rows.map((r) => r.attempts)),
  };
}
