/** Shared helpers for the definitions unit tests: the shipped files and positions in test YAML. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadShopText } from '../../../definitions/loading/loader';
import type { CompiledShop, DefinitionError, LoadResult } from '../../../definitions/types';

export const DEFINITIONS_DIR = join(__dirname, '../../../definitions');
export const SHOP_FILE = join(DEFINITIONS_DIR, 'shop.yaml');
export const ORDER_FILE = join(DEFINITIONS_DIR, 'processes/order.yaml');

export const shopText = (): string => readFileSync(SHOP_FILE, 'utf8');
export const orderText = (): string => readFileSync(ORDER_FILE, 'utf8');

/** The shipped shop, compiled (fails the test run loudly if it does not load). */
export function shippedShop(): CompiledShop {
  const result = loadShopText(shopText(), SHOP_FILE);
  if (!result.ok) throw new Error(`shipped shop.yaml does not load: ${JSON.stringify(result.errors, null, 2)}`);
  return result.value;
}

/** The errors of a failed load (fails the test if it succeeded). */
export function errorsOf<T>(result: LoadResult<T>): DefinitionError[] {
  if (result.ok) throw new Error(`expected errors, but it loaded: ${result.summary.text}`);
  return result.errors;
}

/** 1-based line/col of `needle` in `text` (plus `skip` characters into it). */
export function positionOf(text: string, needle: string, skip = 0): { line: number; col: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" is not in the text`);
  const before = text.slice(0, index + skip).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

/** The one error at a path (fails if there is none or several). */
export function errorAt(errors: DefinitionError[], path: string): DefinitionError {
  const found = errors.filter((e) => e.path === path);
  if (found.length !== 1) {
    throw new Error(`expected one error at ${path}, got ${found.length}:\n${errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`);
  }
  return found[0];
}

/** A small valid order process around the given stages (YAML list items indented by 4). */
export function processYaml(stages: string, start = 'close'): string {
  return `apiVersion: shopflow/v1
kind: OrderProcess
metadata: { name: test-order, title: "Test" }
spec:
  start: ${start}
  stages:
${stages}`;
}

/** Two stages that make a valid process when added to others: a human close step and an end. */
export const CLOSE_AND_DONE = `    - id: close
      kind: human
      role: sales
      title: "Chốt đơn"
      sla: 2s
      on: { closed: done }
    - { id: done, kind: end, title: "Xong", result: completed }
`;

/** A process whose close stage has a form with these properties (YAML, indented for `properties:`). */
export const processWithCloseForm = (properties: string) =>
  processYaml(`    - id: close
      kind: human
      role: sales
      title: "Chốt đơn"
      sla: 2s
      form:
        type: object
        properties:
${properties}
      on:
        closed: done
    - { id: done, kind: end, title: "Xong", result: completed }
`);
