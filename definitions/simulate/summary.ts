/**
 * The differences between the two versions, in numbers and in plain Vietnamese for the shop
 * owner: what the candidate changes (stages added or removed, SLAs, conditions) and what that
 * does (tasks per role per day, hours a role would be overloaded, delivery time, breaches, COD).
 */
import type { CompiledCondition, FieldTest } from '../rules/conditions';
import type { CompiledOrderProcess, CompiledStage } from '../types';
import type { Difference, VersionReport } from './types';

const FIELD_WORDS: Record<string, string> = {
  'order.codAmount': 'COD',
  'order.total': 'giá trị đơn',
  'order.channel': 'kênh',
  'order.province': 'tỉnh',
  'order.weightGrams': 'cân nặng (g)',
  'customer.segment': 'khách',
  'customer.returnRate': 'tỉ lệ hoàn',
  'customer.isReturning': 'khách quay lại',
};
const OP_WORDS: Record<string, string> = { eq: '=', ne: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤', in: 'thuộc', notIn: 'không thuộc' };
const MONEY_FIELDS = new Set(['order.codAmount', 'order.total']);

/** 3000000 → `3 triệu`, 500000 → `500 nghìn`. */
export function moneyWords(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const a = Math.abs(amount);
  const trim = (n: number) => String(Math.round(n * 10) / 10).replace('.', ',');
  if (a >= 1e9) return `${sign}${trim(a / 1e9)} tỷ`;
  if (a >= 1e6) return `${sign}${trim(a / 1e6)} triệu`;
  if (a >= 1e3) return `${sign}${trim(a / 1e3)} nghìn`;
  return `${sign}${a}đ`;
}

/** A duration in the words of a shop (`30 phút`, `2 giờ`, `3 ngày`). */
export function durationWords(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return minutes >= 1 ? `${minutes} phút` : `${Math.round(ms / 1000)} giây`;
  if (minutes < 24 * 60 || minutes % (24 * 60) !== 0) return `${Math.round((minutes / 60) * 10) / 10} giờ`.replace('.', ',');
  return `${minutes / (24 * 60)} ngày`;
}

function testWords(test: FieldTest): string {
  const field = FIELD_WORDS[test.field] ?? test.field;
  const show = (v: unknown) =>
    MONEY_FIELDS.has(test.field) && typeof v === 'number' ? moneyWords(v) : typeof v === 'number' ? String(v).replace('.', ',') : String(v);
  const value = Array.isArray(test.value) ? test.value.map(show).join(', ') : show(test.value);
  return `${field} ${OP_WORDS[test.op] ?? test.op} ${value}`;
}

/** A stage's `when` as words: `COD ≥ 3 triệu`, `khách thuộc vip`. */
export function conditionWords(condition: CompiledCondition): string {
  const parts = condition.all.map(testWords);
  if (condition.any.length) parts.push(`(${condition.any.map(conditionWords).join(' hoặc ')})`);
  return parts.join(' và ');
}

/**
 * A value as text with object keys sorted: a stored version's compiled form comes back from
 * PostgreSQL's jsonb with its keys reordered, so written order must not count as a change.
 */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const slaOf = (s: CompiledStage) => (s.kind === 'human' ? s.slaMs : s.kind === 'courier' ? s.deliverySlaMs : undefined);

/** What the candidate changes in the process, as short phrases. */
export function describeChanges(active: CompiledOrderProcess, candidate: CompiledOrderProcess): string[] {
  const changes: string[] = [];
  for (const stage of Object.values(candidate.stages)) {
    const before = Object.hasOwn(active.stages, stage.id) ? active.stages[stage.id] : undefined;
    const when = stage.kind !== 'end' && stage.when ? ` cho đơn ${conditionWords(stage.when)}` : '';
    if (!before) {
      if (stage.kind !== 'end') changes.push(`thêm bước ${stage.title.toLocaleLowerCase('vi')}${when}`);
      continue;
    }
    const [was, now] = [slaOf(before), slaOf(stage)];
    if (was !== undefined && now !== undefined && was !== now)
      changes.push(`SLA ${stage.title.toLocaleLowerCase('vi')}: ${durationWords(was)} → ${durationWords(now)}`);
    const beforeWhen = before.kind !== 'end' ? canonical(before.when ?? null) : 'null';
    if (stage.kind !== 'end' && canonical(stage.when ?? null) !== beforeWhen)
      changes.push(
        stage.when
          ? `bước ${stage.title.toLocaleLowerCase('vi')} nay${when}`
          : `bước ${stage.title.toLocaleLowerCase('vi')} nay cho mọi đơn`,
      );
    if (stage.kind === 'human' && before.kind === 'human' && stage.role !== before.role)
      changes.push(`bước ${stage.title.toLocaleLowerCase('vi')} chuyển từ ${before.role} sang ${stage.role}`);
    if ((stage.kind === 'human' || stage.kind === 'courier') && (before.kind === 'human' || before.kind === 'courier')) {
      if (canonical(stage.escalate) !== canonical(before.escalate))
        changes.push(`đổi thang nhắc việc bước ${stage.title.toLocaleLowerCase('vi')}`);
    }
    if (stage.kind === 'courier' && before.kind === 'courier' && canonical(stage.courier) !== canonical(before.courier))
      changes.push('đổi quy tắc chọn hãng vận chuyển');
  }
  for (const stage of Object.values(active.stages)) {
    if (!Object.hasOwn(candidate.stages, stage.id) && stage.kind !== 'end') changes.push(`bỏ bước ${stage.title.toLocaleLowerCase('vi')}`);
  }
  return changes;
}

const signed = (n: number, digits = 0) => {
  const r = digits ? Math.round(n * 10 ** digits) / 10 ** digits : Math.round(n);
  return `${r > 0 ? '+' : ''}${String(r).replace('.', ',')}`;
};

function diff(metric: string, active: number | null, candidate: number | null, text: string): Difference {
  return { metric, active, candidate, delta: active === null || candidate === null ? null : candidate - active, text };
}

/** The numeric differences (candidate − active), each with a sentence; only those that differ. */
export function differences(active: VersionReport, candidate: VersionReport): Difference[] {
  const out: Difference[] = [];
  const roles = new Map([...active.workload, ...candidate.workload].map((w) => [w.role, w.title]));
  for (const [role, title] of roles) {
    const a = active.workload.find((w) => w.role === role)?.tasksPerDay ?? 0;
    const c = candidate.workload.find((w) => w.role === role)?.tasksPerDay ?? 0;
    // A small shop's change can be a few tasks a week: shown to the hundredth below a tenth a day.
    if (Math.abs(c - a) >= 0.005)
      out.push(diff(`tasksPerDay.${role}`, a, c, `${signed(c - a, Math.abs(c - a) < 0.1 ? 2 : 1)} việc ${title}/ngày`));
    const wasOver = active.workload.find((w) => w.role === role)?.overloaded.join(', ') ?? '';
    const isOver = candidate.workload.find((w) => w.role === role)?.overloaded.join(', ') ?? '';
    if (isOver && isOver !== wasOver) out.push(diff(`overloaded.${role}`, null, null, `${title} quá tải ${isOver}`));
    if (!isOver && wasOver) out.push(diff(`overloaded.${role}`, null, null, `${title} hết quá tải (trước: ${wasOver})`));
  }
  const sum = (r: VersionReport, f: (x: VersionReport) => Array<{ n: number }>) => f(r).reduce((s, x) => s + x.n, 0);
  const breaches = (r: VersionReport) => sum(r, (x) => x.slaBreaches.map((b) => ({ n: b.breaches })));
  const escalations = (r: VersionReport) => sum(r, (x) => x.escalations.map((e) => ({ n: e.count })));
  if (breaches(candidate) !== breaches(active))
    out.push(diff('slaBreaches', breaches(active), breaches(candidate), `${signed(breaches(candidate) - breaches(active))} lần trễ SLA`));
  if (escalations(candidate) !== escalations(active))
    out.push(
      diff(
        'escalations',
        escalations(active),
        escalations(candidate),
        `${signed(escalations(candidate) - escalations(active))} lần nhắc/leo thang`,
      ),
    );
  const [am, cm] = [active.timeToDeliveryHours.median, candidate.timeToDeliveryHours.median];
  if (am !== null && cm !== null && am !== cm)
    out.push(diff('timeToDelivery.median', am, cm, `thời gian tới tay khách (trung vị) ${signed(cm - am, 1)} giờ`));
  const [ap, cp] = [active.timeToDeliveryHours.p90, candidate.timeToDeliveryHours.p90];
  if (ap !== null && cp !== null && ap !== cp) out.push(diff('timeToDelivery.p90', ap, cp, `p90 thời gian giao ${signed(cp - ap, 1)} giờ`));
  if (candidate.finished !== active.finished)
    out.push(diff('finished', active.finished, candidate.finished, `${signed(candidate.finished - active.finished)} đơn xong trong kỳ`));
  if (candidate.codAtRisk.amount !== active.codAtRisk.amount)
    out.push(
      diff(
        'codAtRisk',
        active.codAtRisk.amount,
        candidate.codAtRisk.amount,
        `COD rủi ro ${candidate.codAtRisk.amount > active.codAtRisk.amount ? '+' : '-'}${moneyWords(Math.abs(candidate.codAtRisk.amount - active.codAtRisk.amount))}`,
      ),
    );
  const couriers = new Set([...active.courierMix, ...candidate.courierMix].map((c) => c.courier));
  for (const courier of couriers) {
    const a = active.courierMix.find((c) => c.courier === courier)?.shipments ?? 0;
    const c = candidate.courierMix.find((x) => x.courier === courier)?.shipments ?? 0;
    if (a !== c) out.push(diff(`courierMix.${courier}`, a, c, `${signed(c - a)} đơn đi ${courier}`));
  }
  return out;
}

/** The plain-language summary: what changes, then what it does. */
export function summaryLines(changes: string[], diffs: Difference[], days: number): string[] {
  const what = changes.length ? changes.join('; ') : 'không đổi quy trình';
  if (!diffs.length) return [`${what}: không thấy khác biệt trên ${days} ngày lịch sử`];
  const first = diffs.filter((d) => d.metric.startsWith('tasksPerDay.') || d.metric.startsWith('overloaded.')).map((d) => d.text);
  const rest = diffs.filter((d) => !d.metric.startsWith('tasksPerDay.') && !d.metric.startsWith('overloaded.')).map((d) => d.text);
  const lines = [`${what}: ${(first.length ? first : rest.splice(0, 2)).join(', ')}`];
  if (rest.length) lines.push(rest.join(', '));
  return lines;
}
