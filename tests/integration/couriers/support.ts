/**
 * Shared parts of the courier tests: the simulator on a free port with a small time scale, a
 * small webhook receiver that does what shopflow's webhook route does (parse + verify with the
 * adapter), and an order to ship.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  ForgedWebhookError,
  type CourierAdapter,
  type CourierStatusEvent,
  type CreateShipmentRequest,
} from '../../../activities/shipping/couriers/types';
import { createCourierSimulator, type CourierSimulator, type CourierSimulatorOptions } from '../../../scripts/courier-sim';

export const SECRET = 'courier-test-secret-0123456789';

export interface Receiver {
  url: string;
  /** Events by tracking code, in the order they arrived. */
  events: Map<string, CourierStatusEvent[]>;
  forged: number;
  /** Answer 503 to the next N webhooks (the shop's server is down). */
  refuseNext(n: number): void;
  refused: number;
  waitFor(trackingCode: string, done: (events: CourierStatusEvent[]) => boolean, timeoutMs?: number): Promise<CourierStatusEvent[]>;
  close(): Promise<void>;
}

/** `POST /webhooks/couriers/:courier` → adapters[courier].parseWebhook, like shopflow's route. */
export async function startReceiver(adapters: Record<string, CourierAdapter>): Promise<Receiver> {
  const events = new Map<string, CourierStatusEvent[]>();
  let refuse = 0;
  const receiver = { forged: 0, refused: 0 };
  const app = express();
  app.post('/webhooks/couriers/:courier', express.json(), express.urlencoded({ extended: false }), (req, res) => {
    if (refuse > 0) {
      refuse--;
      receiver.refused++;
      res.status(503).json({ error: 'down for maintenance' });
      return;
    }
    const adapter = adapters[String(req.params.courier)];
    if (!adapter) {
      res.status(404).json({ error: `no courier ${String(req.params.courier)}` });
      return;
    }
    try {
      for (const event of adapter.parseWebhook({
        headers: req.headers,
        query: req.query as Record<string, unknown>,
        body: (req.body ?? {}) as Record<string, unknown>,
      })) {
        events.set(event.trackingCode, [...(events.get(event.trackingCode) ?? []), event]);
      }
      res.json({ ok: true });
    } catch (err) {
      if (err instanceof ForgedWebhookError) receiver.forged++;
      res.status(err instanceof ForgedWebhookError ? 401 : 400).json({ error: (err as Error).message });
    }
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/couriers`,
    events,
    get forged() {
      return receiver.forged;
    },
    get refused() {
      return receiver.refused;
    },
    refuseNext(n) {
      refuse = n;
    },
    async waitFor(trackingCode, done, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const seen = events.get(trackingCode) ?? [];
        if (done(seen)) return seen;
        if (Date.now() > until)
          throw new Error(`waited ${timeoutMs} ms for ${trackingCode}; saw ${JSON.stringify(seen.map((e) => e.rawStatus))}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The simulator on a free port: 0.2 s per simulated day unless told otherwise, quick retries. */
export function startSimulator(options: Partial<CourierSimulatorOptions> = {}): Promise<CourierSimulator> {
  return createCourierSimulator({
    port: 0,
    webhookUrl: 'http://127.0.0.1:9/unused',
    secret: SECRET,
    timeScale: 0.2,
    startDelayMs: 50,
    webhookAttempts: 4,
    webhookRetryDelayMs: 50,
    defaultScenario: 'manual',
    ...options,
  });
}

let sequence = 0;
/** A fresh order code per call (tests share one simulator). */
export const orderCode = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++sequence}`;

/** An order to ship; `note` may carry a `[sim:<scenario>]` tag. */
export function shipmentRequest(code: string, over: Partial<CreateShipmentRequest> = {}): CreateShipmentRequest {
  return {
    orderCode: code,
    to: {
      name: 'Trần Văn Minh',
      phone: '0901234567',
      address: '45 Nguyễn Huệ',
      ward: 'Phường Bến Nghé',
      district: 'Quận 1',
      province: 'TP. Hồ Chí Minh',
    },
    codAmount: 320000,
    value: 320000,
    weightGrams: 900,
    lengthCm: 25,
    widthCm: 20,
    heightCm: 8,
    items: [{ name: 'Giày thể thao', sku: 'GTT-42', qty: 1, price: 320000 }],
    note: '[sim:manual]',
    ...over,
  };
}

export interface SimShipmentView {
  api: string;
  trackingCode: string;
  clientOrderCode: string;
  scenario: string;
  status: string;
  webhookPath: string;
  createCalls: number;
  history: Array<{ status: string; at: string }>;
}

/** The simulator's shipments for one order code (through its test hook). */
export async function simShipmentsOf(sim: CourierSimulator, clientOrderCode: string): Promise<SimShipmentView[]> {
  const res = await fetch(`${sim.url}/__sim/shipments`);
  const { shipments } = (await res.json()) as { shipments: SimShipmentView[] };
  return shipments.filter((s) => s.clientOrderCode === clientOrderCode);
}

export async function armFault(
  sim: CourierSimulator,
  fault: { createFailures: number; status?: number; timeoutMs?: number },
): Promise<void> {
  const res = await fetch(`${sim.url}/__sim/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (!res.ok) throw new Error(`arming the fault failed: ${res.status} ${await res.text()}`);
}

/** One status change now, in the courier's words; resolves after its webhook was delivered (or given up). */
export async function advance(
  sim: CourierSimulator,
  trackingCode: string,
  status: string,
  extra: { reason?: string; reasonCode?: string } = {},
) {
  const res = await fetch(`${sim.url}/__sim/shipments/${encodeURIComponent(trackingCode)}/advance`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ status, ...extra }),
  });
  if (!res.ok) throw new Error(`advance failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { shipment: SimShipmentView; webhook: { delivered: boolean; attempts: number; httpStatus?: number } };
}

/** The error a promise fails with (fails the test if it resolves). */
export async function failureOf(promise: Promise<unknown>): Promise<Error & { retryable?: boolean; status?: number }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { retryable?: boolean; status?: number };
  }
  throw new Error('expected a failure, but it succeeded');
}
