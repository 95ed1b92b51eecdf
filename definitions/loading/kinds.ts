/**
 * The kinds of definition file shopflow understands. Adding a kind (KpiPlan, ComplaintProcess…)
 * is one JSON Schema in schema/ (registered in ajv.ts), one check and one compile function, and
 * one entry in DEFINITION_KINDS (plus its compiled type in the CompiledDefinition union).
 */
import type { SchemaKey } from './ajv';
import type { Issue } from './errors';
import { checkComplaintProcess } from '../complaints/check';
import { compileComplaintProcess, summarizeComplaintProcess } from '../complaints/compile';
import type { CompiledComplaintProcess } from '../complaints/types';
import { checkKpiPlan } from '../kpi/check';
import { compileKpiPlan, summarizeKpiPlan } from '../kpi/compile';
import { checkOrderProcess } from '../orders/check';
import { compileOrderProcess, summarizeOrderProcess } from '../orders/compile';
import { checkSalesGuide } from '../guides/check';
import { compileSalesGuide, summarizeSalesGuide } from '../guides/compile';
import type { CompiledSalesGuide } from '../guides/types';
import { checkStoreSaleProcess } from '../store/check';
import { compileStoreSaleProcess, summarizeStoreSaleProcess } from '../store/compile';
import type { CompiledStoreSaleProcess } from '../store/types';
import { checkShop } from '../shop/check';
import { compileShop, summarizeShop } from '../shop/compile';
import type { CompiledDefinition, CompiledKpiPlan, CompiledShop, LoadSummary } from '../types';

/** How to check and compile one kind of file. */
export interface DefinitionKind<T> {
  schema: SchemaKey;
  /** Process kinds are checked against a shop; the shop itself is not. */
  needsShop: boolean;
  /** Semantic issues; must not assume the data matches the schema. `shop` is null when unknown. */
  check(data: unknown, shop: CompiledShop | null): Issue[];
  /** Only called on data that passed schema and check (and with a shop if `needsShop`). */
  compile(data: unknown, shop: CompiledShop): T;
  summarize(value: T): LoadSummary;
}

export const SHOP_KIND: DefinitionKind<CompiledShop> = {
  schema: 'shop',
  needsShop: false,
  check: (data) => checkShop(data),
  compile: (data) => compileShop(data),
  summarize: summarizeShop,
};

/** Process definition kinds, by the `kind:` written in the file. */
export const DEFINITION_KINDS: Record<string, DefinitionKind<CompiledDefinition>> = {
  OrderProcess: {
    schema: 'order-process',
    needsShop: true,
    check: checkOrderProcess,
    compile: compileOrderProcess,
    summarize: summarizeOrderProcess,
  },
  KpiPlan: {
    schema: 'kpi-plan',
    needsShop: true,
    check: checkKpiPlan,
    compile: compileKpiPlan,
    summarize: (value) => summarizeKpiPlan(value as CompiledKpiPlan),
  },
  ComplaintProcess: {
    schema: 'complaint-process',
    needsShop: true,
    check: checkComplaintProcess,
    compile: compileComplaintProcess,
    summarize: (value) => summarizeComplaintProcess(value as CompiledComplaintProcess),
  },
  SalesGuide: {
    schema: 'sales-guide',
    needsShop: true,
    check: checkSalesGuide,
    compile: compileSalesGuide,
    summarize: (value) => summarizeSalesGuide(value as CompiledSalesGuide),
  },
  StoreSaleProcess: {
    schema: 'store-sale-process',
    needsShop: true,
    check: checkStoreSaleProcess,
    compile: compileStoreSaleProcess,
    summarize: (value) => summarizeStoreSaleProcess(value as CompiledStoreSaleProcess),
  },
};
