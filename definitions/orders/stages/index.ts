/**
 * The one list of order stage kinds (check and compile of each; the workflow side runs them
 * through workflows/orders/stages). The loader accepts exactly these kinds; a unit test holds
 * the JSON Schema's `kind` enum equal to this list.
 */
import { courierStage } from './courier';
import { endStage } from './end';
import { humanStage } from './human';
import type { OrderStageKind } from './kind';
import { notifyStage } from './notify';
import { waitStage } from './wait';

export const ORDER_STAGE_KINDS: readonly OrderStageKind[] = [
  humanStage,
  courierStage,
  waitStage,
  notifyStage,
  endStage,
] as OrderStageKind[];

/** The kind module for `kind:` as written, or undefined for an unknown kind (own keys only). */
export function orderStageKind(kind: unknown): OrderStageKind | undefined {
  return ORDER_STAGE_KINDS.find((k) => k.kind === kind);
}
