/**
 * A hand-built week of history for the what-if tests, written straight into the tables (orders,
 * tasks, shipments, courier events), where the simulator's answer is known; and the candidate
 * edit the tests simulate.
 */
import { courierEvents, orders, shipments, tasks } from '../../db/schema';
import type { Db } from '../../db/client';

export const HOUR = 3_600_000;
/** Monday 2026-03-02 00:00 in Hà Nội (UTC+7): the seeded week. */
export const MONDAY = Date.UTC(2026, 2, 1, 17);
export const WEEK = { from: new Date(MONDAY).toISOString(), to: new Date(MONDAY + 7 * 24 * HOUR).toISOString() };
export const CODS_AT_9 = [1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000];
export const CODS_AT_14 = [3_500_000, 500_000, 3_000_000, 2_900_000, 10_000_000];

export const named = (yaml: string, name: string) => yaml.replace(/^(  name:\s*).*$/m, `$1${name}`);
/** The candidate with a CSKH confirm step for COD ≥ 3 million between closing and shipping. */
export const withConfirm = (yaml: string, after = 'ship') =>
  yaml.replace(`closed: { to: ${after}, title: "Đã chốt" }`, `closed: { to: confirm, title: "Đã chốt" }`).replace(
    `    - id: ${after}\n`,
    `    - id: confirm
      kind: human
      role: cskh
      title: "Xác nhận đơn"
      when: { order.codAmount: { gte: 3000000 } }
      otherwise: ${after}
      sla: 1h
      form: { type: object }
      on:
        confirmed: { to: ${after}, title: "Khách xác nhận" }
    - id: ${after}
`,
  );

/**
 * Ten orders of one week, straight into the tables: closing took 30 minutes when its task opened
 * at 09:00 and 90 when at 14:00 (one sales rep), and every parcel went by GHN to Hà Nội and was
 * delivered 24 hours after hand-over.
 */
export async function seedKnownWeek(db: Db, processName: string): Promise<void> {
  const rows = [
    ...CODS_AT_9.map((cod, day) => ({ cod, day, hour: 9, minutes: 30 })),
    ...CODS_AT_14.map((cod, day) => ({ cod, day, hour: 14, minutes: 90 })),
  ];
  for (const { cod, day, hour, minutes } of rows) {
    const id = `sim-${day}-${hour}`;
    const arrived = MONDAY + day * 24 * HOUR + hour * HOUR;
    const closed = arrived + minutes * 60_000;
    const address = { street: '1 Phố Huế', ward: 'Phố Huế', province: 'Hà Nội' };
    await db.insert(orders).values({
      id,
      workflowId: `order:${id}`,
      channel: 'facebook',
      status: 'completed',
      stage: 'done',
      codAmount: cod,
      total: cod,
      courier: 'ghn',
      definitionName: processName,
      definitionVersion: 1,
      createdAt: new Date(arrived),
    });
    await db.insert(tasks).values({
      id: `${id}:close`,
      workflowId: `order:${id}`,
      subjectType: 'order',
      subjectId: id,
      stage: 'close',
      role: 'sales',
      title: 'Chốt đơn',
      form: { type: 'object' },
      outcomes: [{ name: 'closed', title: 'Đã chốt', form: { type: 'object' } }],
      status: 'done',
      createdAt: new Date(arrived),
      completedAt: new Date(closed),
      completedBy: 'seed-sales-1',
      outcome: 'closed',
      data: { codAmount: cod, shippingAddress: address },
    });
    await db
      .insert(shipments)
      .values({ orderId: id, courier: 'ghn', trackingCode: `GHN${id}`, state: 'delivered', codAmount: cod, createdAt: new Date(closed) });
    await db.insert(courierEvents).values({
      courier: 'ghn',
      eventKey: `${id}:delivered`,
      orderId: id,
      trackingCode: `GHN${id}`,
      rawStatus: 'delivered',
      state: 'delivered',
      at: new Date(closed + 24 * HOUR),
      applied: true,
      signalled: true,
      via: 'webhook',
    });
  }
}
