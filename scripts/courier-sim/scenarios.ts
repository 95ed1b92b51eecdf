/**
 * What happens to a parcel after the simulator accepts it: a timeline in simulated days, each
 * step in GHN's words and, where GHTK and Viettel Post have one, in theirs (GHTK `status_id` and
 * `reason_code`, Viettel Post `ORDER_STATUS` and `REASON_CODE`).
 */

export const SCENARIOS = ['normal', 'late', 'fail-then-deliver', 'return', 'partial-return', 'lost', 'manual'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface ScenarioStep {
  /** Simulated days after creation. */
  day: number;
  ghn: string;
  /** GHTK's equivalent; absent when GHTK reports nothing for this step (it has no "transporting"). */
  ghtk?: { statusId: string; reasonCode?: string };
  /** Viettel Post's equivalent (`ORDER_STATUS`, its failed-delivery `REASON_CODE`); absent when it reports nothing (it has no "lost"). */
  viettelpost?: { status: string; reasonCode?: string };
  /** The courier's explanation (failed delivery, return). */
  reason?: string;
  /**
   * A partial delivery: the customer keeps part of the parcel (see `partialReturnOf`). GHN then
   * sends `IsPartialReturn: true`, the `PartialReturnCode` of the return order and the COD it
   * collected; GHTK sends `return_part_package=1` and the collected `pick_money`.
   */
  partial?: boolean;
}

const accepted: ScenarioStep = { day: 0, ghn: 'ready_to_pick', ghtk: { statusId: '2' }, viettelpost: { status: '103' } };
const pickUp: ScenarioStep[] = [
  { day: 0.25, ghn: 'picking', ghtk: { statusId: '12' }, viettelpost: { status: '104' } },
  { day: 0.5, ghn: 'picked', ghtk: { statusId: '3' }, viettelpost: { status: '105' } },
  { day: 1, ghn: 'transporting', viettelpost: { status: '300' } },
];
const delivering: ScenarioStep = { day: 1.75, ghn: 'delivering', ghtk: { statusId: '4' }, viettelpost: { status: '500' } };
const delivered = (day: number): ScenarioStep => ({ day, ghn: 'delivered', ghtk: { statusId: '5' }, viettelpost: { status: '501' } });

/** The timelines; `manual` only accepts the parcel and waits for `/__sim/shipments/:code/advance`. */
export const SCENARIO_STEPS: Readonly<Record<ScenarioName, readonly ScenarioStep[]>> = {
  normal: [accepted, ...pickUp, delivering, delivered(2)],
  late: [
    accepted,
    { day: 0.5, ghn: 'picking', ghtk: { statusId: '12' }, viettelpost: { status: '104' } },
    { day: 1, ghn: 'picked', ghtk: { statusId: '3' }, viettelpost: { status: '105' } },
    { day: 1.5, ghn: 'transporting', viettelpost: { status: '300' } },
    { day: 3, ghn: 'sorting', viettelpost: { status: '400' } },
    { day: 4.75, ghn: 'delivering', ghtk: { statusId: '4' }, viettelpost: { status: '500' } },
    delivered(5),
  ],
  // GHTK reports a failed attempt that will be retried as "delivery delayed" (10), not as
  // "could not deliver" (9), which it keeps for parcels going back.
  // Viettel Post: 506 "phát thất bại" (reason 36, receiver unreachable), then 508 "phát tiếp".
  'fail-then-deliver': [
    accepted,
    ...pickUp,
    delivering,
    {
      day: 2,
      ghn: 'delivery_fail',
      ghtk: { statusId: '10', reasonCode: '122' },
      viettelpost: { status: '506', reasonCode: '36' },
      reason: 'Không gọi được cho người nhận hàng',
    },
    { day: 2.75, ghn: 'delivering', ghtk: { statusId: '4' }, viettelpost: { status: '508' } },
    delivered(3),
  ],
  // Viettel Post: 505 "phát thất bại - yêu cầu chuyển hoàn" (reason 30), 515 "duyệt hoàn", 502, 504.
  return: [
    accepted,
    ...pickUp,
    delivering,
    {
      day: 2,
      ghn: 'delivery_fail',
      ghtk: { statusId: '9', reasonCode: '130' },
      viettelpost: { status: '505', reasonCode: '30' },
      reason: 'Người nhận không đồng ý nhận sản phẩm',
    },
    { day: 2.5, ghn: 'waiting_to_return', viettelpost: { status: '515' } },
    { day: 3, ghn: 'returning', ghtk: { statusId: '20' }, viettelpost: { status: '502' } },
    { day: 4, ghn: 'returned', ghtk: { statusId: '21' }, viettelpost: { status: '504' } },
  ],
  // "Giao 1 phần, trả 1 phần": delivered, with the rest of the parcel on its way back (GHN carries
  // it under a new order code, so this parcel's own reports end at delivered).
  'partial-return': [
    accepted,
    ...pickUp,
    delivering,
    { ...delivered(2), reason: 'Khách nhận một phần hàng, phần còn lại hoàn về shop', partial: true },
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
