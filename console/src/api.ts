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
export interface FieldError {
  field: string;
  message: string;
}

/** The API's one error shape, `{error: {code, message, details}}`, with the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
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
export const setUnauthorizedHandler = (handler: () => void) => {
  onUnauthorized = handler;
};

/** A fresh Idempotency-Key (getRandomValues works on plain-HTTP pages too, where randomUUID does not). */
export const newIdempotencyKey = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  options: { yaml?: boolean; token?: string; quiet401?: boolean; idempotencyKey?: string } = {},
): Promise<T> {
  const token = options.token ?? session.token();
  // The language chosen in the menu (i18n.tsx keeps it here): the server words field errors in it.
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': localStorage.getItem('shopflow.lang') === 'en' ? 'en' : 'vi',
  };
  if (token) headers.authorization = `Bearer ${token}`;
  // A retried write with the same key gets the first answer (the server books nothing twice).
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
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
    const body = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
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
    const body: Record<string, unknown> = await get<Record<string, unknown>>(
      `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...((body[key] as T[]) ?? []));
    cursor = (body.nextCursor as string | null) ?? null;
    if (!cursor) return { items, complete: true };
  }
  return { items, complete: false };
}

// ─── Shapes the console reads: the server's contract, generated ─────────────
// console/src/api-types.gen.ts is written by `npm run api:types` from the OpenAPI document the
// server serves; these are the console's names for its schemas, so a change of contract shows up
// here as a type error instead of a wrong screen.

import type { components } from './api-types.gen';

type Schemas = components['schemas'];

export type Me = Schemas['Me'];
export type Task = Schemas['Task'];
export type TaskOutcome = Schemas['TaskOutcome'];
export type TimelineEvent = Schemas['TimelineEvent'];
export type TaskDetail = Schemas['TaskDetail'];
export type Order = Schemas['Order'];
export type OrderDetail = Schemas['OrderDetail'];
export type OrderItem = OrderDetail['items'][number];
export type ShippingAddress = NonNullable<OrderDetail['shippingAddress']>;
export type KpiSplit = Schemas['KpiSplit'];
export type KpiMetric = Schemas['KpiMetric'];
export type KpiPeriod = Schemas['KpiPeriod'];
export type DefinitionSummary = Schemas['DefinitionSummary'];
export type DefinitionVersion = Schemas['DefinitionVersion'];
export type DefinitionVersionDetail = Schemas['DefinitionVersionDetail'];
export type DefinitionError = Schemas['DefinitionError'];
export type Staff = Schemas['Staff'];
/** `GET /dashboard`: late parcels and tasks, open orders per stage, today's figures. */
export type Dashboard = Schemas['Dashboard'];
export type LateDelivery = Dashboard['lateDeliveries']['orders'][number];
/** One row of the caller's inbox (`GET /me/notifications`, and each `notification` event of its stream). */
export type InboxNotification = Schemas['Notification'];
/** `GET /me/preferences`: how I am told (channels per priority, quiet hours, digest, addresses) and my push subscriptions. */
export type Preferences = Schemas['Preferences'];

/**
 * The JSON Schema of a task's form, as SchemaForm renders it. The contract types a form as any
 * JSON object (it is whatever the shop's definition declares), so this is the console's reading
 * of the keywords it understands.
 */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  format?: string;
  default?: unknown;
  /** What the field is in the shop (definitions/tasks/widgets.ts): its widget, the fact it is filled in from, what it adds up. */
  'x-shopflow'?: {
    widget?: 'product-picker' | 'address' | 'phone' | 'money';
    default?: { from: string };
    sum?: string[];
    /** What staff read for each enum value. */
    titles?: Record<string, string>;
    /** A checkbox beside the field: shown, and required, only when it is ticked. */
    when?: string;
    /** Computed from the shop's shipping fee rules from these sibling fields (address, items or total). */
    fee?: { address: string; total: string };
  };
}

// The contract leaves a few nested objects open (`{type: 'object'}`); the console reads the fields
// it shows from them with their types checked, so a missing or mistyped field shows as absent.
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const count = (value: unknown): number => (typeof value === 'number' ? value : 0);
const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' ? { ...value } : {});

/** One task an order waits on (an entry of `OrderDetail.current.waitingOn`). */
export interface WaitingOn {
  taskId: string;
  role: string;
  assigneeId: string | null;
  priority: string;
  dueAt: string | null;
  escalationLevel: number;
  title: string | null;
}
export function readWaitingOn(entry: Record<string, unknown>): WaitingOn {
  return {
    taskId: text(entry.taskId) ?? '',
    role: text(entry.role) ?? '',
    assigneeId: text(entry.assigneeId),
    priority: text(entry.priority) ?? '',
    dueAt: text(entry.dueAt),
    escalationLevel: count(entry.escalationLevel),
    title: text(entry.title),
  };
}

/** A courier's return rate in a return-rate metric (an entry of `KpiMetric.couriers`). */
export interface CourierReturnRate {
  value: number | null;
  shipped: number;
  returned: number;
}
export function readCourierReturnRate(entry: unknown): CourierReturnRate {
  const fields = record(entry);
  return {
    value: typeof fields.value === 'number' ? fields.value : null,
    shipped: count(fields.shipped),
    returned: count(fields.returned),
  };
}
