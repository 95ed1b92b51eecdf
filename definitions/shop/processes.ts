/**
 * Which order process a lead runs: the one the request names, else its channel's
 * (`channels.<id>.process`), else the shop's `defaultProcess`, else the most recently activated.
 * Pure: the API picks with it, and activation checks the shop's choices with it.
 */
import { ownEntry } from '../rules/own';
import type { CompiledShop } from '../types';

/** Where the chosen process name came from, so a refusal can name the setting to fix. */
export type ProcessChoice =
  | { name: string; from: 'request' }
  | { name: string; from: 'channel'; setting: string }
  | { name: string; from: 'default'; setting: string }
  | { name: null; from: 'latest' };

/** The process a lead on `channel` runs; `requested` (the request's `process`) wins. */
export function chooseProcess(shop: CompiledShop, channel: string, requested?: string): ProcessChoice {
  if (requested) return { name: requested, from: 'request' };
  const mapped = ownEntry(shop.channels, channel)?.process;
  if (mapped) return { name: mapped, from: 'channel', setting: `spec.channels.${channel}.process` };
  if (shop.defaultProcess) return { name: shop.defaultProcess, from: 'default', setting: 'spec.defaultProcess' };
  return { name: null, from: 'latest' };
}

/**
 * The kinds of process a lead can run: the order process (online, a durable workflow) and the
 * store sale (a walk-in sale at the counter). A channel's `process` and `defaultProcess` name one.
 */
export const LEAD_PROCESS_KINDS: readonly string[] = ['OrderProcess', 'StoreSaleProcess'];
export const runsLeads = (kind: string): boolean => LEAD_PROCESS_KINDS.includes(kind);

/** A shop setting naming an order process that is not active (shop.yaml path + message). */
export interface ProcessSettingProblem {
  path: string;
  message: string;
}

/**
 * The channel → process settings that name no active lead process. `active` holds the names of
 * the active (or about to be activated, in the same batch) OrderProcess and StoreSaleProcess definitions.
 */
export function processSettingProblems(shop: CompiledShop, active: ReadonlySet<string>): ProcessSettingProblem[] {
  const known = [...active].sort().join(', ') || 'chưa có';
  const problems: ProcessSettingProblem[] = [];
  const check = (name: string | undefined, path: string, what: string) => {
    if (name && !active.has(name))
      problems.push({
        path,
        message: `${what} "${name}" nhưng không có quy trình bán hàng (OrderProcess hoặc StoreSaleProcess) nào tên này đang hoạt động — các quy trình đang hoạt động: ${known}`,
      });
  };
  for (const channel of Object.values(shop.channels))
    check(channel.process, `spec.channels.${channel.id}.process`, `kênh "${channel.title}" chạy quy trình`);
  check(shop.defaultProcess, 'spec.defaultProcess', 'quy trình mặc định là');
  return problems;
}
