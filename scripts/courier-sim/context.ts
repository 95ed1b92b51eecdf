/** What the simulator's routes share, and how a create call answers when a fault is armed. */
import type { Response } from 'express';
import type { Logger } from 'pino';
import type { ScenarioPlayer } from './player';
import type { ScenarioName } from './scenarios';
import type { CreateFault, ShipmentStore } from './state';

export interface SimContext {
  store: ShipmentStore;
  player: ScenarioPlayer;
  defaultScenario: ScenarioName;
  /** Real milliseconds per simulated day. */
  dayMs: number;
  log: Logger;
  /** Answers held back by a timeout fault (cleared on close). */
  held: Set<NodeJS.Timeout>;
}

/**
 * Sends a create call's answer, or, under a timeout fault, holds it (the work is already done,
 * as when a courier's answer is lost on the way) and then sends it or the fault's error.
 */
export function answerCreate(
  ctx: SimContext,
  res: Response,
  fault: CreateFault | undefined,
  answer: { status: number; body: unknown },
  errorBody: (status: number) => unknown,
): void {
  const send = () => {
    if (res.writableEnded || res.destroyed) return;
    if (fault?.status) res.status(fault.status).json(errorBody(fault.status));
    else res.status(answer.status).json(answer.body);
  };
  if (!fault?.timeoutMs) {
    send();
    return;
  }
  const timer = setTimeout(() => {
    ctx.held.delete(timer);
    send();
  }, fault.timeoutMs);
  ctx.held.add(timer);
}

/** A field as trimmed text ('' when absent or not text/number). */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

/** A field as a number (numeric strings too), else NaN. */
export function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

/** The courier id the adapter named (`X-Shopflow-Courier`), used as the webhook path, else the API's name. */
export function webhookPathOf(header: string | undefined, api: 'ghn' | 'ghtk' | 'viettelpost'): string {
  return header && /^[a-z][a-z0-9-]{0,59}$/.test(header) ? header : api;
}

/** A simulated shipping fee: a base price plus a step per started 500 g. */
export function feeFor(weightGrams: number): number {
  return 16_500 + 2_500 * Math.max(0, Math.ceil(weightGrams / 500) - 1);
}
