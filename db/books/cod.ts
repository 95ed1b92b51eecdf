/**
 * COD reconciliation (đối soát COD) in the database: what each order's courier should remit, the
 * remittances couriers report (imported files and webhooks), and the mismatches accounting chases.
 * Used by the COD API (server/books/cod-routes.ts) and by courier event recording (db/shipping/courier-events.ts).
 */
import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { codRemittanceLines, codRemittances, orders, shipments } from '../schema';
import type { CourierStatusEvent } from '../../definitions/rules/courier-status';
import { localDay } from '../../definitions/rules/local-day';

/** Rows of a raw query: node-postgres and PGlite both answer `{rows}`. */
const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** One parcel's COD as a courier reports it (a remittance file line or a webhook). */
export interface RemittanceLineInput {
  orderCode?: string;
  trackingCode?: string;
  codCollected: number;
  fee: number;
  transferredAt?: string;
}

/**
 * How a parcel's reported COD compares with what the order expected: `matched`, `short`
 * (collected less), `over` (collected more), `unknown_order` (no order of that code), or
 * `not_delivered` (COD reported for an order whose parcel is not delivered).
 */
export type CodMatch = 'matched' | 'short' | 'over' | 'unknown_order' | 'not_delivered';

/** Pure: the verdict for an order's total reported COD against its expected COD. */
export function codMatch(input: { orderFound: boolean; delivered: boolean; expected: number; collected: number }): CodMatch {
  if (!input.orderFound) return 'unknown_order';
  if (!input.delivered) return 'not_delivered';
  if (input.collected < input.expected) return 'short';
  if (input.collected > input.expected) return 'over';
  return 'matched';
}

/**
 * The COD an order's courier should remit, as SQL over the order row `o`: for a partial delivery
 * (an order event `courier_partial_delivery`) what the courier collected for the part the customer
 * kept — its `deliveredValue` when it stated one, else the COD at hand-over less the courier's
 * returned value (else the warehouse's count in `returned_amount`) — and otherwise the order's
 * whole COD. The latest partial report counts (a replayed report restates it).
 */
export const expectedCodSql = sql.raw(`coalesce((
      select case
        when e.data->>'deliveredValue' is not null then greatest(0, round((e.data->>'deliveredValue')::numeric))::int
        else greatest(0, coalesce(o.cod_amount, 0) - coalesce(round((e.data->>'returnedValue')::numeric)::int, o.returned_amount, 0))
      end
      from order_events e where e.order_id = o.id and e.type = 'courier_partial_delivery' order by e.id desc limit 1
    ), coalesce(o.cod_amount, 0))`);

/** The COD an order's courier should remit (see expectedCodSql); null for an unknown order. */
export async function expectedCod(db: Pick<Db, 'execute'>, orderId: string): Promise<number | null> {
  const [row] = rowsOf<{ expected: number }>(
    await db.execute(sql`select ${expectedCodSql} as expected from orders o where o.id = ${orderId}`),
  );
  return row ? Number(row.expected) : null;
}

/**
 * Imports a courier's remittance (bảng đối soát COD): one batch per courier and reference, so
 * importing the same file twice is a no-op that returns the first batch. Each line is matched to
 * an order by order code, else by the courier's tracking code.
 */
export async function importRemittance(
  db: Db,
  input: { courier: string; reference: string; lines: RemittanceLineInput[]; actor: string; source?: 'import' | 'webhook' },
): Promise<{ id: number; created: boolean }> {
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(codRemittances)
      .values({ courier: input.courier, reference: input.reference, source: input.source ?? 'import', importedBy: input.actor })
      .onConflictDoNothing()
      .returning({ id: codRemittances.id });
    if (!created) {
      const [existing] = await tx
        .select({ id: codRemittances.id })
        .from(codRemittances)
        .where(and(eq(codRemittances.courier, input.courier), eq(codRemittances.reference, input.reference)));
      return { id: existing!.id, created: false };
    }
    const matched = await matchOrders(tx, input.courier, input.lines);
    for (const [i, line] of input.lines.entries()) {
      await tx.insert(codRemittanceLines).values({
        remittanceId: created.id,
        lineNo: i + 1,
        orderId: matched[i] ?? null,
        orderCode: line.orderCode ?? null,
        trackingCode: line.trackingCode ?? null,
        codCollected: line.codCollected,
        fee: line.fee,
        transferredAt: line.transferredAt ? new Date(line.transferredAt) : null,
        dedupeKey: `${created.id}:${i + 1}`,
      });
    }
    return { id: created.id, created: true };
  });
}

/** Order id per line: by order code (shopflow's order id), else by the courier's tracking code. */
async function matchOrders(tx: Pick<Db, 'select'>, courier: string, lines: RemittanceLineInput[]): Promise<Array<string | undefined>> {
  const codes = [...new Set(lines.map((l) => l.orderCode).filter((c): c is string => Boolean(c)))];
  const tracking = [...new Set(lines.map((l) => l.trackingCode).filter((c): c is string => Boolean(c)))];
  const byCode = new Set(
    codes.length ? (await tx.select({ id: orders.id }).from(orders).where(inArray(orders.id, codes))).map((o) => o.id) : [],
  );
  const byTracking = new Map(
    tracking.length
      ? (
          await tx
            .select({ orderId: shipments.orderId, trackingCode: shipments.trackingCode })
            .from(shipments)
            .where(and(eq(shipments.courier, courier), inArray(shipments.trackingCode, tracking)))
        ).map((s) => [s.trackingCode, s.orderId])
      : [],
  );
  return lines.map((l) =>
    l.orderCode && byCode.has(l.orderCode) ? l.orderCode : l.trackingCode ? byTracking.get(l.trackingCode) : undefined,
  );
}

/**
 * A courier webhook saying a parcel's COD was paid over (GHN `CODTransferDate`) or reconciled
 * (GHTK status 6) becomes a line of that courier's webhook batch for the transfer day
 * (reference `webhook:<YYYY-MM-DD>`), once per parcel. Runs in the webhook's transaction.
 */
export async function recordCourierCod(tx: Tx, event: CourierStatusEvent, orderId: string | null, utcOffsetMinutes = 420): Promise<void> {
  if (!event.codTransferredAt) return;
  const at = new Date(event.codTransferredAt);
  const reference = `webhook:${localDay(at, utcOffsetMinutes)}`;
  await tx
    .insert(codRemittances)
    .values({ courier: event.courier, reference, source: 'webhook', importedBy: event.courier })
    .onConflictDoNothing();
  // Locked, so two parcels reported at once get different line numbers.
  const [batch] = await tx
    .select({ id: codRemittances.id })
    .from(codRemittances)
    .where(and(eq(codRemittances.courier, event.courier), eq(codRemittances.reference, reference)))
    .for('update');
  const [{ next }] = (await tx
    .select({ next: sql<number>`coalesce(max(${codRemittanceLines.lineNo}), 0)::int + 1` })
    .from(codRemittanceLines)
    .where(eq(codRemittanceLines.remittanceId, batch!.id))) as [{ next: number }];
  await tx
    .insert(codRemittanceLines)
    .values({
      remittanceId: batch!.id,
      lineNo: next,
      orderId,
      orderCode: event.orderCode || null,
      trackingCode: event.trackingCode,
      codCollected: Math.round(event.codAmount ?? 0),
      fee: 0,
      transferredAt: at,
      dedupeKey: `webhook:${event.courier}:${event.trackingCode}`,
    })
    .onConflictDoNothing();
}

/** A remittance batch with its totals. */
export interface RemittanceSummary {
  id: number;
  courier: string;
  reference: string;
  source: string;
  status: string;
  lines: number;
  codCollected: number;
  fees: number;
  /** What the courier owes the shop for this batch: COD collected − fees. */
  net: number;
  importedBy: string | null;
  createdAt: Date;
  settledAt: Date | null;
  settledBy: string | null;
}

export async function listRemittances(
  db: Db,
  opts: { limit: number; before?: { createdAt: Date; id: number } },
): Promise<RemittanceSummary[]> {
  const rows = await db
    .select({
      id: codRemittances.id,
      courier: codRemittances.courier,
      reference: codRemittances.reference,
      source: codRemittances.source,
      status: codRemittances.status,
      importedBy: codRemittances.importedBy,
      createdAt: codRemittances.createdAt,
      settledAt: codRemittances.settledAt,
      settledBy: codRemittances.settledBy,
      lines: sql<number>`count(${codRemittanceLines.id})::int`,
      codCollected: sql<number>`coalesce(sum(${codRemittanceLines.codCollected}), 0)::bigint`,
      fees: sql<number>`coalesce(sum(${codRemittanceLines.fee}), 0)::bigint`,
    })
    .from(codRemittances)
    .leftJoin(codRemittanceLines, eq(codRemittanceLines.remittanceId, codRemittances.id))
    .where(
      opts.before
        ? or(
            sql`${codRemittances.createdAt} < ${opts.before.createdAt.toISOString()}`,
            and(sql`${codRemittances.createdAt} = ${opts.before.createdAt.toISOString()}`, sql`${codRemittances.id} < ${opts.before.id}`),
          )
        : undefined,
    )
    .groupBy(codRemittances.id)
    .orderBy(desc(codRemittances.createdAt), desc(codRemittances.id))
    .limit(opts.limit);
  return rows.map((r) => ({
    ...r,
    codCollected: Number(r.codCollected),
    fees: Number(r.fees),
    net: Number(r.codCollected) - Number(r.fees),
  }));
}

export async function getRemittance(db: Db, id: number): Promise<RemittanceSummary | undefined> {
  const [r] = await db
    .select({
      id: codRemittances.id,
      courier: codRemittances.courier,
      reference: codRemittances.reference,
      source: codRemittances.source,
      status: codRemittances.status,
      importedBy: codRemittances.importedBy,
      createdAt: codRemittances.createdAt,
      settledAt: codRemittances.settledAt,
      settledBy: codRemittances.settledBy,
      lines: sql<number>`count(${codRemittanceLines.id})::int`,
      codCollected: sql<number>`coalesce(sum(${codRemittanceLines.codCollected}), 0)::bigint`,
      fees: sql<number>`coalesce(sum(${codRemittanceLines.fee}), 0)::bigint`,
    })
    .from(codRemittances)
    .leftJoin(codRemittanceLines, eq(codRemittanceLines.remittanceId, codRemittances.id))
    .where(eq(codRemittances.id, id))
    .groupBy(codRemittances.id);
  return r ? { ...r, codCollected: Number(r.codCollected), fees: Number(r.fees), net: Number(r.codCollected) - Number(r.fees) } : undefined;
}

/** A line of a batch with the verdict for its order (over all batches that paid that order). */
export interface RemittanceLineView {
  lineNo: number;
  orderId: string | null;
  orderCode: string | null;
  trackingCode: string | null;
  codCollected: number;
  fee: number;
  expectedCod: number | null;
  /** COD reported for this order across all batches. */
  orderCollected: number | null;
  match: CodMatch;
}

export async function remittanceLines(db: Db, id: number): Promise<RemittanceLineView[]> {
  const rows = rowsOf<{
    line_no: number;
    order_id: string | null;
    order_code: string | null;
    tracking_code: string | null;
    cod_collected: number;
    fee: number;
    expected: number | null;
    collected: string | null;
    found: boolean;
    delivered: boolean;
  }>(
    await db.execute(sql`
    select l.line_no, l.order_id, l.order_code, l.tracking_code, l.cod_collected, l.fee,
           case when o.id is null then null else ${expectedCodSql} end as expected, o.id is not null as found, coalesce(s.state = 'delivered', false) as delivered,
           (select sum(x.cod_collected) from cod_remittance_lines x where x.order_id = l.order_id) as collected
    from cod_remittance_lines l
    left join orders o on o.id = l.order_id
    left join shipments s on s.order_id = l.order_id
    where l.remittance_id = ${id}
    order by l.line_no`),
  );
  return rows.map((r) => ({
    lineNo: r.line_no,
    orderId: r.order_id,
    orderCode: r.order_code,
    trackingCode: r.tracking_code,
    codCollected: r.cod_collected,
    fee: r.fee,
    expectedCod: r.found ? (r.expected ?? 0) : null,
    orderCollected: r.found ? Number(r.collected ?? 0) : null,
    match: codMatch({ orderFound: r.found, delivered: r.delivered, expected: r.expected ?? 0, collected: Number(r.collected ?? 0) }),
  }));
}

/** A discrepancy for accounting to chase. */
export interface CodMismatch {
  kind: Exclude<CodMatch, 'matched'>;
  orderId: string | null;
  orderCode: string | null;
  trackingCode: string | null;
  courier: string;
  expectedCod: number | null;
  collected: number;
  /** expected − collected (positive: the courier still owes it). */
  difference: number | null;
  remittances: string[];
}

/**
 * Every order whose reported COD differs from what it expected (short, over, or reported for a
 * parcel that was not delivered), and every reported line that matches no order. With
 * `remittanceId`, only what that batch touches.
 */
export async function codMismatches(db: Db, opts: { remittanceId?: number } = {}): Promise<CodMismatch[]> {
  const only =
    opts.remittanceId === undefined
      ? sql`true`
      : sql`l.order_id in (select order_id from cod_remittance_lines where remittance_id = ${opts.remittanceId})`;
  const onlyUnknown = opts.remittanceId === undefined ? sql`true` : sql`l.remittance_id = ${opts.remittanceId}`;
  const paid = rowsOf<{
    order_id: string;
    courier: string;
    expected: number | null;
    collected: string;
    delivered: boolean;
    tracking_code: string | null;
    refs: string[];
  }>(
    await db.execute(sql`
    select l.order_id, min(r.courier) as courier, min(${expectedCodSql}) as expected, sum(l.cod_collected) as collected,
           coalesce(bool_or(s.state = 'delivered'), false) as delivered, min(s.tracking_code) as tracking_code,
           array_agg(distinct r.courier || ':' || r.reference) as refs
    from cod_remittance_lines l
    join cod_remittances r on r.id = l.remittance_id
    join orders o on o.id = l.order_id
    left join shipments s on s.order_id = l.order_id
    where l.order_id is not null and ${only}
    group by l.order_id, o.id
    order by l.order_id`),
  );
  const unknown = rowsOf<{ order_code: string | null; tracking_code: string | null; courier: string; cod_collected: number; ref: string }>(
    await db.execute(sql`
    select l.order_code, l.tracking_code, r.courier, l.cod_collected, r.courier || ':' || r.reference as ref
    from cod_remittance_lines l join cod_remittances r on r.id = l.remittance_id
    where l.order_id is null and ${onlyUnknown}
    order by r.id, l.line_no`),
  );
  const out: CodMismatch[] = [];
  for (const r of paid) {
    const expected = r.expected ?? 0;
    const collected = Number(r.collected);
    const kind = codMatch({ orderFound: true, delivered: r.delivered, expected, collected });
    if (kind === 'matched') continue;
    out.push({
      kind,
      orderId: r.order_id,
      orderCode: r.order_id,
      trackingCode: r.tracking_code,
      courier: r.courier,
      expectedCod: expected,
      collected,
      difference: expected - collected,
      remittances: r.refs,
    });
  }
  for (const r of unknown) {
    out.push({
      kind: 'unknown_order',
      orderId: null,
      orderCode: r.order_code,
      trackingCode: r.tracking_code,
      courier: r.courier,
      expectedCod: null,
      collected: r.cod_collected,
      difference: null,
      remittances: [r.ref],
    });
  }
  return out;
}

/** A delivered COD order no remittance has paid yet. */
export interface UnpaidCodOrder {
  orderId: string;
  courier: string;
  trackingCode: string;
  expectedCod: number;
  deliveredAt: string | null;
}

/** Delivered orders with COD to collect (the part kept, for a partial delivery) and no remittance line at all. */
export async function unpaidCodOrders(db: Db, opts: { courier?: string } = {}): Promise<UnpaidCodOrder[]> {
  const rows = rowsOf<{ order_id: string; courier: string; tracking_code: string; expected: number; delivered_at: Date | string | null }>(
    await db.execute(sql`
    select * from (
      select o.id as order_id, s.courier, s.tracking_code, ${expectedCodSql} as expected, s.last_event_at as delivered_at
      from orders o join shipments s on s.order_id = o.id
      where s.state = 'delivered' and coalesce(o.cod_amount, 0) > 0
        and not exists (select 1 from cod_remittance_lines l where l.order_id = o.id)
        ${opts.courier ? sql`and s.courier = ${opts.courier}` : sql``}
    ) u
    where u.expected > 0
    order by u.delivered_at, u.order_id`),
  );
  return rows.map((r) => ({
    orderId: r.order_id,
    courier: r.courier,
    trackingCode: r.tracking_code,
    expectedCod: Number(r.expected),
    deliveredAt: r.delivered_at === null ? null : new Date(r.delivered_at).toISOString(),
  }));
}

/** Marks a batch settled (the money is in the bank). Once: a settled batch cannot be settled again. */
export async function settleRemittance(db: Db, id: number, actor: string): Promise<'settled' | 'already' | 'missing'> {
  const updated = await db
    .update(codRemittances)
    .set({ status: 'settled', settledAt: sql`now()`, settledBy: actor })
    .where(and(eq(codRemittances.id, id), eq(codRemittances.status, 'open')))
    .returning({ id: codRemittances.id });
  if (updated.length) return 'settled';
  const [row] = await db.select({ id: codRemittances.id }).from(codRemittances).where(eq(codRemittances.id, id));
  return row ? 'already' : 'missing';
}
