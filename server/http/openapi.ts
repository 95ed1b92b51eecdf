/**
 * The OpenAPI 3.1 description of shopflow's whole HTTP API, generated from the domains'
 * contracts (server/<domain>/contract.ts): the same TypeBox schemas validate the bodies and the
 * query parameters (an operation's `query` becomes its `in: query` parameters here).
 * `tests/integration/openapi.test.ts` keeps it true: every route the app registers is
 * documented, and everything documented exists; the console's types are generated from it.
 */
import type { TObject } from '@sinclair/typebox';
import {
  type DeclaredOperation,
  type DocumentPathItem,
  type DomainContract,
  type JsonSchema,
  type OpenApiDocument,
  type Operation,
  type Parameter,
  type PathItem,
} from './contract';
import { contract as api, responses } from './api-contract';
import { contract as definitions } from '../shop/definitions-contract';
import { contract as templates } from '../shop/templates-contract';
import { contract as guides } from '../guides/contract';
import { contract as dashboard } from '../shop/dashboard-contract';
import { contract as staff } from '../staff/contract';
import { contract as tasks } from '../tasks/contract';
import { contract as orders } from '../orders/contract';
import { contract as packing } from '../packing/contract';
import { contract as store } from '../store/contract';
import { contract as shipping } from '../shipping/contract';
import { contract as kpi } from '../kpi/contract';
import { contract as payouts } from '../kpi/payouts-contract';
import { contract as customers } from '../customers/contract';
import { contract as complaints } from '../complaints/contract';
import { contract as books } from '../books/contract';
import { contract as notifications } from '../notifications/contract';
import { contract as delivery } from '../notifications/preferences-contract';
import { contract as customerMessages } from '../messaging/contract';
import { contract as places } from '../places/contract';
import { contract as webShops } from '../webshops/contract';
import { contract as channelLeads } from '../inbound/contract';
import { contract as setup } from '../setup/contract';
import { contract as suppliers } from '../suppliers/contract';
import { contract as reports } from '../reports/contract';

export { HTTP_METHODS } from './contract';
export type {
  DocumentPathItem as PathItem,
  HttpMethod,
  JsonSchema,
  Operation,
  OpenApiDocument,
  Parameter,
  ResponseObject,
  ScopeNote,
} from './contract';

const version: string = require('../../package.json').version;

/** Every domain's part, in the order of the document's tags. */
const domains: DomainContract[] = [
  api,
  definitions,
  templates,
  staff,
  tasks,
  orders,
  packing,
  store,
  shipping,
  kpi,
  payouts,
  dashboard,
  guides,
  customers,
  complaints,
  books,
  suppliers,
  reports,
  notifications,
  delivery,
  customerMessages,
  places,
  webShops,
  channelLeads,
  setup,
];

/**
 * The `in: query` parameters of a query schema (a TypeBox object): one per property, in its
 * order, with the property's `description` as the parameter's and the rest as its schema;
 * `required` when the object requires it.
 */
export function queryParameters(query: TObject): Parameter[] {
  const required = new Set(query.required ?? []);
  return Object.entries(query.properties).map(([name, property]) => {
    // A plain copy: TypeBox's symbol-keyed markers are not part of the document.
    const { description, ...schema } = JSON.parse(JSON.stringify(property)) as JsonSchema;
    if (typeof description !== 'string' || !description) throw new Error(`query parameter "${name}" needs a description`);
    return { name, in: 'query', ...(required.has(name) ? { required: true } : {}), description, schema };
  });
}

/** The operation as documented: `query` becomes `parameters` (after any path and header ones), where the declaration had them. */
function documented(op: DeclaredOperation): Operation {
  if (!op.query) return op;
  const parameters = [...(op.parameters ?? []), ...queryParameters(op.query)];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(op)) {
    if (key === 'query' || key === 'parameters') out.parameters ??= parameters;
    else out[key] = value;
  }
  return out as unknown as Operation;
}

function documentedPaths(paths: Record<string, PathItem>): Record<string, DocumentPathItem> {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      path,
      Object.fromEntries(Object.entries(item).map(([method, op]) => [method, documented(op)])) as DocumentPathItem,
    ]),
  );
}

/** The API as it is now; served at `/api/v1/openapi.json`. */
export const openApiDocument: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'shopflow API',
    version,
    description:
      'Workflow automation for online shops: staff tasks, leads that start orders, process definitions, staff and tokens. ' +
      'Every `/api/v1` call needs `Authorization: Bearer <token>`. Every error has the shape `{"error": {"code", "message", "details"?}}`; ' +
      'an unexpected failure is 500 with code `internal`.\n\n' +
      "Each operation names what it needs: `x-permission` lists the permissions the caller's roles must all hold (`*` holds every one; `[]`: any staff member's token), " +
      '`x-permissions` (when present) lists alternatives of which one is needed as well, and without them the answer is 403. ' +
      '`x-scope` (when present) says how the answer is narrowed beyond permissions: `who: own` applies to callers whose roles all have scope `own` in shop.yaml ' +
      "(they see only their records: orders whose tasks they hold or held, their tasks and their roles' queues, customers of those orders and ones they created), " +
      '`who: self` to every caller for records other than themselves; `kind: record` answers `denied` (404 or 403) for such a record, `kind: list` leaves its rows out; `unless` names a permission that lifts it.',
  },
  tags: domains.flatMap((d) => d.tags),
  security: [{ bearerAuth: [] }],
  paths: Object.assign({}, ...domains.map((d) => documentedPaths(d.paths))),
  components: {
    securitySchemes: {
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        description: "A staff member's API token (`sf_…`), issued by `POST /api/v1/staff` or `POST /api/v1/staff/{id}/tokens`.",
      },
    },
    schemas: Object.assign({}, ...domains.map((d) => d.schemas)),
    responses,
  },
};
