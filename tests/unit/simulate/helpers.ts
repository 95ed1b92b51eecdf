/** Hand-built histories for the what-if simulator's tests, where the answer is known. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinitionText, loadShopText } from '../../../definitions/loading/loader';
import type { ArrivalRecord, SimulationHistory, TaskSample } from '../../../definitions/simulate/types';
import type { CompiledOrderProcess, CompiledShop } from '../../../definitions/types';

const root = join(__dirname, '../../..');
export const simulateYaml = () => readFileSync(join(root, 'tests/fixtures/simulate-order.yaml'), 'utf8');

export function shop(): CompiledShop {
  const result = loadShopText(readFileSync(join(root, 'definitions/shop.yaml'), 'utf8'), 'shop.yaml');
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

export function compile(yaml: string, onShop = shop()): CompiledOrderProcess {
  const result = loadDefinitionText(yaml, 'test.yaml', onShop);
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return result.value as CompiledOrderProcess;
}

/** The candidate with a CSKH confirm step for orders with COD ≥ 3 million, between closing and shipping. */
export const withConfirm = (yaml: string) =>
  yaml.replace('closed: { to: ship, title: "Đã chốt" }', 'closed: { to: confirm, title: "Đã chốt" }').replace(
    '    - id: ship\n',
    `    - id: confirm
      kind: human
      role: cskh
      title: "Xác nhận đơn"
      when: { order.codAmount: { gte: 3000000 } }
      otherwise: ship
      sla: 1h
      on:
        confirmed: { to: ship, title: "Khách xác nhận" }
    - id: ship
`,
  );

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Monday 2026-03-02 00:00 in Hà Nội (UTC+7). */
export const MONDAY = Date.UTC(2026, 2, 1, 17);

/** One order a day for five working days at 09:00 and at 14:00 with these COD amounts. */
export const CODS_AT_9 = [1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000];
export const CODS_AT_14 = [3_500_000, 500_000, 3_000_000, 2_900_000, 10_000_000];

/**
 * Ten orders on one week: closing tasks opened at 09:00 took 30 minutes, those opened at 14:00
 * took 90; every parcel went by GHN to Hà Nội and was delivered in 24 hours.
 */
export function knownHistory(): SimulationHistory {
  const arrivals: ArrivalRecord[] = [];
  const tasks: TaskSample[] = [];
  const add = (day: number, hour: number, cod: number, minutes: number) => {
    const orderId = `o-${day}-${hour}`;
    arrivals.push({
      orderId,
      arrivedAt: MONDAY + day * 24 * HOUR + hour * HOUR,
      channel: 'facebook',
      customer: {},
      figures: { codAmount: cod, shippingAddress: { street: '1 Phố Huế', province: 'Hà Nội' } },
      outcomes: { close: ['closed'] },
      shipment: { courier: 'ghn', outcome: 'delivered' },
    });
    tasks.push({ role: 'sales', stage: 'close', hour, durationMs: minutes * MINUTE, outcome: 'closed' });
  };
  CODS_AT_9.forEach((cod, day) => add(day, 9, cod, 30));
  CODS_AT_14.forEach((cod, day) => add(day, 14, cod, 90));
  const staffing = [];
  for (let day = 0; day < 5; day++)
    for (const hour of [9, 10, 14, 15]) staffing.push({ role: 'sales', hourStart: MONDAY + day * 24 * HOUR + hour * HOUR, staff: 1 });
  return {
    window: { from: MONDAY, to: MONDAY + 7 * 24 * HOUR },
    arrivals: arrivals.sort((a, b) => a.arrivedAt - b.arrivedAt),
    tasks,
    transits: [{ courier: 'ghn', province: 'Hà Nội', durationMs: 24 * HOUR, outcome: 'delivered' }],
    staffing,
    throughputPerHour: { sales: 4 },
  };
}
