/**
 * The demo shop, alive: seeds a shop through the public HTTP API (staff of every role with their
 * own tokens, products with barcodes and stock, a week's worth of leads) and then plays its staff:
 * each demo order has a plan (left waiting at a step for you, lost, cancelled, delivered,
 * redelivered after a failed attempt, returned…) and the simulated staff complete its tasks, as the
 * person who holds them, until the order reaches that state; the courier simulator moves the
 * parcels (the plan's `[sim:<scenario>]` note). Orders that are not the demo's are never touched.
 *
 * Everything goes through the API a real client uses, so the demo also shows the API working.
 * The state (tokens, plans) is kept in a JSON file under DATA_DIR: a restarted demo resumes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_PRODUCTS, DEMO_STAFF, demoCustomer, demoItems, demoLead, seededRandom } from './catalogue';

/** What a demo order is meant to become. `wait-*` plans stop at a step and leave it to you. */
export const PLANS = {
  'wait-close': { scenario: undefined, title: 'chờ chốt đơn' },
  lost: { scenario: undefined, title: 'khách không mua' },
  'wait-confirm': { scenario: undefined, title: 'chờ xác nhận' },
  cancelled: { scenario: undefined, title: 'khách hủy' },
  'wait-pack': { scenario: undefined, title: 'chờ đóng gói' },
  'in-transit': { scenario: 'manual', title: 'đang giao' },
  delivered: { scenario: 'normal', title: 'đã giao' },
  redelivered: { scenario: 'fail-then-deliver', title: 'giao lại thành công' },
  'wait-failed': { scenario: 'manual', title: 'chờ xử lý giao thất bại' },
  returned: { scenario: 'return', title: 'đã hoàn hàng' },
  'wait-return': { scenario: 'return', title: 'chờ nhận hàng hoàn' },
} as const;
export type Plan = keyof typeof PLANS;

/** The first week: 42 orders (six a day) spread over every plan. */
export const WEEK: ReadonlyArray<[Plan, number]> = [
  ['wait-close', 5],
  ['lost', 4],
  ['wait-confirm', 3],
  ['cancelled', 2],
  ['wait-pack', 4],
  ['in-transit', 4],
  ['delivered', 12],
  ['redelivered', 3],
  ['wait-failed', 1],
  ['returned', 3],
  ['wait-return', 1],
];

export interface DemoState {
  version: 1;
  seeded: boolean;
  staff: Record<string, { id: string; name: string; roles: string[]; token: string }>;
  orders: Record<string, { plan: Plan; n: number; failedAttempt?: boolean }>;
  nextLead: number;
}

export interface DemoApi {
  (method: string, url: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
}

/** A JSON client of the shopflow API at `base` with a default token. */
export function demoApi(base: string, adminToken: string): DemoApi {
  return async (method, url, body, token) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${token ?? adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: kept as text */
    }
    return { status: res.status, body: parsed };
  };
}

export function loadDemoState(file: string): DemoState {
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as DemoState;
  return { version: 1, seeded: false, staff: {}, orders: {}, nextLead: 0 };
}

function saveDemoState(file: string, state: DemoState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  // Staff tokens are in it: readable by its owner only, like data/admin-token.txt.
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

const fail = (what: string, res: { status: number; body: unknown }) =>
  new Error(`${what}: HTTP ${res.status} ${typeof res.body === 'string' ? res.body : JSON.stringify(res.body)}`);

export interface ShopLife {
  state: DemoState;
  /** Creates the staff, products and stock once (idempotent over restarts). */
  seed(): Promise<void>;
  /** Sends the n-th lead of the demo with a plan. */
  addLead(plan: Plan): Promise<string>;
  /** Sends the first week's leads (once). */
  seedWeek(): Promise<void>;
  /** One round of the simulated staff: every open task of a demo order that its plan moves on. */
  tick(): Promise<number>;
  /** How many demo orders are in each state (`GET /orders`), e.g. { delivered: 12, lost: 4, … }. */
  census(): Promise<Record<string, number>>;
}

/**
 * A failed delivery in each courier's words, one that customer care must act on (GHTK's 10
 * "delay giao hàng" is only a retry it handles itself; 9 with 131 "không liên lạc được với KH 3
 * lần" is the failure).
 */
const FAILED_ATTEMPT: Record<string, { status: string; reasonCode?: string }> = {
  ghn: { status: 'delivery_fail' },
  ghtk: { status: '9', reasonCode: '131' },
  viettelpost: { status: '506', reasonCode: '36' },
};

export function createShopLife(opts: {
  api: DemoApi;
  stateFile: string;
  /** The courier simulator (`npm start`'s): parcels of the `wait-failed` plan get a failed attempt there. */
  courierSimUrl?: () => string | undefined;
  log?: (line: string) => void;
}): ShopLife {
  const { api } = opts;
  const log = opts.log ?? (() => undefined);
  const state = loadDemoState(opts.stateFile);
  const save = () => saveDemoState(opts.stateFile, state);
  const tokenOf = (key: string) => state.staff[key]?.token;
  const byId = () => new Map(Object.values(state.staff).map((s) => [s.id, s]));
  /** Who completes a task: its holder when the demo knows them, else a demo person of its role. */
  const actorFor = (task: { role: string; assigneeId: string | null }): string | undefined => {
    if (task.assigneeId) return byId().get(task.assigneeId)?.token;
    return Object.values(state.staff).find((s) => s.roles.includes(task.role))?.token;
  };

  /** Goods in every warehouse of the shipped shop (orders take stock from the warehouse serving their province). */
  async function receive(sku: string, qty: number, reason: string): Promise<void> {
    for (const warehouse of DEMO_WAREHOUSES) {
      const received = await api('POST', '/api/v1/stock/adjustments', { sku, warehouse, qty, reason });
      if (received.status === 422 && JSON.stringify(received.body).includes('warehouse')) continue; // a shop without it
      if (received.status >= 300) throw fail(`stock of ${sku} in ${warehouse}`, received);
    }
  }

  async function seed(): Promise<void> {
    for (const person of DEMO_STAFF) {
      if (state.staff[person.key]) continue;
      const res = await api('POST', '/api/v1/staff', {
        name: person.name,
        phone: person.phone,
        roles: person.roles,
        ...(person.channels ? { channels: person.channels } : {}),
      });
      if (res.status !== 201) throw fail(`creating ${person.name}`, res);
      state.staff[person.key] = { id: res.body.staff.id, name: person.name, roles: person.roles, token: res.body.token };
      save();
    }
    for (const p of DEMO_PRODUCTS) {
      const created = await api('POST', '/api/v1/products', {
        sku: p.sku,
        name: p.name,
        barcode: p.barcode,
        price: p.price,
        lowStockThreshold: p.lowStockThreshold,
      });
      if (created.status === 409) continue; // made by an earlier start: its stock is there too
      if (created.status !== 201) throw fail(`creating product ${p.sku}`, created);
      await receive(p.sku, p.stock, 'Tồn đầu kỳ (cửa hàng mẫu)');
    }
    log(`demo staff: ${Object.keys(state.staff).length} people; products: ${DEMO_PRODUCTS.length} with stock`);
  }

  async function addLead(plan: Plan): Promise<string> {
    const n = state.nextLead;
    const customer = demoCustomer(n);
    const lead = demoLead(n, PLANS[plan].scenario);
    const res = await api(
      'POST',
      '/api/v1/leads',
      {
        channel: lead.channel,
        ...(lead.campaign ? { campaign: lead.campaign } : {}),
        note: lead.note,
        source: 'demo',
        customer: { name: customer.name, phone: customer.phone, address: `${customer.address.street}, ${customer.address.ward}` },
      },
      tokenOf('marketing'),
    );
    if (res.status !== 201 && res.status !== 200) throw fail('sending a lead', res);
    state.orders[res.body.orderId] = { plan, n };
    state.nextLead = n + 1;
    save();
    return res.body.orderId as string;
  }

  async function seedWeek(): Promise<void> {
    if (state.seeded) return;
    // Interleaved, as a week's leads arrive: not all the lost ones first.
    const bag: Plan[] = WEEK.flatMap(([plan, count]) => Array.from({ length: count }, () => plan));
    const rnd = seededRandom(42);
    for (let i = bag.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [bag[i], bag[j]] = [bag[j]!, bag[i]!];
    }
    const already = Object.keys(state.orders).length;
    for (const plan of bag.slice(already)) await addLead(plan);
    state.seeded = true;
    save();
    log(`demo orders: ${bag.length} leads sent`);
  }

  /** The data and outcome a plan gives a task at a stage; undefined: leave it (to you). */
  function decide(plan: Plan, n: number, task: TaskDetail): { outcome: string; data: Record<string, unknown> } | undefined {
    const customer = demoCustomer(n);
    // Items short in stock: the warehouse receives more (done before completing, in tick) and says so.
    if (isShortage(task)) return { outcome: 'restocked', data: {} };
    switch (task.stage) {
      case 'close': {
        if (plan === 'wait-close') return undefined;
        if (plan === 'lost') return { outcome: 'lost', data: { reason: n % 2 ? 'price' : 'no-answer' } };
        const items = demoItems(n);
        const shippingFee = 30_000;
        const codAmount = items.reduce((sum, l) => sum + l.qty * l.price, 0) + shippingFee;
        return {
          outcome: 'closed',
          data: {
            customerName: customer.name,
            phone: customer.phone,
            items,
            shippingAddress: customer.address,
            codAmount,
            shippingFee,
            note: demoLead(n, PLANS[plan].scenario).note,
          },
        };
      }
      case 'confirm':
        if (plan === 'wait-confirm') return undefined;
        if (plan === 'cancelled') return { outcome: 'cancelled', data: { reason: 'changed-mind' } };
        return { outcome: 'confirmed', data: { confirmedVia: n % 3 ? 'phone' : 'zalo' } };
      case 'pack':
        if (plan === 'wait-pack') return undefined;
        return { outcome: 'packed', data: { weightGrams: 400 + (n % 5) * 150, lengthCm: 30, widthCm: 20, heightCm: 8 + (n % 3) * 2 } };
      case 'call-customer':
        if (plan === 'wait-failed') return undefined;
        return { outcome: 'redeliver', data: { reachedCustomer: true, reason: 'not-home', note: 'Khách hẹn giao lại buổi chiều' } };
      case 'receive-return':
        if (plan === 'wait-return') return undefined;
        return { outcome: 'restocked', data: { condition: 'intact', note: 'Hàng còn nguyên tem' } };
      default:
        // Care after delivery and anything a shop adds: the forward outcome, required fields filled from the form.
        if (!task.stage.startsWith('care')) return undefined;
        return { outcome: task.outcomes[0]!.name, data: fillRequired(task.outcomes[0]!.form ?? task.form) };
    }
  }

  /** Parcels meant to fail once (plan `wait-failed`): the courier reports a failed attempt as soon as it has them. */
  async function failParcels(): Promise<void> {
    const waiting = Object.entries(state.orders).filter(([, o]) => o.plan === 'wait-failed' && !o.failedAttempt);
    const sim = opts.courierSimUrl?.();
    if (!waiting.length || !sim) return;
    const res = await fetch(`${sim}/__sim/shipments`).catch(() => undefined);
    if (!res?.ok) return;
    const parcels = ((await res.json()) as { shipments: Array<{ api: string; trackingCode: string; clientOrderCode: string }> }).shipments;
    for (const [orderId, order] of waiting) {
      // The courier's reference is the order's code (a re-sent parcel's carries a suffix).
      const parcel = parcels.find((p) => p.clientOrderCode === orderId || p.clientOrderCode.startsWith(`${orderId}-`));
      const attempt = parcel && Object.hasOwn(FAILED_ATTEMPT, parcel.api) ? FAILED_ATTEMPT[parcel.api] : undefined;
      if (!parcel || !attempt) continue;
      const sent = await fetch(`${sim}/__sim/shipments/${encodeURIComponent(parcel.trackingCode)}/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...attempt, reason: 'Không gọi được cho người nhận hàng' }),
      }).catch(() => undefined);
      if (sent?.ok) {
        order.failedAttempt = true;
        save();
      }
    }
  }

  async function tick(): Promise<number> {
    await failParcels();
    const open = await api('GET', '/api/v1/tasks?status=open&limit=200');
    if (open.status !== 200) throw fail('listing open tasks', open);
    let done = 0;
    for (const listed of open.body.tasks as Array<{ id: string; subject: { type: string; id: string } }>) {
      if (listed.subject.type !== 'order') continue;
      const mine = Object.hasOwn(state.orders, listed.subject.id) ? state.orders[listed.subject.id] : undefined;
      if (!mine) continue; // not a demo order: somebody's own
      const detail = await api('GET', `/api/v1/tasks/${encodeURIComponent(listed.id)}`);
      if (detail.status !== 200) continue;
      const task = detail.body as TaskDetail;
      const answer = decide(mine.plan, mine.n, task);
      if (!answer) continue;
      const token = actorFor(task);
      if (!token) continue;
      const taskUrl = `/api/v1/tasks/${encodeURIComponent(task.id)}`;
      if (answer.outcome === 'packed' && !(await scanTheBox(taskUrl, token))) continue;
      if (isShortage(task)) for (const line of demoItems(mine.n)) await receive(line.sku, 30, 'Nhập thêm hàng (cửa hàng mẫu)');
      // The sales script's checklist: the demo's staff tick every item (the required ones gate the forward outcome).
      const checklist = task.guide?.checklist?.map((item) => item.id);
      const res = await api('POST', `${taskUrl}/complete`, { ...answer, ...(checklist?.length ? { checklist } : {}) }, token);
      if (res.status === 200) done++;
      // 409: the task moved meanwhile (a person or the workflow got there first); 4xx else: a form
      // this demo does not know (a changed definition): left to a person, said once.
      else if (res.status !== 409)
        log(`demo: could not complete ${task.stage} of ${listed.subject.id}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    }
    return done;
  }

  /**
   * Scan to pack: the packer scans each item of the order (its barcode) as many times as ordered.
   * False when the box still does not match (the pack task is then left to a person).
   */
  async function scanTheBox(taskUrl: string, token: string): Promise<boolean> {
    const box = await api('GET', `${taskUrl}/packing`, undefined, token);
    if (box.status === 409) return true; // this pack step does not check by barcode
    if (box.status !== 200) return false;
    const state = box.body as { required: boolean; canComplete: boolean; lines: Array<{ sku: string; qty: number; scanned: number }> };
    if (state.canComplete || !state.required) return true;
    const barcodes = new Map(DEMO_PRODUCTS.map((p) => [p.sku, p.barcode]));
    for (const line of state.lines)
      for (let i = line.scanned; i < line.qty; i++) {
        const scanned = await api('POST', `${taskUrl}/scans`, { barcode: barcodes.get(line.sku) ?? line.sku }, token);
        if (scanned.status !== 201) return false;
      }
    const after = await api('GET', `${taskUrl}/packing`, undefined, token);
    return after.status === 200 && Boolean(after.body.canComplete);
  }

  async function census(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    let cursor: string | undefined;
    do {
      const res = await api('GET', `/api/v1/orders?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      if (res.status !== 200) throw fail('listing orders', res);
      for (const o of res.body.orders as Array<{ id: string; status: string; stage: string | null }>) {
        if (!Object.hasOwn(state.orders, o.id)) continue;
        // Open orders by the step they wait at; finished ones by how they ended (completed, lost…).
        const key = o.status === 'open' ? (o.stage ?? 'starting') : o.status;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    return counts;
  }

  return { state, seed, addLead, seedWeek, tick, census };
}

/** The warehouses of the shipped shop.yaml. */
const DEMO_WAREHOUSES = ['main', 'hn'];

/** A "short in stock" task (restock or cancel) opened before the stage's own work. */
const isShortage = (task: TaskDetail) => task.stage !== 'receive-return' && task.outcomes.some((o) => o.name === 'restocked');

interface FormLike {
  type?: string;
  required?: string[];
  properties?: Record<string, FormLike>;
  enum?: unknown[];
  minimum?: number;
  minItems?: number;
  items?: FormLike;
  default?: unknown;
}

interface TaskDetail {
  id: string;
  stage: string;
  role: string;
  assigneeId: string | null;
  form: FormLike;
  outcomes: Array<{ name: string; form?: FormLike }>;
  guide?: { checklist?: Array<{ id: string; required?: boolean }> } | null;
}

/** A form's required fields, filled plausibly (first choice, yes, the minimum, a short text). */
export function fillRequired(form: FormLike | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of form?.required ?? []) {
    const field = form?.properties && Object.hasOwn(form.properties, key) ? form.properties[key] : undefined;
    out[key] = valueFor(field);
  }
  return out;
}

function valueFor(field: FormLike | undefined): unknown {
  if (!field) return 'demo';
  if (field.default !== undefined) return field.default;
  if (field.enum?.length) return field.enum[0];
  switch (field.type) {
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return Math.max(field.minimum ?? 1, 1);
    case 'array':
      return Array.from({ length: field.minItems ?? 0 }, () => valueFor(field.items));
    case 'object':
      return fillRequired(field);
    default:
      return 'Khách hài lòng';
  }
}
