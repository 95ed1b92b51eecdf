/**
 * Plays a shipment's scenario in scaled time: each step changes the shipment's status and sends
 * the courier's webhook. Manual steps and cancellation stop what is left of the scenario.
 */
import { SCENARIO_STEPS } from './scenarios';
import { partialReturnOf, type SimShipment } from './state';
import type { WebhookDelivery, WebhookSender } from './webhooks';

export interface StatusChange {
  status: string;
  reason?: string;
  reasonCode?: string;
  /** The customer keeps only part of the parcel (a partial delivery). */
  partial?: boolean;
}

export function createScenarioPlayer(deps: { sender: WebhookSender; dayMs: number; startDelayMs: number }) {
  function apply(s: SimShipment, change: StatusChange, ghnType: 'create' | 'switch_status'): Promise<WebhookDelivery> {
    const at = new Date();
    // From a partial delivery on, the courier collects (and reports) only the part kept.
    if (change.partial && !s.partialReturn) {
      s.partialReturn = partialReturnOf(s);
      s.codAmount = s.partialReturn.collected;
    }
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
        const status = s.api === 'ghn' ? step.ghn : s.api === 'ghtk' ? step.ghtk?.statusId : step.viettelpost?.status;
        if (!status) continue;
        const change: StatusChange = {
          status,
          reason: step.reason,
          reasonCode: s.api === 'ghtk' ? step.ghtk?.reasonCode : s.api === 'viettelpost' ? step.viettelpost?.reasonCode : undefined,
          partial: step.partial,
        };
        const ghnType = first ? 'create' : 'switch_status';
        first = false;
        const timer = setTimeout(
          () => {
            s.timers.delete(timer);
            void apply(s, change, ghnType);
          },
          deps.startDelayMs + step.day * deps.dayMs,
        );
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
