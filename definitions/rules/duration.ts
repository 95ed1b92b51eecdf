/**
 * The one duration parser of shopflow. Definitions write SLAs and waits as `45s`, `30m`, `2h`,
 * `3d`, `1w`, compounds such as `1h30m`, or ISO 8601 (`PT2H`, `P1DT2H30M`); everything inside the
 * engine is milliseconds.
 *
 * Pure and free of I/O so workflow code may import it.
 */

/** A duration text that cannot be used; the message is written for the shop admin who typed it. */
export class DurationError extends Error {
  override readonly name = 'DurationError';
  constructor(
    readonly text: string,
    message: string,
  ) {
    super(message);
  }
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** Longer than a year is almost certainly a typo (and would overflow nothing useful). */
export const MAX_DURATION_MS = 366 * DAY;

/** Compact units, largest first; the order is also the order they must be written in. */
const COMPACT_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['w', WEEK],
  ['d', DAY],
  ['h', HOUR],
  ['m', MINUTE],
  ['s', SECOND],
  ['ms', 1],
];

const EXAMPLES = 'write it like 45s, 30m, 2h, 3d, 1w, 1h30m or ISO 8601 such as PT2H';

/**
 * Parses a duration into milliseconds.
 * @throws DurationError when the text is empty, negative, zero, unparsable or longer than a year.
 */
export function parseDuration(text: string): number {
  if (typeof text !== 'string') {
    throw new DurationError(String(text), `a duration must be text (${EXAMPLES}), not ${typeof text}`);
  }
  const trimmed = text.trim();
  if (trimmed === '') throw new DurationError(text, `the duration is empty — ${EXAMPLES}`);
  if (/^[-−]/.test(trimmed)) {
    throw new DurationError(text, `"${text}" is negative — a duration must be longer than zero`);
  }
  const ms = /^p/i.test(trimmed) ? parseIso(trimmed, text) : parseCompact(trimmed.toLowerCase(), text);
  if (ms <= 0) throw new DurationError(text, `"${text}" is zero — a duration must be longer than zero`);
  if (ms > MAX_DURATION_MS) {
    throw new DurationError(text, `"${text}" is longer than a year (366d), which is almost certainly a mistake`);
  }
  return ms;
}

function parseCompact(text: string, original: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) {
    throw new DurationError(original, `"${original}" has no unit — write ${text}m for minutes, ${text}h for hours or ${text}s for seconds`);
  }
  const token = /\s*(\d+(?:\.\d+)?)\s*(ms|w|d|h|m|s)/y;
  let total = 0;
  let lastRank = -1;
  let match: RegExpExecArray | null;
  while (token.lastIndex < text.length && (match = token.exec(text)) !== null) {
    const rank = COMPACT_UNITS.findIndex(([unit]) => unit === match![2]);
    if (rank <= lastRank) {
      throw new DurationError(original, `"${original}" repeats a unit or puts a smaller unit first — write e.g. 1h30m`);
    }
    lastRank = rank;
    total += Number(match[1]) * COMPACT_UNITS[rank][1];
  }
  if (lastRank === -1 || token.lastIndex !== text.length) {
    throw new DurationError(original, `"${original}" is not a duration — ${EXAMPLES}`);
  }
  return Math.round(total);
}

const ISO = new RegExp(
  '^P(?:(\\d+(?:[.,]\\d+)?)Y)?(?:(\\d+(?:[.,]\\d+)?)M)?(?:(\\d+(?:[.,]\\d+)?)W)?(?:(\\d+(?:[.,]\\d+)?)D)?' +
    '(?:T(?:(\\d+(?:[.,]\\d+)?)H)?(?:(\\d+(?:[.,]\\d+)?)M)?(?:(\\d+(?:[.,]\\d+)?)S)?)?$',
  'i',
);

function parseIso(text: string, original: string): number {
  const match = ISO.exec(text);
  // "P" alone, "PT" or a trailing "T" with nothing after it are not durations.
  if (!match || /T$/i.test(text) || match.slice(1).every((part) => part === undefined)) {
    throw new DurationError(original, `"${original}" is not a valid ISO 8601 duration — ${EXAMPLES}`);
  }
  const [, years, months, weeks, days, hours, minutes, seconds] = match;
  if (years !== undefined || months !== undefined) {
    throw new DurationError(original, `"${original}" uses years or months, which have no fixed length — use days (P30D) or weeks (P4W)`);
  }
  const num = (part: string | undefined): number => (part === undefined ? 0 : Number(part.replace(',', '.')));
  return Math.round(num(weeks) * WEEK + num(days) * DAY + num(hours) * HOUR + num(minutes) * MINUTE + num(seconds) * SECOND);
}

/** Formats milliseconds in the compact form the parser reads back, e.g. 5_400_000 → `1h30m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  let rest = Math.round(ms);
  if (rest === 0) return '0s';
  let out = '';
  for (const [unit, size] of COMPACT_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}
