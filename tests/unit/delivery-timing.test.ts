/** When staff messages go out: quiet hours, the daily digest, and the relay's backoff. */
import { retryDelayMs, shouldRetry } from '../../activities/notifications/delivery/backoff';
import { releaseOf } from '../../db/notifications/deliveries';
import { DEFAULT_PREFERENCES } from '../../db/notifications/preferences';
import { minuteOfDay, nextDigestAt, quietHoursEnd } from '../../db/notifications/quiet-hours';
import type { CompiledWorkingHours } from '../../definitions/rules/business-time';

const day = (from: string, to: string) => [{ fromMinute: minuteOfDay(from)!, toMinute: minuteOfDay(to)! }];
/** shop.yaml's hours: Mon–Fri 08:00–17:30, Sat 08:00–12:00, Sunday closed, UTC+7; 2026-09-02 a day off. */
const hours: CompiledWorkingHours = {
  timezone: 'Asia/Ho_Chi_Minh',
  utcOffsetMinutes: 420,
  weekly: {
    sun: [],
    mon: day('08:00', '17:30'),
    tue: day('08:00', '17:30'),
    wed: day('08:00', '17:30'),
    thu: day('08:00', '17:30'),
    fri: day('08:00', '17:30'),
    sat: day('08:00', '12:00'),
  },
  daysOff: ['2026-09-02'],
};
/** A local (UTC+7) wall-clock time as an instant. */
const local = (text: string) => Date.parse(`${text}+07:00`);

describe('quiet hours', () => {
  test('When quiet hours are outside working hours, then a normal message at night waits for the next opening and one in working hours goes at once', () => {
    const quiet = { mode: 'outside-working-hours' as const };
    expect(quietHoursEnd(local('2026-12-03T10:00:00'), 'normal', quiet, hours)).toBe(local('2026-12-03T10:00:00'));
    expect(quietHoursEnd(local('2026-12-03T22:15:00'), 'normal', quiet, hours)).toBe(local('2026-12-04T08:00:00'));
    expect(quietHoursEnd(local('2026-12-03T06:59:00'), 'low', quiet, hours)).toBe(local('2026-12-03T08:00:00'));
    // Saturday afternoon → Monday morning (Sunday closed); a day off is skipped.
    expect(quietHoursEnd(local('2026-12-05T13:00:00'), 'normal', quiet, hours)).toBe(local('2026-12-07T08:00:00'));
    expect(quietHoursEnd(local('2026-09-01T18:00:00'), 'normal', quiet, hours)).toBe(local('2026-09-03T08:00:00'));
  });

  test('When the shop has no working time at all (no shop set up yet), then quiet hours outside working hours hold nothing and do not throw', () => {
    const closed: CompiledWorkingHours = { ...hours, weekly: { sun: [], mon: [], tue: [], wed: [], thu: [], fri: [], sat: [] } };
    const at = local('2026-12-03T22:15:00');
    expect(quietHoursEnd(at, 'normal', { mode: 'outside-working-hours' }, closed)).toBe(at);
  });

  test('When a message is urgent or quiet hours are off, then it goes at once', () => {
    expect(quietHoursEnd(local('2026-12-03T23:00:00'), 'urgent', { mode: 'outside-working-hours' }, hours)).toBe(
      local('2026-12-03T23:00:00'),
    );
    expect(quietHoursEnd(local('2026-12-03T23:00:00'), 'normal', { mode: 'off' }, hours)).toBe(local('2026-12-03T23:00:00'));
  });

  test('When custom quiet hours wrap past midnight, then messages inside them wait until their end, the same or the next morning', () => {
    const quiet = { mode: 'custom' as const, from: '21:00', to: '07:00' };
    expect(quietHoursEnd(local('2026-12-03T21:00:00'), 'normal', quiet, hours)).toBe(local('2026-12-04T07:00:00'));
    expect(quietHoursEnd(local('2026-12-04T03:30:00'), 'normal', quiet, hours)).toBe(local('2026-12-04T07:00:00'));
    expect(quietHoursEnd(local('2026-12-04T07:00:00'), 'normal', quiet, hours)).toBe(local('2026-12-04T07:00:00'));
    expect(quietHoursEnd(local('2026-12-04T20:59:00'), 'normal', quiet, hours)).toBe(local('2026-12-04T20:59:00'));
  });

  test('When custom quiet hours are within a day, then only that stretch is quiet', () => {
    const lunch = { mode: 'custom' as const, from: '12:00', to: '13:30' };
    expect(quietHoursEnd(local('2026-12-03T12:10:00'), 'normal', lunch, hours)).toBe(local('2026-12-03T13:30:00'));
    expect(quietHoursEnd(local('2026-12-03T13:30:00'), 'normal', lunch, hours)).toBe(local('2026-12-03T13:30:00'));
    expect(quietHoursEnd(local('2026-12-03T11:59:00'), 'normal', lunch, hours)).toBe(local('2026-12-03T11:59:00'));
  });

  test('When times are not HH:MM, then minuteOfDay says so', () => {
    expect(minuteOfDay('07:05')).toBe(425);
    expect(minuteOfDay('23:59')).toBe(1439);
    for (const bad of ['24:00', '7:05', '07:60', '0705', '']) expect(minuteOfDay(bad)).toBeUndefined();
  });
});

describe('daily digest', () => {
  test('When a low item comes before or after the digest time, then it waits for today’s or tomorrow’s digest', () => {
    expect(nextDigestAt(local('2026-12-03T06:00:00'), '08:00', 420)).toBe(local('2026-12-03T08:00:00'));
    expect(nextDigestAt(local('2026-12-03T08:00:00'), '08:00', 420)).toBe(local('2026-12-03T08:00:00'));
    expect(nextDigestAt(local('2026-12-03T08:01:00'), '08:00', 420)).toBe(local('2026-12-04T08:00:00'));
    expect(nextDigestAt(local('2026-12-03T23:30:00'), '00:15', 420)).toBe(local('2026-12-04T00:15:00'));
  });

  test('When a notification is low priority, then it is a digest item; normal ones follow quiet hours instead', () => {
    const at = local('2026-12-03T22:00:00');
    expect(releaseOf(at, 'low', DEFAULT_PREFERENCES, hours)).toEqual({ at: local('2026-12-04T08:00:00'), digest: true });
    expect(releaseOf(at, 'normal', DEFAULT_PREFERENCES, hours)).toEqual({ at: local('2026-12-04T08:00:00'), digest: false });
    expect(releaseOf(at, 'urgent', DEFAULT_PREFERENCES, hours)).toEqual({ at, digest: false });
  });
});

describe('retry backoff', () => {
  const policy = { maxAttempts: 6, baseMs: 30_000, maxMs: 3_600_000 };

  test('When attempts fail, then the wait doubles from the base, with jitter between half the cap and the cap, up to the maximum', () => {
    expect(retryDelayMs(1, policy, 0, () => 0)).toBe(15_000);
    expect(retryDelayMs(1, policy, 0, () => 1)).toBe(30_000);
    expect(retryDelayMs(2, policy, 0, () => 1)).toBe(60_000);
    expect(retryDelayMs(5, policy, 0, () => 1)).toBe(480_000);
    expect(retryDelayMs(20, policy, 0, () => 1)).toBe(3_600_000);
    expect(retryDelayMs(20, policy, 0, () => 0)).toBe(1_800_000);
    for (let i = 0; i < 100; i++) {
      const d = retryDelayMs(3, policy);
      expect(d).toBeGreaterThanOrEqual(60_000);
      expect(d).toBeLessThanOrEqual(120_000);
    }
  });

  test('When the provider asks to wait longer (retry_after), then its wait wins', () => {
    expect(retryDelayMs(1, policy, 90_000, () => 1)).toBe(90_000);
    expect(retryDelayMs(3, policy, 1_000, () => 1)).toBe(120_000);
  });

  test('When a failure is not retryable or attempts are used up, then the message is given up', () => {
    expect(shouldRetry(1, true, policy)).toBe(true);
    expect(shouldRetry(5, true, policy)).toBe(true);
    expect(shouldRetry(6, true, policy)).toBe(false);
    expect(shouldRetry(1, false, policy)).toBe(false);
  });
});
