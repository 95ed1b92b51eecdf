/**
 * The order workflow's custom search attributes: what operators filter on in Temporal's Web UI
 * and CLI (`temporal workflow list --query 'OrderStage="ship"'`). Workflow-safe (only
 * `@temporalio/common`), so the workflow can upsert the same typed keys as the stage changes.
 *
 * No personal data: Temporal indexes search attributes unencrypted and shows them to anyone who
 * may list workflows, so customer names, phones and addresses never go here.
 *
 * The SQL visibility stores (the dev server's SQLite, a cluster's PostgreSQL/MySQL) offer a fixed
 * number of custom attributes per type and namespace (PostgreSQL schema of Temporal 1.30: 10
 * Keyword, 3 Int, 3 Text, 3 Double, 3 Bool, 3 Datetime, 3 KeywordList): these use 5 Keyword + 1 Int.
 */
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import type { OrderResult as EndResult } from '../../definitions/types';

/** Id of the stage the order is at (the end stage's id once it ended). */
export const OrderStage = defineSearchAttributeKey('OrderStage', SearchAttributeType.KEYWORD);
/** `open` while the order runs, then its end stage's result. */
export const OrderResult = defineSearchAttributeKey('OrderResult', SearchAttributeType.KEYWORD);
/** The lead's channel (shop.yaml `channels`), e.g. `facebook`. */
export const OrderChannel = defineSearchAttributeKey('OrderChannel', SearchAttributeType.KEYWORD);
/** The courier the parcel went to (shop.yaml `couriers` id), once it was handed over. */
export const OrderCourier = defineSearchAttributeKey('OrderCourier', SearchAttributeType.KEYWORD);
/** Name of the OrderProcess the order runs, e.g. `standard-order`. */
export const OrderDefinition = defineSearchAttributeKey('OrderDefinition', SearchAttributeType.KEYWORD);
/** Version of that OrderProcess (the snapshot the order started with). */
export const OrderDefinitionVersion = defineSearchAttributeKey('OrderDefinitionVersion', SearchAttributeType.INT);

/** What `OrderResult` holds: `open` while running, else the end stage's result. */
export type OrderResultValue = 'open' | EndResult;

/** Every order search attribute with its type, for registration (dev server flags, operator service). */
export const ORDER_SEARCH_ATTRIBUTES: ReadonlyArray<{ name: string; type: SearchAttributeType }> = [
  OrderStage,
  OrderResult,
  OrderChannel,
  OrderCourier,
  OrderDefinition,
  OrderDefinitionVersion,
].map((key) => ({ name: key.name, type: key.type }));

/** What an order's start knows. */
export interface OrderStartFacts {
  /** The process's start stage. */
  stage: string;
  channel: string;
  definition: { name: string; version: number };
}

/** The typed search attributes an order starts with: its start stage, result `open`, channel and definition. */
export function initialOrderSearchAttributes(facts: OrderStartFacts): SearchAttributePair[] {
  return [
    { key: OrderStage, value: facts.stage },
    { key: OrderResult, value: 'open' satisfies OrderResultValue },
    { key: OrderChannel, value: facts.channel },
    { key: OrderDefinition, value: facts.definition.name },
    { key: OrderDefinitionVersion, value: facts.definition.version },
  ];
}
