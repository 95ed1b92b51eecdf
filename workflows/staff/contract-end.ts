/**
 * `contract-end:<staffId>`: waits for an outsourced member's contract to end, then hands their
 * open work back to the in-house role, once. The end is read again after every wait (a manager may
 * extend or shorten it: a `contractChanged` signal wakes the wait at once; a change to shop.yaml is
 * seen within the hour), so the timer never fires on a stale date. A Temporal timer survives
 * restarts of the worker, the API and Temporal itself.
 */
import { condition, continueAsNew, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { HandBackResult } from '../../activities/staff/contracts';

/** Input of `contract-end:<staffId>`. */
export interface ContractEndInput {
  staffId: string;
}

/** The business id of a member's contract-end workflow. */
export const contractEndWorkflowId = (staffId: string) => `contract-end:${staffId}`;

/** The member's contract changed (its end, their roles): read it again now. */
export const contractChangedSignal = defineSignal('contractChanged');

/** The longest wait before the end is read again (shop.yaml changes send no signal). */
const RECHECK_MS = 60 * 60 * 1000;
/** Waits per run before continue-as-new keeps the history short (a year of hourly rechecks is ~9,000). */
const WAITS_PER_RUN = 500;

const { contractState, handBackContractorWork } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Ends with what the hand-back did, or null when the member is no longer outsourced (nothing to hand back). */
export async function contractEndWorkflow(input: ContractEndInput): Promise<HandBackResult | null> {
  let changed = false;
  setHandler(contractChangedSignal, () => {
    changed = true;
  });
  for (let wait = 0; wait < WAITS_PER_RUN; wait++) {
    changed = false;
    const state = await contractState({ staffId: input.staffId });
    if (!state.outsourced || state.handedBack) return null;
    const left = state.endsAtMs === null ? RECHECK_MS : state.endsAtMs - Date.now();
    if (left <= 0) {
      const result = await handBackContractorWork({ staffId: input.staffId });
      if (result.ended) return result;
      continue; // extended at the last moment: read the new end
    }
    await condition(() => changed, Math.min(left, RECHECK_MS));
  }
  return continueAsNew<typeof contractEndWorkflow>(input);
}
