import { DurationError, formatDuration, parseDuration } from '../../../definitions/rules/duration';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseDuration', () => {
  it.each([
    ['2s', 2 * S],
    ['45s', 45 * S],
    ['30m', 30 * M],
    ['2h', 2 * H],
    ['3d', 3 * D],
    ['1w', 7 * D],
    ['1h30m', 90 * M],
    ['1d12h', 36 * H],
    ['1h 30m', 90 * M],
    ['1.5h', 90 * M],
    ['500ms', 500],
    [' 2H ', 2 * H],
    ['PT2H', 2 * H],
    ['P3D', 3 * D],
    ['P1DT2H30M', D + 2 * H + 30 * M],
    ['PT90S', 90 * S],
    ['PT0.5S', 500],
    ['P2W', 14 * D],
    ['pt15m', 15 * M],
  ])('When given %j, then it is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['-5m', /negative/],
    ['0s', /zero/],
    ['PT0S', /zero/],
    ['30', /no unit — write 30m for minutes/],
    ['soon', /not a duration/],
    ['2 hours', /not a duration/],
    ['30m1h', /smaller unit first/],
    ['1h1h', /repeats a unit/],
    ['P', /not a valid ISO 8601 duration/],
    ['PT', /not a valid ISO 8601 duration/],
    ['P1DT', /not a valid ISO 8601 duration/],
    ['P1M', /months, which have no fixed length/],
    ['P1Y', /years or months/],
    ['400d', /longer than a year/],
  ])('When given %j, then it throws a DurationError saying %s', (text, message) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
    expect(() => parseDuration(text)).toThrow(message);
  });

  it('When given something that is not text, then it throws a DurationError', () => {
    expect(() => parseDuration(30 as unknown as string)).toThrow(DurationError);
  });
});

describe('formatDuration', () => {
  it.each([
    [90 * M, '1h30m'],
    [2 * S, '2s'],
    [3 * D, '3d'],
    [8 * D, '1w1d'],
    [1500, '1s500ms'],
    [0, '0s'],
  ])('When given %d ms, then it writes %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('When a formatted duration is parsed again, then the milliseconds are unchanged', () => {
    for (const ms of [1, 999, 61 * S, 25 * H + 1, 13 * D + 7 * M]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
