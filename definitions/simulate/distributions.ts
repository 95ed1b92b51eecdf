/**
 * The shop's measured distributions, built once from its history: task durations per role, stage
 * and local hour; outcomes per stage; courier transit times and verdicts per courier and
 * province. Each draw takes one recorded sample at random (the empirical distribution), falling
 * back to a coarser group, then to the stated assumptions, when the finer one has no sample.
 */
import type { CourierOutcome } from '../types';
import type { Assumptions, SimulationHistory } from './types';

const MINUTE = 60_000;
/** Used when neither the history nor the assumptions say how long a task takes. */
const DEFAULT_TASK_MS = 30 * MINUTE;
const DEFAULT_TRANSIT_HOURS = 48;

export interface Distributions {
  /** How long a task of this role and stage, opened at this local hour, takes (ms). */
  taskDuration(role: string, stage: string, hour: number, random: () => number): number;
  /** An outcome of a stage as staff chose them, among `allowed` (undefined: never measured). */
  stageOutcome(stage: string, allowed: readonly string[], random: () => number): string | undefined;
  /** A parcel's transit time and verdict at this courier, to this province. */
  transit(courier: string, province: string | undefined, random: () => number): { durationMs: number; outcome: CourierOutcome };
  /** Where the history was thin (Vietnamese, for the report). */
  readonly notes: ReadonlySet<string>;
}

/** Province names compare as conditions compare text: NFC, trimmed, case-insensitive. */
export const provinceKey = (p: string | null | undefined) => (p ?? '').normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

const pick = <T>(list: readonly T[], random: () => number): T => list[Math.min(list.length - 1, Math.floor(random() * list.length))]!;

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function measureDistributions(history: Pick<SimulationHistory, 'tasks' | 'transits'>, assumptions?: Assumptions): Distributions {
  const byHour = new Map<string, number[]>();
  const byStage = new Map<string, number[]>();
  const byRole = new Map<string, number[]>();
  const outcomes = new Map<string, string[]>();
  for (const t of history.tasks) {
    if (!(t.durationMs >= 0)) continue;
    push(byHour, `${t.role}\u0000${t.stage}\u0000${t.hour}`, t.durationMs);
    push(byStage, `${t.role}\u0000${t.stage}`, t.durationMs);
    push(byRole, t.role, t.durationMs);
    if (t.outcome !== null) push(outcomes, t.stage, t.outcome);
  }
  const transitBy = new Map<string, Array<{ durationMs: number; outcome: CourierOutcome }>>();
  const transitByCourier = new Map<string, Array<{ durationMs: number; outcome: CourierOutcome }>>();
  const allTransits: Array<{ durationMs: number; outcome: CourierOutcome }> = [];
  for (const s of history.transits) {
    const sample = { durationMs: s.durationMs, outcome: s.outcome };
    push(transitBy, `${s.courier}\u0000${provinceKey(s.province)}`, sample);
    push(transitByCourier, s.courier, sample);
    allTransits.push(sample);
  }
  const notes = new Set<string>();
  const assumedTaskMs = assumptions ? assumptions.minutesPerTask * MINUTE : undefined;
  const assumedTransitMs = (assumptions?.transitHours ?? DEFAULT_TRANSIT_HOURS) * 3_600_000;
  const outcomeCache = new Map<string, WeakMap<readonly string[], string[]>>();

  return {
    notes,
    taskDuration(role, stage, hour, random) {
      const samples = byHour.get(`${role}\u0000${stage}\u0000${hour}`) ?? byStage.get(`${role}\u0000${stage}`);
      if (samples) return pick(samples, random);
      const roleSamples = byRole.get(role);
      if (roleSamples) {
        notes.add(`bước "${stage}" (${role}) chưa có lịch sử: dùng thời gian các việc khác của ${role}`);
        return pick(roleSamples, random);
      }
      if (assumedTaskMs !== undefined) return assumedTaskMs;
      notes.add(`${role} chưa có lịch sử việc: giả định mỗi việc ${DEFAULT_TASK_MS / MINUTE} phút`);
      return DEFAULT_TASK_MS;
    },
    stageOutcome(stage, allowed, random) {
      // Keyed by the allowed list itself: the engine passes the same array for a stage every visit.
      let byAllowed = outcomeCache.get(stage);
      if (!byAllowed) outcomeCache.set(stage, (byAllowed = new WeakMap()));
      let usable = byAllowed.get(allowed);
      if (!usable) {
        usable = (outcomes.get(stage) ?? []).filter((o) => allowed.includes(o));
        byAllowed.set(allowed, usable);
      }
      return usable.length ? pick(usable, random) : undefined;
    },
    transit(courier, province, random) {
      const samples = transitBy.get(`${courier}\u0000${provinceKey(province)}`) ?? transitByCourier.get(courier);
      if (samples) return pick(samples, random);
      if (allTransits.length) {
        notes.add(`hãng ${courier} chưa có lịch sử giao: dùng thời gian giao của các hãng khác`);
        return pick(allTransits, random);
      }
      notes.add(`chưa có lịch sử giao hàng: giả định giao xong sau ${assumedTransitMs / 3_600_000} giờ`);
      return { durationMs: assumedTransitMs, outcome: 'delivered' };
    },
  };
}
