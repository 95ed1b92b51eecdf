/**
 * What happens to a parcel after the simulator accepts it: a timeline in simulated days, each
 * step in GHN's words and, where GHTK has one, in GHTK's (`status_id`, `reason_code`).
 */

export const SCENARIOS = ['normal', 'late', 'fail-then-deliver', 'return', 'partial-return', 'lost', 'manual'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface ScenarioStep {
  /** Simulated days after creation. */
  day: number;
  ghn: string;
  /** GHTK's equivalent; absent when GHTK reports nothing for this step (it has no "transporting"). */
  ghtk?: { statusId: string; reasonCode?: string };
  /** The courier's explanation (failed delivery, return). */
  reason?: string;
  /**
   * A partial delivery: the customer keeps part of the parcel (see `partialReturnOf`). GHN then
   * sends `IsPartialReturn: true`, the `PartialReturnCode` of the return order and the COD it
   * collected; GHTK sends `return_part_package=1` and the collected `pick_money`.
   */
  partial?: boolean;
}

const accepted: ScenarioStep = { day: 0, ghn: 'ready_to_pick', ghtk: { statusId: '2' } };
const pickUp: ScenarioStep[] = [
  { day: 0.25, ghn: 'picking', ghtk: { statusId: '12' } },
  { day: 0.5, ghn: 'picked', ghtk: { statusId: '3' } },
  { day: 1, ghn: 'transporting' },
];

/** The timelines; `manual` only accepts the parcel and waits for `/__sim/shipments/:code/advance`. */
export const SCENARIO_STEPS: Readonly<Record<ScenarioName, readonly ScenarioStep[]>> = {
  normal: [
    accepted,
    ...pickUp,
    { day: 1.75, ghn: 'delivering', ghtk: { statusId: '4' } },
    { day: 2, ghn: 'delivered', ghtk: { statusId: '5' } },
  ],
  late: [
    accepted,
    { day: 0.5, ghn: 'picking', ghtk: { statusId: '12' } },
    { day: 1, ghn: 'picked', ghtk: { statusId: '3' } },
    { day: 1.5, ghn: 'transporting' },
    { day: 3, ghn: 'sorting' },
    { day: 4.75, ghn: 'delivering', ghtk: { statusId: '4' } },
    { day: 5, ghn: 'delivered', ghtk: { statusId: '5' } },
  ],
  // GHTK reports a failed attempt that will be retried as "delivery delayed" (10), not as
  // "could not deliver" (9), which it keeps for parcels going back.
  'fail-then-deliver': [
    accepted,
    ...pickUp,
    { day: 1.75, ghn: 'delivering', ghtk: { statusId: '4' } },
    { day: 2, ghn: 'delivery_fail', ghtk: { statusId: '10', reasonCode: '122' }, reason: 'Không gọi được cho người nhận hàng' },
    { day: 2.75, ghn: 'delivering', ghtk: { statusId: '4' } },
    { day: 3, ghn: 'delivered', ghtk: { statusId: '5' } },
  ],
  return: [
    accepted,
    ...pickUp,
    { day: 1.75, ghn: 'delivering', ghtk: { statusId: '4' } },
    { day: 2, ghn: 'delivery_fail', ghtk: { statusId: '9', reasonCode: '130' }, reason: 'Người nhận không đồng ý nhận sản phẩm' },
    { day: 2.5, ghn: 'waiting_to_return' },
    { day: 3, ghn: 'returning', ghtk: { statusId: '20' } },
    { day: 4, ghn: 'returned', ghtk: { statusId: '21' } },
  ],
  // "Giao 1 phần, trả 1 phần": delivered, with the rest of the parcel on its way back (GHN carries
  // it under a new order code, so this parcel's own reports end at delivered).
  'partial-return': [
    accepted,
    ...pickUp,
    { day: 1.75, ghn: 'delivering', ghtk: { statusId: '4' } },
    { day: 2, ghn: 'delivered', ghtk: { statusId: '5' }, reason: 'Khách nhận một phần hàng, phần còn lại hoàn về shop', partial: true },
  ],
  lost: [accepted, ...pickUp, { day: 3, ghn: 'lost', ghtk: { statusId: '13' } }],
  manual: [accepted],
};

export function isScenario(value: unknown): value is ScenarioName {
  return typeof value === 'string' && (SCENARIOS as readonly string[]).includes(value);
}

/** The scenario a note asks for (`… [sim:late] …`), else the default. */
export function scenarioOf(note: unknown, fallback: ScenarioName): ScenarioName {
  const tag = typeof note === 'string' ? /\[sim:([a-z-]+)\]/i.exec(note)?.[1]?.toLowerCase() : undefined;
  return isScenario(tag) ? tag : fallback;
}
