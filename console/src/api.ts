/**
 * The console's only way to the server: the public HTTP API (`/api/v1`, documented at
 * `/api/v1/openapi.json`) with the staff member's bearer token, kept in sessionStorage so it
 * lasts for the browser session and no longer.
 */

const TOKEN_KEY = 'shopflow.token';

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** A field error from a 422: `{field, message}`; `field` like `data.items[0].qty`. */
export interface FieldError { field: string; message: string }

/** The API's one error shape, `{error: {code, message, details}}`, with the HTTP status. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }

  /** `details.fields` of a 422, if any. */
  get fields(): FieldError[] {
    const fields = (this.details as { fields?: unknown } | undefined)?.fields;
    return Array.isArray(fields) ? (fields as FieldError[]) : [];
  }
}

/** Called when the server says the token is no longer good (401), so the app can sign out. */
let onUnauthorized: () => void = () => {};
export const setUnauthorizedHandler = (handler: () => void) => { onUnauthorized = handler; };

export async function api<T>(method: string, path: string, body?: unknown, options: { yaml?: boolean; token?: string; quiet401?: boolean } = {}): Promise<T> {
  const token = options.token ?? session.token();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (body !== undefined) {
    headers['content-type'] = options.yaml ? 'application/yaml' : 'application/json';
    payload = options.yaml ? String(body) : JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, body: payload });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (res.ok) return parsed as T;
  if (res.status === 401 && !options.quiet401) onUnauthorized();
  const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  // The validate endpoint answers 422 with `{valid: false, errors}`, not the error shape.
  if (!error && parsed && typeof parsed === 'object') throw new ApiError(res.status, 'invalid', res.statusText, parsed);
  throw new ApiError(res.status, error?.code ?? 'http', error?.message ?? `${res.status} ${res.statusText}`, error?.details);
}

export const get = <T>(path: string) => api<T>('GET', path);

/**
 * Saves a file the API answers (a CSV export) under `filename`: fetched with the bearer token
 * (a plain link would not carry it), then handed to the browser as a download.
 */
export async function download(path: string, filename: string): Promise<void> {
  const token = session.token();
  const res = await fetch(`/api/v1${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    const body = await res.json().catch(() => undefined) as { error?: { code?: string; message?: string } } | undefined;
    if (res.status === 401) onUnauthorized();
    throw new ApiError(res.status, body?.error?.code ?? 'http', body?.error?.message ?? `${res.status} ${res.statusText}`);
  }
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);

/** Reads every page of a cursor-paged list, up to `maxPages`. */
export async function allPages<T>(path: string, key: string, maxPages = 5): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const body: Record<string, unknown> = await get<Record<string, unknown>>(`${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...((body[key] as T[]) ?? []));
    cursor = (body.nextCursor as string | null) ?? null;
    if (!cursor) return { items, complete: true };
  }
  return { items, complete: false };
}

// ─── Shapes the console reads (from the OpenAPI document) ───────────────────

export interface Me { staffId: string; name: string; roles: string[]; channels: string[]; scope: 'own' | 'all'; permissions: string[] }

export interface Task {
  id: string; stage: string; title: string; role: string; assigneeId: string | null;
  priority: 'low' | 'normal' | 'high' | 'urgent'; status: 'open' | 'done' | 'cancelled';
  subject: { type: string; id: string; customer?: string; phone?: string; channel?: string; [k: string]: unknown };
  createdAt: string; dueAt: string | null; timeLeftSeconds: number | null; overdue: boolean; escalationLevel: number; followUpOf: string | null;
}
export interface JsonSchema { type?: string | string[]; title?: string; description?: string; properties?: Record<string, JsonSchema>; required?: string[]; items?: JsonSchema; enum?: unknown[]; minimum?: number; maximum?: number; minItems?: number; format?: string; default?: unknown }
export interface TaskOutcome { name: string; title: string; form: JsonSchema; forward: boolean }
export interface TimelineEvent { at: string; type: string; actor: string | null; data: Record<string, unknown> | null; from?: string | null; to?: string | null; taskId?: string; task?: string }
export interface TaskDetail extends Task { description: string | null; form: JsonSchema; outcomes: TaskOutcome[]; timeline: TimelineEvent[] }

export interface Order {
  id: string; status: string; stage: string | null; channel: string | null; campaign?: string | null;
  customer: { id: string | null; name: string | null; phone: string | null };
  total: number | null; codAmount: number | null; courier: string | null; trackingCode: string | null;
  definition: { name: string; version: number | null } | null; createdAt: string; updatedAt: string;
}
export interface WaitingOn { taskId: string; role: string; assigneeId: string | null; priority: string; dueAt: string; escalationLevel: number; title?: string }
export interface OrderItem { sku: string | null; name: string | null; qty: number | null; price: number | null; amount: number | null }
export interface ShippingAddress { street: string | null; ward: string | null; district: string | null; province: string | null; text: string }
export interface OrderDetail extends Order {
  items: OrderItem[];
  shippingAddress: ShippingAddress | null;
  current: { stage: string; title: string; since: string; waitingOn: WaitingOn[]; result: string | null } | null;
  path: Array<{ stage: string; outcome?: string; actor?: string; enteredAt?: string; title?: string }> | null;
  shipment: { courier: string; trackingCode: string; state: string; status: string | null; deliveryDueAt?: string | null; expectedDeliveryAt?: string | null } | null;
  timeline: TimelineEvent[];
}

export interface KpiSplit { [key: string]: { target: number | null; actual: number | null } }
export interface KpiMetric {
  id: string; title: string; type: string; owner: string; goal: 'target' | 'ceiling'; weight: number; target: number; actual: number | null;
  pacing: { goal: string; target: number; expected: number; actual: number | null; onTrack: boolean } | null;
  channels: KpiSplit | null; staff: KpiSplit | null;
  couriers: Record<string, { value: number | null; shipped: number; returned: number }> | null;
}
export interface KpiPeriod { id: string; plan: string; period: string; status: string; elapsed: number; actualsAt: string | null; startsAt: string; endsAt: string; metrics: KpiMetric[] }

export interface DefinitionSummary { name: string; kind: string; latestVersion: number; activeVersion: number | null; title: string }
export interface DefinitionVersion { name: string; kind: string; version: number; hash: string; active: boolean; author: string | null; source: string | null; createdAt: string; activatedAt: string | null }
export interface DefinitionVersionDetail extends DefinitionVersion { yaml: string }
export interface DefinitionError { path: string; line: number; col: number; message: string }
export interface Staff { id: string; name: string; roles: string[]; active: boolean }

export interface LateDelivery {
  orderId: string; customer: { name: string | null; phone: string | null }; stage: string; courier: string; trackingCode: string; state: string; status: string | null;
  shippedAt: string; deliveryDueAt: string; expectedDeliveryAt: string | null; escalationLevel: number;
}
/** `GET /dashboard`: late parcels and tasks, open orders per stage, today's figures. */
export interface Dashboard {
  asOf: string; timezone: string; day: string; scope: 'own' | 'all'; openOrders: number;
  ordersPerStage: Array<{ stage: string; title: string | null; kind: string | null; count: number }>;
  today: {
    from: string; to: string;
    closed: { orders: number; value: number };
    delivered: { revenue: number; orders: number; value: number; returned: number; returnedValue: number; byChannel: Array<{ channel: string | null; revenue: number; delivered: number; returned: number }> };
  };
  lateDeliveries: { count: number; orders: LateDelivery[] };
  overdueTasks: { count: number; tasks: Task[] };
  /** Workflows failing anyway (a bug): ids for a developer, what is wrong, since when. */
  stuck?: { count: number; workflows: Array<{ workflowId: string; type?: string; kind: 'workflow-task-failing' | 'activity-retrying' | 'ended-while-open'; reason: string; since: string | null }> };
}
