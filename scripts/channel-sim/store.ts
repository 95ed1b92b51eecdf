/** What the channel simulator received, and the faults a test armed. */

/** One message as a provider received it. */
export interface ReceivedMessage {
  channel: 'telegram' | 'zalo' | 'email';
  /** Chat id, Zalo user id, or the e-mail's recipients. */
  to: string;
  text: string;
  /** The request body as sent (Telegram/Zalo JSON), or the e-mail's raw source. */
  body: unknown;
  /** The provider's id given back. */
  messageId: string;
  at: string;
}

/** The next `count` requests to `channel` get `status` (Telegram: its error shape; Zalo: HTTP 5xx). */
export interface ArmedFault {
  channel: 'telegram' | 'zalo';
  status: number;
  count: number;
  /** With 429: Telegram's `parameters.retry_after` (seconds). */
  retryAfter?: number;
}

export function createMessageStore() {
  const messages: ReceivedMessage[] = [];
  let faults: ArmedFault[] = [];
  let seq = 0;
  return {
    add(m: Omit<ReceivedMessage, 'at' | 'messageId'>, messageId?: string): ReceivedMessage {
      const full = { ...m, messageId: messageId ?? String(++seq), at: new Date().toISOString() };
      messages.push(full);
      return full;
    },
    nextId: () => ++seq,
    all: () => [...messages],
    clear() {
      messages.length = 0;
    },
    arm(fault: ArmedFault) {
      faults = faults.filter((f) => f.channel !== fault.channel).concat(fault);
    },
    faults: () => [...faults],
    /** Takes one armed fault for a request to `channel`, if any. */
    takeFault(channel: ArmedFault['channel']): ArmedFault | undefined {
      const f = faults.find((x) => x.channel === channel && x.count > 0);
      if (!f) return undefined;
      f.count -= 1;
      return f;
    },
  };
}
export type MessageStore = ReturnType<typeof createMessageStore>;
