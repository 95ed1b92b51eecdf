/**
 * `POST /definitions/simulate`: what a candidate order process would have done on the shop's own
 * history. Checks the request (window, assumptions, the candidate YAML against the active shop),
 * reads the window's history (db/simulate) and runs the pure simulator (definitions/simulate)
 * for the candidate and the active version side by side.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Db } from '../../db/client';
import { MAX_ARRIVALS, readSimulationHistory } from '../../db/simulate/history';
import { ownEntry } from '../../definitions/rules/own';
import { NoHistory, simulateWhatIf } from '../../definitions/simulate/simulate';
import type { SimulationReport } from '../../definitions/simulate/types';
import type { CompiledOrderProcess } from '../../definitions/types';
import { HttpError, unprocessable } from '../http/errors';
import type { DefinitionsStore } from './definitions';

const DAY = 86_400_000;
/** The longest history window a simulation reads. */
export const MAX_WINDOW_DAYS = 366;

export const SimulateBody = Type.Object(
  {
    definition: Type.String({
      minLength: 1,
      description: 'The candidate OrderProcess as YAML (what `POST /definitions/validate` takes), as a JSON string.',
    }),
    weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 52, description: 'The last N weeks up to now (default 4 when no from/to).' })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Start of the window (with `to`, instead of `weeks`).' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'End of the window (exclusive).' })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4_294_967_295, description: 'Same seed, same answer (default 1).' })),
    assumptions: Type.Optional(
      Type.Object(
        {
          ordersPerDay: Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }),
          minutesPerTask: Type.Number({ exclusiveMinimum: 0, maximum: 1440 }),
          transitHours: Type.Optional(Type.Number({ minimum: 0, maximum: 2400 })),
          staff: Type.Optional(
            Type.Record(Type.String(), Type.Integer({ minimum: 0, maximum: 10_000 }), {
              description: 'People per role (role id → count) during working hours.',
            }),
          ),
        },
        {
          additionalProperties: false,
          description:
            'For a shop without history: arrivals per working day, minutes per task, hours in transit. Also fill gaps in a thin history.',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type SimulateBody = Static<typeof SimulateBody>;

/**
 * The same request with the candidate sent as the YAML body, as `POST /definitions/validate`
 * takes it: the window and the seed then come as query parameters (assumptions need the JSON form).
 */
export const SimulateQuery = Type.Object({
  weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 52, description: 'With a YAML body: the last N weeks up to now (default 4).' })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'With a YAML body: start of the window (with `to`).' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'With a YAML body: end of the window (exclusive).' })),
  seed: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 4_294_967_295, description: 'With a YAML body: same seed, same answer (default 1).' }),
  ),
});

const fieldError = (field: string, message: string) => unprocessable('the request body is invalid', { fields: [{ field, message }] });

/** The history window a request names: `weeks` back from now, or from/to; refused with the field that is wrong. */
export function windowOf(body: SimulateBody, now: number): { from: number; to: number } {
  if (body.weeks !== undefined && (body.from !== undefined || body.to !== undefined))
    throw fieldError('weeks', 'chọn weeks hoặc from/to, không cả hai (give weeks or from/to, not both)');
  if ((body.from === undefined) !== (body.to === undefined))
    throw fieldError(body.from === undefined ? 'from' : 'to', 'from và to đi cùng nhau (from and to go together)');
  if (body.from !== undefined && body.to !== undefined) {
    const from = Date.parse(body.from);
    const to = Date.parse(body.to);
    if (!(to > from)) throw fieldError('to', 'to phải sau from (to must be after from)');
    if (to - from > MAX_WINDOW_DAYS * DAY)
      throw fieldError('from', `khoảng lịch sử tối đa ${MAX_WINDOW_DAYS} ngày (at most ${MAX_WINDOW_DAYS} days)`);
    return { from, to };
  }
  const weeks = body.weeks ?? 4;
  return { from: now - weeks * 7 * DAY, to: now };
}

export function createSimulationService(deps: { db: Db; definitions: DefinitionsStore }) {
  return {
    async simulate(body: SimulateBody, now = Date.now()): Promise<SimulationReport> {
      const window = windowOf(body, now);
      const loaded = await deps.definitions.validate(body.definition, 'candidate.yaml');
      if (!loaded.ok) {
        throw new HttpError(422, 'invalid_definition', `the candidate definition has ${loaded.errors.length} error(s)`, {
          fields: [{ field: 'definition', message: loaded.errors[0]!.message }],
          errors: loaded.errors.map(({ path, line, col, message }) => ({ path, line, col, message })),
        });
      }
      if (loaded.value.kind !== 'OrderProcess')
        throw fieldError('definition', `chỉ mô phỏng được quy trình đơn (kind: OrderProcess), không phải ${loaded.value.kind}`);
      const candidate = loaded.value;
      const active =
        (await deps.definitions.activeNamed<CompiledOrderProcess>(candidate.name, 'OrderProcess')) ??
        (await deps.definitions.activeOfKind<CompiledOrderProcess>('OrderProcess'));
      if (!active)
        throw fieldError('definition', 'chưa có quy trình đơn nào đang chạy để so sánh (no active order process to compare with)');
      const shop = (await deps.definitions.activeShop())!;
      for (const role of Object.keys(body.assumptions?.staff ?? {})) {
        if (!ownEntry(shop.roles, role))
          throw fieldError(`assumptions.staff.${role}`, `không có vai trò "${role}" trong cửa hàng (no such role)`);
      }
      const days = Math.max(1, Math.round((window.to - window.from) / DAY));
      if (body.assumptions && body.assumptions.ordersPerDay * days > MAX_ARRIVALS)
        throw fieldError(
          'assumptions.ordersPerDay',
          `tối đa ${MAX_ARRIVALS} đơn mỗi lần mô phỏng: ${body.assumptions.ordersPerDay} đơn/ngày × ${days} ngày là quá nhiều (at most ${MAX_ARRIVALS} orders per simulation)`,
        );
      const history = await readSimulationHistory(deps.db, window, active.compiled.workingHours);
      try {
        const report = await simulateWhatIf({
          candidate: { process: candidate, name: candidate.name, version: null, title: candidate.title },
          active: { process: active.compiled, name: active.name, version: active.version, title: active.compiled.title },
          history,
          seed: body.seed ?? 1,
          ...(body.assumptions ? { assumptions: body.assumptions } : {}),
          roleTitles: Object.fromEntries(Object.values(shop.roles).map((r) => [r.id, r.title])),
        });
        if (history.arrivals.length >= MAX_ARRIVALS)
          report.notes.unshift(`chỉ mô phỏng ${MAX_ARRIVALS} đơn đầu tiên của khoảng lịch sử: hãy chọn khoảng ngắn hơn`);
        return report;
      } catch (err) {
        if (err instanceof NoHistory) throw fieldError('assumptions', err.message);
        throw err;
      }
    },
  };
}

export type SimulationService = ReturnType<typeof createSimulationService>;
