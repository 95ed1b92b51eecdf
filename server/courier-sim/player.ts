/**
 * Plays a shipment's scenario in scaled time: each step changes the shipment's status and sends
 * the courier's webhook. Manual steps and cancellation stop what is left of the scenario.
 */
import { SCENARIO_STEPS } from './scenarios';
import type { SimShipment } from './state';
import type { WebhookDelivery, WebhookSender } from './webhooks';

export interface StatusChange {
  status: string;
  reason?: string;
  reasonCode?: string;
}

export function createScenarioPlayer(deps: { sender: WebhookSender; dayMs: number; startDelayMs: number }) {
  function apply(s: SimShipment, change: StatusChange, ghnType: 'create' | 'switch_status'): Promise<WebhookDelivery> {
    const at = new Date();
    if (s.status !== change.status || s.history.length === 0) {
      s.status = change.status;
      s.history.push({
        status: change.status,
        at: at.toISOString(),
        ...(change.reason ? { reason: change.reason } : {}),
        ...(change.reasonCode ? { reasonCode: change.reasonCode } : {}),
      });
    }
    return deps.sender.send(s, { ...change, at, ghnType });
  }

  function stop(s: SimShipment): void {
    for (const timer of s.timers) clearTimeout(timer);
    s.timers.clear();
  }

  return {
    /** Schedules the shipment's scenario from now. */
    start(s: SimShipment): void {
      let first = true;
      for (const step of SCENARIO_STEPS[s.scenario]) {
        const status = s.api === 'ghn' ? step.ghn : step.ghtk?.statusId;
        if (!status) continue;
        const change: StatusChange = { status, reason: step.reason, reasonCode: s.api === 'ghtk' ? step.ghtk?.reasonCode : undefined };
        const ghnType = first ? 'create' : 'switch_status';
        first = false;
        const timer = setTimeout(() => {
          s.timers.delete(timer);
          void apply(s, change, ghnType);
        }, deps.startDelayMs + step.day * deps.dayMs);
        s.timers.add(timer);
      }
    },
    /** One step now, by hand: the rest of the scenario is dropped. */
    advance(s: SimShipment, change: StatusChange): Promise<WebhookDelivery> {
      stop(s);
      return apply(s, change, 'switch_status');
    },
    stop,
  };
}

export type ScenarioPlayer = ReturnType<typeof createScenarioPlayer>;
