import crypto from 'node:crypto';
import { and, asc, desc, eq, ilike, inArray, isNull, like, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import {
  complaints,
  customerContacts,
  customerMerges,
  customers,
  orders,
  segmentChanges,
  tasks,
  type CustomerAddress,
} from '../../db/schema';
import { classifyCustomer } from '../../definitions/rules/conditions';
import type { CompiledShop, WhenFacts } from '../../definitions/types';
import { customerHistory, onceKey, recomputeSegment } from '../../db/customers/segments';
import { customerFlags, segmentMetrics, type CustomerHistory } from '../../definitions/rules/customer-metrics';
import type { Principal } from '../http/auth';
import { conflict, notFound, unprocessable } from '../http/errors';
import { afterCursor, pageOf } from '../http/pagination';
import { normalizePhone } from '../../definitions/rules/phone';
import { hasOwnEntry } from '../../definitions/rules/own';
import { phoneMessage } from '../../definitions/rules/field-words';

export type { CustomerHistory } from '../../definitions/rules/customer-metrics';
export type CustomerRow = typeof customers.$inferSelect;

/** An address as staff send it; `isDefault` marks the one couriers get unless told otherwise. */
export type AddressInput = Omit<CustomerAddress, 'isDefault'> & { isDefault?: boolean };

/** Fields staff may set on a customer (POST and PATCH). */
export interface CustomerInput {
  phone?: string;
  name?: string;
  channel?: string | null;
  addresses?: AddressInput[];
  notes?: string | null;
  tags?: string[];
  wholesale?: boolean;
}

/** Filters of `GET /customers` (parsed from the query string). */
export interface CustomerFilter {
  /** A phone in any accepted format, or part of a name. */
  q?: string;
  segment?: string;
  limit: number;
  cursor?: string;
}

/** A customer as the API shows it. The segment is the stored one, or the fallback before the first order ends. */
export function toCustomerView(row: CustomerRow, shop: CompiledShop) {
  return {
    id: row.id,
    phone: row.phone,
    name: row.name,
    channel: row.channel,
    addresses: row.addresses,
    defaultAddress: row.addresses.find((a) => a.isDefault) ?? null,
    address: row.address,
    notes: row.notes,
    tags: row.tags,
    wholesale: row.wholesale,
    segment: row.segment ?? classifyCustomer(shop.segments, { flags: customerFlags(row) }),
    segmentChangedAt: row.segmentChangedAt?.toISOString() ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Addresses with exactly one default: the one marked, else the first. Two marked is an input error. */
export function withOneDefault(addresses: AddressInput[]): CustomerAddress[] {
  const marked = addresses.filter((a) => a.isDefault).length;
  if (marked > 1)
    throw unprocessable('only one address can be the default', {
      fields: [{ field: 'addresses', message: `${marked} addresses have isDefault: true` }],
    });
  return addresses.map((a, i) => ({ ...a, isDefault: marked ? Boolean(a.isDefault) : i === 0 }));
}

const phoneError = (raw: string) =>
  unprocessable(`the phone number "${raw.slice(0, 40)}" is invalid`, {
    // The clerk's sentence (definitions/rules/field-words.ts); the refused spelling is in the error's message.
    fields: [{ field: 'phone', message: phoneMessage('vi') }],
  });
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * What a caller may see: scope `all` sees every customer; scope `own` sees customers of orders
 * whose tasks they hold or held, and customers they created themselves.
 */
export function customerVisibleTo(p: Principal, customerId: SQL | typeof customers.id = customers.id): SQL | undefined {
  if (p.scope === 'all' || p.permissions.has('*')) return undefined;
  return sql`(exists (select 1 from ${orders} join ${tasks} on ${tasks.subjectId} = ${orders.id}
      where ${orders.customerId} = ${customerId} and ${tasks.assigneeId} = ${p.staffId})
    or exists (select 1 from ${customers} c2 where c2.id = ${customerId} and c2.created_by = ${p.staffId}))`;
}

/** Customers by normalised phone: one per number, found again when they come back; CRM reads and writes. */
export function createCustomersStore(db: Db) {
  /** Follows `merged_into` from a customer to the one that survived its merges. */
  async function survivorOf(id: string): Promise<CustomerRow | undefined> {
    let row: CustomerRow | undefined;
    for (let hops = 0, next: string | null = id; next && hops < 10; hops++) {
      [row] = await db.select().from(customers).where(eq(customers.id, next));
      next = row?.mergedInto ?? null;
    }
    return row;
  }

  const store = {
    survivorOf,

    /** The customer with this phone, created on first contact (concurrent leads agree on one row); a merged number leads to its survivor. */
    async upsertByPhone(input: {
      phone: string;
      name: string;
      channel: string;
      address?: string;
    }): Promise<{ id: string; created: boolean }> {
      const id = `cus_${crypto.randomBytes(6).toString('hex')}`;
      const inserted = await db
        .insert(customers)
        .values({ id, phone: input.phone, name: input.name, channel: input.channel, address: input.address ?? null })
        .onConflictDoNothing()
        .returning({ id: customers.id });
      if (inserted.length) return { id, created: true };
      const [existing] = await db.select({ id: customers.id }).from(customers).where(eq(customers.phone, input.phone));
      return { id: (await survivorOf(existing!.id))!.id, created: false };
    },

    /** The customer of a phone in any accepted format (following merges), if any. */
    async findByPhone(raw: string): Promise<CustomerRow | undefined> {
      const phone = normalizePhone(raw);
      if (!phone) return undefined;
      const [row] = await db.select().from(customers).where(eq(customers.phone, phone));
      return row ? survivorOf(row.id) : undefined;
    },

    /** Delivered/returned history, with the customer's flags for segment rules. */
    async history(customerId: string): Promise<CustomerHistory & { flags: string[] }> {
      const [history, [row]] = await Promise.all([
        customerHistory(db, customerId),
        db.select({ tags: customers.tags, wholesale: customers.wholesale }).from(customers).where(eq(customers.id, customerId)),
      ]);
      return { ...history, flags: row ? customerFlags(row) : [] };
    },

    /** Facts for `when` conditions at lead time: returning?, return rate, segment by the shop's rules. */
    factsFor(history: CustomerHistory & { flags?: string[] }, shop: CompiledShop): WhenFacts['customer'] {
      return {
        isReturning: history.orders > 0,
        returnRate: history.returnRate,
        segment: classifyCustomer(shop.segments, segmentMetrics(history, history.flags ?? [])),
      };
    },

    /** Search by phone (any accepted format; a merged duplicate's phone finds its survivor) or by part of the name. */
    async list(p: Principal, f: CustomerFilter, shop: CompiledShop) {
      let match: SQL | undefined;
      const q = f.q?.trim();
      if (q) {
        const phone = normalizePhone(q);
        if (phone) {
          match = or(
            eq(customers.phone, phone),
            inArray(
              customers.id,
              db
                .select({ id: sql<string>`${customers.mergedInto}` })
                .from(customers)
                .where(eq(customers.phone, phone)),
            ),
          );
        } else if (/^[\d\s.+()-]+$/.test(q)) {
          match = like(customers.phone, `%${escapeLike(q.replace(/\D/g, ''))}%`);
        } else {
          match = ilike(customers.name, `%${escapeLike(q)}%`);
        }
      }
      const fallback = shop.segments[shop.segments.length - 1]?.id;
      const segment = f.segment
        ? f.segment === fallback
          ? or(eq(customers.segment, f.segment), isNull(customers.segment))
          : eq(customers.segment, f.segment)
        : undefined;
      const rows = await db
        .select()
        .from(customers)
        .where(
          and(isNull(customers.mergedInto), customerVisibleTo(p), match, segment, afterCursor(f.cursor, customers.createdAt, customers.id)),
        )
        .orderBy(desc(customers.createdAt), desc(customers.id))
        .limit(f.limit + 1);
      const { page, nextCursor } = pageOf(rows, f.limit);
      return { customers: page.map((r) => toCustomerView(r, shop)), nextCursor };
    },

    /** A customer if the caller may see it (merged ones too: the route points at the survivor). */
    async get(p: Principal, id: string): Promise<CustomerRow | undefined> {
      const [row] = await db
        .select()
        .from(customers)
        .where(and(eq(customers.id, id), customerVisibleTo(p)));
      return row;
    },

    /** Creates a customer; a phone that already has one is a 409 naming it. */
    async create(input: CustomerInput & { phone: string; name: string }, actor: string, shop: CompiledShop): Promise<CustomerRow> {
      const phone = normalizePhone(input.phone);
      if (!phone) throw phoneError(input.phone);
      if (input.channel && !hasOwnEntry(shop.channels, input.channel))
        throw unprocessable('the customer is invalid', { fields: [{ field: 'channel', message: `unknown channel "${input.channel}"` }] });
      const id = `cus_${crypto.randomBytes(6).toString('hex')}`;
      const [row] = await db
        .insert(customers)
        .values({
          id,
          phone,
          name: input.name.trim(),
          channel: input.channel ?? null,
          addresses: withOneDefault(input.addresses ?? []),
          notes: input.notes ?? null,
          tags: [...new Set(input.tags ?? [])],
          wholesale: input.wholesale ?? false,
          createdBy: actor,
        })
        .onConflictDoNothing()
        .returning();
      if (!row) {
        const existing = await store.findByPhone(phone);
        throw conflict(`a customer with phone ${phone} already exists`, { existingId: existing?.id ?? null });
      }
      await recomputeSegment(db, shop, row.id, {
        reason: `created by ${actor}${row.wholesale ? ' as wholesale' : ''}${row.tags.length ? ` with tags [${row.tags.join(', ')}]` : ''}`,
        actor,
        dedupeKey: `${row.id}:created`,
      });
      return (await db.select().from(customers).where(eq(customers.id, row.id)))[0]!;
    },

    /** Changes what staff may change; a new wholesale flag or tags recompute the segment. */
    async update(row: CustomerRow, input: CustomerInput, actor: string, shop: CompiledShop): Promise<CustomerRow> {
      const changes: Partial<typeof customers.$inferInsert> = {};
      if (input.phone !== undefined) {
        const phone = normalizePhone(input.phone);
        if (!phone) throw phoneError(input.phone);
        if (phone !== row.phone) {
          const [taken] = await db.select({ id: customers.id }).from(customers).where(eq(customers.phone, phone));
          if (taken)
            throw conflict(`a customer with phone ${phone} already exists`, { existingId: (await survivorOf(taken.id))?.id ?? taken.id });
          changes.phone = phone;
        }
      }
      if (input.channel && !hasOwnEntry(shop.channels, input.channel))
        throw unprocessable('the change is invalid', { fields: [{ field: 'channel', message: `unknown channel "${input.channel}"` }] });
      if (input.name !== undefined) changes.name = input.name.trim();
      if (input.channel !== undefined) changes.channel = input.channel;
      if (input.addresses !== undefined) changes.addresses = withOneDefault(input.addresses);
      if (input.notes !== undefined) changes.notes = input.notes;
      if (input.tags !== undefined) changes.tags = [...new Set(input.tags)];
      if (input.wholesale !== undefined) changes.wholesale = input.wholesale;
      try {
        await db
          .update(customers)
          .set({ ...changes, updatedAt: sql`now()` })
          .where(eq(customers.id, row.id));
      } catch (err) {
        if ((err as { cause?: { code?: string }; code?: string }).cause?.code === '23505' || (err as { code?: string }).code === '23505')
          throw conflict(`a customer with phone ${changes.phone} already exists`);
        throw err;
      }
      if (input.wholesale !== undefined || input.tags !== undefined) {
        const what = [
          input.wholesale !== undefined ? `wholesale ${input.wholesale ? 'set' : 'cleared'}` : '',
          input.tags !== undefined ? `tags [${changes.tags!.join(', ')}]` : '',
        ]
          .filter(Boolean)
          .join(', ');
        await recomputeSegment(db, shop, row.id, { reason: `${what} by ${actor}`, actor, dedupeKey: onceKey(`${row.id}:edit`) });
      }
      return (await db.select().from(customers).where(eq(customers.id, row.id)))[0]!;
    },

    /** Everything about a customer: reliability, orders, segment history, complaints, care tasks and contacts. */
    async detail(row: CustomerRow, shop: CompiledShop) {
      const [history, orderRows, changes, complaintRows, careTasks, contacts, merged] = await Promise.all([
        customerHistory(db, row.id),
        db.select().from(orders).where(eq(orders.customerId, row.id)).orderBy(desc(orders.createdAt)).limit(100),
        db
          .select()
          .from(segmentChanges)
          .where(eq(segmentChanges.customerId, row.id))
          .orderBy(asc(segmentChanges.at), asc(segmentChanges.id)),
        db.select().from(complaints).where(eq(complaints.customerId, row.id)).orderBy(desc(complaints.openedAt)).limit(100),
        db
          .select({
            id: tasks.id,
            orderId: tasks.subjectId,
            stage: tasks.stage,
            title: tasks.title,
            role: tasks.role,
            assigneeId: tasks.assigneeId,
            status: tasks.status,
            dueAt: tasks.dueAt,
            createdAt: tasks.createdAt,
            completedAt: tasks.completedAt,
            completedBy: tasks.completedBy,
            outcome: tasks.outcome,
          })
          .from(tasks)
          .innerJoin(orders, eq(orders.id, tasks.subjectId))
          .where(and(eq(tasks.subjectType, 'order'), eq(orders.customerId, row.id), like(tasks.stage, 'care%')))
          .orderBy(desc(tasks.createdAt))
          .limit(100),
        db.select().from(customerContacts).where(eq(customerContacts.customerId, row.id)).orderBy(desc(customerContacts.at)).limit(100),
        db
          .select({ id: customerMerges.duplicateId, at: customerMerges.at, actor: customerMerges.actor })
          .from(customerMerges)
          .where(eq(customerMerges.survivorId, row.id)),
      ]);
      const iso = (d: Date | null) => d?.toISOString() ?? null;
      return {
        ...toCustomerView(row, shop),
        reliability: history,
        orders: orderRows.map((o) => ({
          id: o.id,
          status: o.status,
          stage: o.stage,
          channel: o.channel,
          total: o.total,
          codAmount: o.codAmount,
          courier: o.courier,
          createdAt: o.createdAt.toISOString(),
        })),
        segmentHistory: changes.map((c) => ({
          from: c.fromSegment,
          to: c.toSegment,
          reason: c.reason,
          orderId: c.orderId,
          actor: c.actor,
          at: c.at.toISOString(),
        })),
        complaints: complaintRows.map((c) => ({
          id: c.id,
          orderId: c.orderId,
          category: c.category,
          status: c.status,
          outcome: c.outcome,
          openedAt: c.openedAt.toISOString(),
          dueAt: iso(c.dueAt),
          resolvedAt: iso(c.resolvedAt),
          resolvedWithinSla: c.resolvedWithinSla,
        })),
        care: careTasks.map((t) => ({ ...t, dueAt: iso(t.dueAt), createdAt: t.createdAt.toISOString(), completedAt: iso(t.completedAt) })),
        contacts: contacts.map((c) => ({
          kind: c.kind,
          taskId: c.taskId,
          orderId: c.orderId,
          complaintId: c.complaintId,
          stage: c.stage,
          staffId: c.staffId,
          outcome: c.outcome,
          segment: c.segment,
          at: c.at.toISOString(),
        })),
        mergedFrom: merged.map((m) => ({ id: m.id, actor: m.actor, at: m.at.toISOString() })),
      };
    },

    /**
     * Merges a duplicate into a survivor: orders, complaints, segment history, contacts and
     * customer tasks move to the survivor; addresses and tags are united; the duplicate stays
     * with `merged_into` (out of search, its id still resolves). The survivor's segment is recomputed.
     */
    async merge(
      survivorId: string,
      duplicateId: string,
      actor: string,
      shop: CompiledShop,
    ): Promise<{ survivor: CustomerRow; moved: Record<string, number> }> {
      if (survivorId === duplicateId)
        throw unprocessable('a customer cannot be merged into itself', {
          fields: [{ field: 'duplicateId', message: 'is the same customer' }],
        });
      const moved = await db.transaction(async (tx) => {
        // Both rows locked in id order, so two merges of the same pair cannot deadlock or interleave.
        const locked = await tx
          .select()
          .from(customers)
          .where(inArray(customers.id, [survivorId, duplicateId]))
          .orderBy(asc(customers.id))
          .for('update');
        const survivor = locked.find((c) => c.id === survivorId);
        const duplicate = locked.find((c) => c.id === duplicateId);
        if (!survivor) throw notFound(`no customer "${survivorId}"`);
        if (!duplicate)
          throw unprocessable('the duplicate does not exist', {
            fields: [{ field: 'duplicateId', message: `no customer "${duplicateId}"` }],
          });
        for (const c of [survivor, duplicate]) {
          if (c.mergedInto) throw conflict(`customer ${c.id} was already merged into ${c.mergedInto}`, { mergedInto: c.mergedInto });
        }
        const count = async (q: Promise<unknown[]>) => (await q).length;
        const result = {
          orders: await count(
            tx
              .update(orders)
              .set({ customerId: survivorId, updatedAt: sql`now()` })
              .where(eq(orders.customerId, duplicateId))
              .returning({ id: orders.id }),
          ),
          complaints: await count(
            tx
              .update(complaints)
              .set({ customerId: survivorId })
              .where(eq(complaints.customerId, duplicateId))
              .returning({ id: complaints.id }),
          ),
          segmentChanges: await count(
            tx
              .update(segmentChanges)
              .set({ customerId: survivorId })
              .where(eq(segmentChanges.customerId, duplicateId))
              .returning({ id: segmentChanges.id }),
          ),
          contacts: await count(
            tx
              .update(customerContacts)
              .set({ customerId: survivorId })
              .where(eq(customerContacts.customerId, duplicateId))
              .returning({ id: customerContacts.id }),
          ),
          customerTasks: await count(
            tx
              .update(tasks)
              .set({ subjectId: survivorId })
              .where(and(eq(tasks.subjectType, 'customer'), eq(tasks.subjectId, duplicateId)))
              .returning({ id: tasks.id }),
          ),
          complaintTasks: await count(
            tx
              .update(tasks)
              .set({ summary: sql`${tasks.summary} || ${JSON.stringify({ customerId: survivorId })}::jsonb` })
              .where(and(eq(tasks.subjectType, 'complaint'), sql`${tasks.summary}->>'customerId' = ${duplicateId}`))
              .returning({ id: tasks.id }),
          ),
        };
        // Earlier merges into the duplicate now point straight at the survivor.
        await tx.update(customers).set({ mergedInto: survivorId }).where(eq(customers.mergedInto, duplicateId));
        const key = (a: CustomerAddress) => [a.street, a.ward, a.district ?? '', a.province].map((s) => s.trim().toLowerCase()).join('|');
        const known = new Set(survivor.addresses.map(key));
        const addresses = [
          ...survivor.addresses,
          ...duplicate.addresses.filter((a) => !known.has(key(a))).map((a) => ({ ...a, isDefault: false })),
        ];
        if (addresses.length && !addresses.some((a) => a.isDefault)) addresses[0]!.isDefault = true;
        await tx
          .update(customers)
          .set({
            addresses,
            tags: [...new Set([...survivor.tags, ...duplicate.tags])],
            wholesale: survivor.wholesale || duplicate.wholesale,
            notes:
              [survivor.notes, duplicate.notes ? `[${duplicate.id} ${duplicate.phone}] ${duplicate.notes}` : null]
                .filter(Boolean)
                .join('\n') || null,
            channel: survivor.channel ?? duplicate.channel,
            address: survivor.address ?? duplicate.address,
            updatedAt: sql`now()`,
          })
          .where(eq(customers.id, survivorId));
        await tx
          .update(customers)
          .set({ mergedInto: survivorId, mergedAt: sql`now()`, updatedAt: sql`now()` })
          .where(eq(customers.id, duplicateId));
        await tx.insert(customerMerges).values({ survivorId, duplicateId, actor, moved: result });
        return result;
      });
      await recomputeSegment(db, shop, survivorId, {
        reason: `merged with ${duplicateId} by ${actor}`,
        actor,
        dedupeKey: `merge:${duplicateId}`,
      });
      return { survivor: (await db.select().from(customers).where(eq(customers.id, survivorId)))[0]!, moved };
    },
  };
  return store;
}

export type CustomersStore = ReturnType<typeof createCustomersStore>;
