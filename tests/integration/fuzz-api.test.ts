/**
 * Bad HTTP input, fuzzed with fast-check against the API's own schemas: every write operation
 * in the OpenAPI document (read at run time, so routes added later are fuzzed too) gets bodies
 * built from its request schema and then broken — wrong types, missing required fields, extra
 * properties, huge strings, odd unicode, nested junk, malformed JSON, wrong content types — and
 * odd path parameters. Whatever comes in: never a 500, errors in the one shape, and a refused
 * request changes nothing (a checksum of every table before and after; a valid request shows
 * the checksum notices a change). Seed and counterexample are printed on failure; reproduce with
 * FUZZ_SEED=<seed>, run longer with FUZZ_RUNS=<runs per operation>.
 *
 * Bodies are sent as JSON most of the time and built from the schema with the shop's own ids
 * (channels, roles, couriers, SKUs, customers, the test process) so a good share pass validation
 * and reach the handlers; the answers per operation are printed and checked at the end. Classes
 * of bad input measured once on this API are generated too: names of Object.prototype members in
 * every id position (path and body), 5,000-deep nesting, repeated query parameters on every
 * route, reused Idempotency-Keys with another body (never accepted twice), and formula-looking
 * text that every CSV export must write neutralised.
 */
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { parseCsv } from '../../server/books/csv-export';
import { canonicalJson } from '../../server/http/idempotency';
import { activeShop } from '../../db/active-shop';
import { stockSettings } from '../../definitions/types';
import { HTTP_METHODS, openApiDocument, type JsonSchema, type Operation } from '../../server/http/openapi';
import { eventually, fixture, openTestStack, type TestStack } from '../support/stack';

const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
/** Bodies per operation sent exactly as built from its schema (JSON, the shop's own ids), before the random runs. */
const AS_BUILT_EXAMPLES = 3;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;

let stack: TestStack;
let base: string;
let admin: { id: string; token: string };
/** Ids that exist (a victim staff member and token, a task, an order, a customer, definitions…), never the admin's own. */
const known: Record<string, string[]> = {};
/** Good values for body fields by property name (the shop's channels, roles, SKUs…), so bodies get past validation. */
const hints: Record<string, string[]> = {};

/** Names Object.prototype answers to: as ids they once gave 500s and orders without an assignee. */
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];
/** Text a spreadsheet would run as a formula (OWASP CSV injection), `-2+3+cmd|…` included. */
const FORMULAS = [
  '=HYPERLINK("http://evil.example","bấm")',
  "+84-cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\t=1+1',
  '\r=1+1',
];

// ─── The database, summed up ───────────────────────────────────────────────────

/** Rows of a raw query (the Drizzle type over both drivers does not know their shape). */
async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await stack.database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

let snapshotSql: string | undefined;
/** Row count and checksum of every table (api_tokens.last_used_at aside: reading with a token may touch it). */
async function snapshot(): Promise<Record<string, string>> {
  if (!snapshotSql) {
    const tables = await rows<{ name: string }>(
      sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    );
    snapshotSql = tables
      .map(
        ({ name }) =>
          `select '${name}' as name, count(*)::int as n, md5(coalesce(string_agg((to_jsonb(t) - 'last_used_at')::text, '|' order by (to_jsonb(t) - 'last_used_at')::text), '')) as sum from "${name}" t`,
      )
      .join(' union all ');
  }
  const sums = await rows<{ name: string; n: number; sum: string }>(sql.raw(snapshotSql));
  return Object.fromEntries(sums.map((r) => [r.name, `${r.n}:${r.sum}`]));
}

const changedTables = (a: Record<string, string>, b: Record<string, string>) => Object.keys({ ...a, ...b }).filter((k) => a[k] !== b[k]);

/**
 * After an accepted request, background work (an order's or KPI period's workflow, with activity
 * retries a second apart) may still write: wait until nothing has changed for 1.5 s.
 */
async function settled(): Promise<Record<string, string>> {
  let last = await snapshot();
  let quiet = 0;
  for (let i = 0; i < 80 && quiet < 6; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await snapshot();
    quiet = changedTables(last, now).length === 0 ? quiet + 1 : 0;
    last = now;
  }
  return last;
}

/** Whether the operation documents this status with a body other than the one error shape (say, a validation report). */
function documentsOwnShape(op: Operation, status: number): boolean {
  const response = resolve(op.responses[status] ?? op.responses[String(status)] ?? {}) as {
    content?: Record<string, { schema?: { $ref?: string } }>;
  };
  const schemaRef = response.content?.['application/json']?.schema?.$ref;
  return Boolean(response.content) && schemaRef !== '#/components/schemas/Error';
}

// ─── Operations from the OpenAPI document ──────────────────────────────────────

interface WriteOperation {
  method: string;
  path: string;
  op: Operation;
}
const writeOperations: WriteOperation[] = Object.entries(openApiDocument.paths).flatMap(([path, item]) =>
  HTTP_METHODS.filter((m) => m !== 'get' && item[m]).map((m) => ({ method: m.toUpperCase(), path, op: item[m]! })),
);

function resolve(schema: unknown): JsonSchema {
  let s = schema as JsonSchema;
  for (let i = 0; i < 10 && typeof s.$ref === 'string'; i++) {
    s = (s.$ref as string)
      .slice(2)
      .split('/')
      .reduce<any>((node, key) => node?.[key], openApiDocument) as JsonSchema;
  }
  return s ?? {};
}

// ─── Values: roughly valid from the schema, then broken ───────────────────────

/** Strings that have broken servers: NUL, lone surrogates, RTL, combining marks, emoji, SQL/JSON/regex bait. */
const oddStrings = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\u202e\u0635\u0628\u0627\u062d',
  'e\u0301\u0301\u0301',
  '🛒🚚💸',
  'Nguyễn Thị Ánh',
  '\uFEFF',
  "'; drop table orders; --",
  '{"$ne": null}',
  '../../etc/passwd',
  '(a+)+$',
  '%00',
  '\\',
  '\r\n\r\n',
  ' ',
  '',
  'null',
  'NaN',
  '-0',
  '1e309',
);
const junkLeaf = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string(),
  oddStrings,
  fc.constant(2 ** 53 + 1),
  fc.constant(-1),
  fc.constant(1e300),
);
const nestedJunk = fc.integer({ min: 2, max: 300 }).map((depth) => {
  let v: unknown = 'deep';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { v };
  return v;
});

function arbitraryOf(schemaIn: unknown, depth = 0, name?: string): fc.Arbitrary<unknown> {
  const schema = resolve(schemaIn);
  if (depth > 4) return fc.constant(null);
  const hinted = name ? hints[name] : undefined;
  const isText = schema.type === 'string' || (Array.isArray(schema.type) && schema.type.includes('string'));
  if (hinted?.length && isText && !Array.isArray(schema.enum)) {
    return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...hinted) }, { weight: 1, arbitrary: arbitraryOf({ ...schema }, depth) });
  }
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if ('const' in schema) return fc.constant(schema.const);
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[key])) return fc.oneof(...(schema[key] as unknown[]).map((s) => arbitraryOf(s, depth + 1)));
  }
  const types = Array.isArray(schema.type)
    ? (schema.type as string[])
    : schema.type
      ? [schema.type as string]
      : schema.properties
        ? ['object']
        : [];
  if (types.length > 1) return fc.oneof(...types.map((t) => arbitraryOf({ ...schema, type: t }, depth)));
  const min = (k: string, d: number) => (typeof schema[k] === 'number' ? (schema[k] as number) : d);
  switch (types[0]) {
    case 'string':
      if (schema.format === 'date-time')
        return fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'date')
        return fc
          .date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      if (schema.format === 'email') return fc.emailAddress();
      if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern as string)).map((v) => v.slice(0, 200));
      return fc.string({ minLength: min('minLength', 0), maxLength: Math.max(min('minLength', 0), Math.min(min('maxLength', 24), 24)) });
    case 'integer':
      return fc.integer({ min: min('minimum', -1000), max: min('maximum', 1_000_000) });
    case 'number':
      return fc.double({ min: min('minimum', -1000), max: min('maximum', 1_000_000), noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(arbitraryOf(schema.items ?? {}, depth + 1, name), {
        minLength: min('minItems', 0),
        maxLength: Math.max(min('minItems', 0), 3),
      });
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, unknown>;
      if (!Object.keys(props).length) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
      return fc.record(Object.fromEntries(Object.entries(props).map(([k, s]) => [k, arbitraryOf(s, depth + 1, k)])), {
        requiredKeys: (schema.required as string[] | undefined) ?? [],
      });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Every path into a value (objects and arrays), so a mutation can pick one. */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

type Mutation =
  | 'as-is'
  | 'wrong-type'
  | 'drop-field'
  | 'extra-field'
  | 'huge-string'
  | 'too-large'
  | 'odd-string'
  | 'nested-junk'
  | 'any-json'
  | 'prototype-name'
  | 'formula'
  | 'deep-nesting';
/** Half the bodies go as built (valid more often than not, to reach the handlers); the rest broken one way. */
const mutations: Mutation[] = [
  'as-is',
  'as-is',
  'as-is',
  'as-is',
  'as-is',
  'as-is',
  'as-is',
  'as-is',
  'as-is',
  'as-is',
  'wrong-type',
  'wrong-type',
  'drop-field',
  'extra-field',
  'huge-string',
  'too-large',
  'odd-string',
  'odd-string',
  'nested-junk',
  'any-json',
  'prototype-name',
  'prototype-name',
  'formula',
  'deep-nesting',
];

/** A body nested 5,000 levels deep in arrays and objects (it overflowed the server's stack once), as text: too deep for JSON.stringify here. */
const DEEP_TEXT = `${'[{"v":'.repeat(2500)}"deep"${'}]'.repeat(2500)}`;

function mutate(value: unknown, kind: Mutation, pick: number, junk: unknown, odd: string, nested: unknown, anyJson: unknown): unknown {
  if (kind === 'as-is') return value;
  if (kind === 'any-json') return anyJson;
  if (kind === 'deep-nesting') return null; // put on the wire as DEEP_TEXT
  if (kind === 'prototype-name' || kind === 'formula') {
    // A text leaf (an id position when the schema has one) becomes a prototype name or a formula.
    const copy = structuredClone(value) as any;
    const texts = pathsOf(copy).filter((p) => p.length > 0 && typeof p.reduce((node, key) => node?.[key], copy) === 'string');
    if (!texts.length) return copy;
    const path = texts[pick % texts.length]!;
    const parent = path.slice(0, -1).reduce((node, key) => node[key], copy);
    parent[path[path.length - 1]!] = kind === 'formula' ? FORMULAS[pick % FORMULAS.length] : PROTOTYPE_NAMES[pick % PROTOTYPE_NAMES.length];
    return copy;
  }
  const copy = structuredClone(value) as any;
  const paths = pathsOf(copy);
  const path = paths[pick % paths.length]!;
  const replacement =
    kind === 'wrong-type'
      ? junk
      : kind === 'huge-string'
        ? 'ư'.repeat(40_000)
        : kind === 'too-large'
          ? 'x'.repeat(300_000)
          : kind === 'odd-string'
            ? odd
            : kind === 'nested-junk'
              ? nested
              : undefined;
  if (path.length === 0) {
    if (kind === 'drop-field') return undefined;
    if (kind === 'extra-field') return copy && typeof copy === 'object' && !Array.isArray(copy) ? { ...copy, [`x_${odd}`]: junk } : junk;
    return replacement;
  }
  const parent = path.slice(0, -1).reduce((node, key) => node[key], copy);
  const key = path[path.length - 1]!;
  if (kind === 'drop-field') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (kind === 'extra-field') {
    if (parent && typeof parent === 'object' && !Array.isArray(parent)) parent[`x_${odd}_${String(key)}`] = junk;
    else parent[key] = { junk };
  } else {
    parent[key] = replacement;
  }
  return copy;
}

/** A body for an operation: schema-guided and broken, or arbitrary; then put on the wire (maybe wrongly). */
function requestArbitrary(op: Operation, asBuilt = false) {
  const content = op.requestBody?.content ?? {};
  const jsonSchema = content['application/json']?.schema ?? (content['application/yaml'] ? { type: 'string' } : { type: 'object' });
  const isYaml = Boolean(content['application/yaml']);
  const value = fc
    .tuple(
      arbitraryOf(jsonSchema),
      asBuilt ? fc.constant<Mutation>('as-is') : fc.constantFrom(...mutations),
      fc.nat(),
      junkLeaf,
      oddStrings,
      nestedJunk,
      fc.jsonValue({ maxDepth: 3 }),
    )
    .map(([v, kind, pick, junk, odd, nested, anyJson]) => ({ kind, value: mutate(v, kind, pick, junk, odd, nested, anyJson) }));
  const yamlText = fc.oneof(
    fc.string({ maxLength: 200 }),
    oddStrings,
    fc.constantFrom(
      'a: [',
      ': :',
      '- - -\n  :',
      'apiVersion: shopflow/v1\nkind: Shop\n',
      'apiVersion: shopflow/v1\nkind: OrderProcess\nmetadata: { name: 7 }\nspec: []\n',
      '&a [*a, *a]',
      '!!binary AAAA',
      `key: ${'x'.repeat(300_000)}`,
    ),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  );
  const wire = asBuilt
    ? fc.constant('json')
    : fc.constantFrom(
        'json',
        'json',
        'json',
        'json',
        'json',
        'json',
        'json',
        'json',
        'malformed-json',
        'text/plain',
        'form',
        'none',
        'xml',
        'yaml',
      );
  return fc.tuple(value, wire, fc.nat(), yamlText).map(([{ kind, value: v }, format, cut, yaml]) => {
    const text = kind === 'deep-nesting' ? DEEP_TEXT : v === undefined ? '' : JSON.stringify(v);
    switch (isYaml && format === 'yaml' ? 'yaml-text' : format) {
      case 'yaml-text':
        return { mutation: 'yaml', contentType: 'application/yaml', body: yaml };
      case 'malformed-json':
        return {
          mutation: kind,
          contentType: 'application/json',
          body: `${text.slice(0, cut % Math.max(1, text.length))}${['', '{', ',', '"', '\\', ']'][cut % 6]}`,
        };
      case 'text/plain':
        return { mutation: kind, contentType: 'text/plain', body: text };
      case 'form':
        return {
          mutation: kind,
          contentType: 'application/x-www-form-urlencoded',
          body: `a=${encodeURIComponent(text.slice(0, 1000))}&a[b]=1&__proto__[x]=1`,
        };
      case 'none':
        return { mutation: kind, contentType: undefined, body: text };
      case 'xml':
        return { mutation: kind, contentType: 'application/xml', body: `<?xml version="1.0"?><a>${text.slice(0, 100)}</a>` };
      default:
        return { mutation: kind, contentType: isYaml && cut % 2 ? 'application/yaml' : 'application/json', body: text };
    }
  });
}

/** A path parameter: a real id of some kind, or junk (odd unicode, huge, broken percent-encoding). */
function paramArbitrary(name: string): fc.Arbitrary<string> {
  const real = known[name] ?? known.id ?? [];
  const encode = (s: string) => {
    try {
      return encodeURIComponent(s);
    } catch {
      return s.replace(/[\ud800-\udfff]/g, '%ED%A0%80').replace(/[^A-Za-z0-9%]/g, (c) => encodeURIComponent(c));
    }
  };
  return fc.oneof(
    { weight: 4, arbitrary: real.length ? fc.constantFrom(...real).map(encode) : fc.constant('missing') },
    { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 30 }).map(encode) },
    { weight: 2, arbitrary: oddStrings.filter((s) => s.length > 0).map(encode) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '0',
        '-1',
        '1.5',
        '99999999999999999999999',
        '1e3',
        '..',
        '%E0%A4%A',
        '%',
        '%zz',
        'x'.repeat(5000),
        'null',
        'undefined',
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
  );
}

// ─── The check ─────────────────────────────────────────────────────────────────

const errorShape = { error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }) };
/** The canonical body first accepted under each (operation, Idempotency-Key). */
const acceptedUnderKey = new Map<string, string>();
const canonicalOf = (text: string) => {
  try {
    return canonicalJson(JSON.parse(text));
  } catch {
    return text;
  }
};
const tally: Record<string, Record<number, number>> = {};

async function send(method: string, path: string, req: { contentType?: string; body: string; key?: string }) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${admin.token}`,
      ...(req.contentType ? { 'content-type': req.contentType } : {}),
      ...(req.key ? { 'idempotency-key': req.key } : {}),
    },
    body: req.body,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: checked below */
  }
  return { status: res.status, body };
}

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  admin = await stack.createStaff(['admin']);
  const victim = await stack.createStaff(['sales'], { name: 'Nạn nhân fuzz' });
  const tokenIds = (await rows<{ id: string }>(sql`select id::text as id from api_tokens where staff_id = ${victim.id}`)).map((r) => r.id);
  // A real order waiting on a real task (SLA 1 h: nothing happens by itself during the run).
  const { name: processName } = await stack.activateProcess(fixture('fast-ship.yaml'));
  const lead = await send('POST', '/api/v1/leads', {
    contentType: 'application/json',
    body: JSON.stringify({ channel: 'website', process: processName, customer: { name: 'Khách fuzz', phone: '0912345678' } }),
  });
  expect(lead.status).toBe(201);
  const orderId = (lead.body as { orderId: string }).orderId;
  const task = await eventually(
    async () => (await rows<{ id: string }>(sql`select id::text as id from tasks where subject_id = ${orderId}`))[0],
    30_000,
    'the order’s task',
  );
  const ids = async (q: ReturnType<typeof sql>) => (await rows<{ id: string }>(q)).map((r) => String(r.id));
  const customers = await ids(sql`select id::text as id from customers limit 3`).catch(() => []);
  const definitions = await ids(sql`select distinct name as id from definition_versions`);
  const versions = await ids(sql`select distinct version::text as id from definition_versions`);
  const periods = await ids(sql`select id::text as id from kpi_periods limit 3`).catch(() => []);
  const shop = (await activeShop(stack.database.db))!;
  const products = ['FZ-001', 'FZ-002'];
  for (const sku of products) {
    const made = await send('POST', '/api/v1/products', {
      contentType: 'application/json',
      body: JSON.stringify({ sku, name: `Hàng fuzz ${sku}`, price: 100000 }),
    });
    expect(made.status).toBe(201);
  }
  Object.assign(hints, {
    channel: Object.keys(shop.channels),
    channels: Object.keys(shop.channels),
    roles: Object.keys(shop.roles),
    role: Object.keys(shop.roles),
    courier: Object.keys(shop.couriers),
    warehouse: Object.keys(stockSettings(shop).warehouses),
    sku: products,
    phone: ['0912345678', '0987654321', '+84 901 234 567', '0903.111.222'],
    process: [processName],
    customerId: customers,
    orderId: [orderId],
    to: ['sales', 'cskh', victim.id],
    category: ['damaged', 'wrong-item'],
    reason: ['kiểm kê định kỳ'],
    outcome: ['closed', 'cancelled'],
  });
  Object.assign(known, {
    id: [victim.id, task.id, orderId, ...customers, ...periods],
    tokenId: tokenIds,
    name: definitions,
    version: versions,
    courier: ['ghn', 'ghtk', 'simulator'],
    period: periods,
  });
  await settled();
}, 120_000);

afterAll(async () => {
  console.log(`fuzz-api: seed ${SEED}, ${RUNS} runs per operation; answers per operation: ${JSON.stringify(tally)}`);
  await stack?.close();
});

test('When a valid request changes something, then the checksum notices (the control)', async () => {
  const before = await snapshot();
  const created = await send('POST', '/api/v1/staff', {
    contentType: 'application/json',
    body: JSON.stringify({ name: 'Kiểm soát', roles: ['sales'] }),
  });
  expect(created.status).toBe(201);
  expect(changedTables(before, await snapshot())).toEqual(expect.arrayContaining(['staff', 'api_tokens']));
});

test('When a lead’s cost is one the order row cannot store (a fraction, beyond its integer column), then it is refused up front and nothing starts', async () => {
  for (const cost of [1.5, 3_000_000_000]) {
    const before = await snapshot();
    const res = await send('POST', '/api/v1/leads', {
      contentType: 'application/json',
      body: JSON.stringify({ channel: 'website', cost, customer: { name: 'Khách', phone: '0912345679' } }),
    });
    expect({
      status: res.status,
      fields: (res.body as { error?: { details?: { fields?: Array<{ field: string }> } } }).error?.details?.fields?.map((f) => f.field),
    }).toEqual({ status: 422, fields: ['cost'] });
    expect(changedTables(before, await snapshot())).toEqual([]);
  }
});

test('The OpenAPI document lists write operations to fuzz', () => {
  expect(writeOperations.map((o) => `${o.method} ${o.path}`)).toEqual(
    expect.arrayContaining(['POST /api/v1/leads', 'POST /api/v1/tasks/{id}/complete', 'POST /api/v1/staff', 'POST /api/v1/definitions']),
  );
});

describe.each(writeOperations.map((o) => [`${o.method} ${o.path}`, o] as const))('%s', (label, { method, path, op }) => {
  test('When fuzzed with broken bodies and odd path parameters, then it never answers 500, errors have the one shape, and a refusal changes nothing', async () => {
    const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const takesKey = (op.parameters ?? []).some((p) => {
      const r = resolve(p) as { in?: string; name?: string };
      return r.in === 'header' && r.name === 'Idempotency-Key';
    });
    // A few keys reused across the run: a second, different body under a key must never be accepted.
    const keyArb = takesKey ? fc.option(fc.constantFrom('fz-a', 'fz-b', 'fz-c'), { freq: 2 }) : fc.constant(null);
    const arb = fc.tuple(fc.tuple(...params.map((p) => paramArbitrary(p))), requestArbitrary(op), keyArb);
    // Every operation also gets bodies exactly as built from its schema, sent as JSON: they reach its handler.
    const examples = fc.sample(fc.tuple(fc.tuple(...params.map((p) => paramArbitrary(p))), requestArbitrary(op, true), keyArb), {
      numRuns: AS_BUILT_EXAMPLES,
      seed: SEED,
    });
    let before = await snapshot();
    await fc.assert(
      fc.asyncProperty(arb, async ([values, wire, key]) => {
        const req = { ...wire, ...(key ? { key } : {}) };
        const url = params.reduce((p, name, i) => p.replace(`{${name}}`, values[i]!), path);
        const res = await send(method, url, req);
        (tally[label] ??= {})[res.status] = ((tally[label] ??= {})[res.status] ?? 0) + 1;
        const where = `${method} ${url.slice(0, 200)} [${req.mutation}, ${req.contentType ?? 'no content type'}${key ? `, key ${key}` : ''}] → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
        if (res.status >= 500) throw new Error(`server error: ${where}`);
        if (req.mutation === 'deep-nesting' && req.contentType === 'application/json' && ![400, 404].includes(res.status))
          throw new Error(`a 5,000-deep body was not refused as too deep: ${where}`);
        if (key && res.status < 300) {
          const sent = canonicalOf(req.body);
          const first = acceptedUnderKey.get(`${label}|${key}`);
          if (first !== undefined && first !== sent) throw new Error(`a reused Idempotency-Key with another body was accepted: ${where}`);
          acceptedUnderKey.set(`${label}|${key}`, sent);
        }
        if (res.status >= 400) {
          if (!documentsOwnShape(op, res.status)) {
            if (!(res.body && typeof res.body === 'object' && 'error' in res.body)) throw new Error(`not the one error shape: ${where}`);
            expect(res.body).toEqual(errorShape);
          }
          const after = await snapshot();
          const changed = changedTables(before, after);
          if (changed.length) throw new Error(`a refused request changed ${changed.join(', ')}: ${where}`);
        } else {
          // Accepted (the junk happened to be valid): let its work finish, then carry on from there.
          before = await settled();
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true, examples: examples.map((e) => [e] as [typeof e]) },
    );
  }, 120_000);
});

// ─── Classes of bad input beyond bodies ────────────────────────────────────────

const allOperations = Object.entries(openApiDocument.paths).flatMap(([path, item]) =>
  HTTP_METHODS.filter((m) => item[m]).map((m) => ({ method: m.toUpperCase(), path, op: item[m]! })),
);

test('When any route gets a query parameter twice (documented or not, odd values), then it is 400 naming it, in the one error shape, and nothing changes', async () => {
  const before = await snapshot();
  const arb = fc.tuple(
    fc.constantFrom(...allOperations),
    fc.nat(),
    fc.array(fc.oneof(fc.string({ maxLength: 12 }), oddStrings, fc.constantFrom(...PROTOTYPE_NAMES)), { minLength: 2, maxLength: 4 }),
  );
  await fc.assert(
    fc.asyncProperty(arb, async ([{ method, path, op }, pick, values]) => {
      const documented = (op.parameters ?? [])
        .map((p) => resolve(p) as { in?: string; name?: string })
        .filter((p) => p.in === 'query')
        .map((p) => p.name!);
      const name = [...documented, 'q', 'token', '__proto__'][pick % (documented.length + 3)]!;
      const query = values.map((v) => `${encodeURIComponent(name)}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, ''))}`).join('&');
      const url = `${path.replace(/\{\w+\}/g, known.id?.[0] ?? 'x')}?${query}`;
      const res = await send(method, url, {
        contentType: 'application/json',
        body: method === 'GET' ? (undefined as unknown as string) : '{}',
      });
      const where = `${method} ${url.slice(0, 200)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
      if (res.status !== 400) throw new Error(`a repeated query parameter was not refused: ${where}`);
      expect(res.body).toEqual(errorShape);
      expect((res.body as { error: { details?: { fields?: Array<{ field: string }> } } }).error.details?.fields?.[0]?.field).toBe(name);
    }),
    { numRuns: Math.max(40, RUNS * 3), seed: SEED, endOnFailure: true },
  );
  expect(changedTables(before, await snapshot())).toEqual([]);
}, 120_000);

test('When staff type formula-looking text (names, suppliers, order codes), then every CSV export writes it neutralised: no cell starts with = + - @ tab or CR unless it is a number', async () => {
  const json = (body: unknown) => ({ contentType: 'application/json', body: JSON.stringify(body) });
  const formula = (i: number) => FORMULAS[i % FORMULAS.length]!;
  const made = [
    await send('POST', '/api/v1/products', json({ sku: 'FZ-CSV', name: formula(2), price: 1000 })),
    await send(
      'POST',
      '/api/v1/purchases',
      json({ supplier: formula(0), supplierInvoice: formula(3), lines: [{ sku: 'FZ-CSV', qty: 2, unitCost: 500 }] }),
    ),
    await send(
      'POST',
      '/api/v1/cod/remittances',
      json({
        courier: 'ghn',
        reference: formula(1),
        lines: [
          { orderCode: formula(2), codCollected: 1000, fee: 0 },
          { orderCode: formula(4), codCollected: 5, fee: 0 },
        ],
      }),
    ),
    await send('POST', '/api/v1/customers', json({ name: formula(0), phone: '0938111222' })),
  ];
  expect(made.map((m) => m.status)).toEqual([201, 201, 201, 201]);
  await settled();
  const exports = allOperations.filter((o) => o.method === 'GET' && o.path.endsWith('.csv'));
  expect(exports.map((o) => o.path)).toEqual(
    expect.arrayContaining([
      '/api/v1/purchases/export.csv',
      '/api/v1/books/sales/export.csv',
      '/api/v1/books/summary/export.csv',
      '/api/v1/cod/mismatches/export.csv',
      '/api/v1/kpi/periods/{id}/export.csv',
    ]),
  );
  const formulasSeen: string[] = [];
  for (const { path } of exports) {
    const url = path.replace('{id}', encodeURIComponent(known.period?.[0] ?? 'missing'));
    const res = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${admin.token}` } });
    if (path.includes('{id}') && !known.period?.length) continue;
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    const cells = parseCsv(await res.text()).flat();
    const dangerous = cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !/^-?\d+(\.\d+)?$/.test(c));
    expect({ path, dangerous }).toEqual({ path, dangerous: [] });
    formulasSeen.push(...cells.filter((c) => FORMULAS.some((f) => c === `'${f}`)));
  }
  // The formulas did reach the exports (purchases: supplier, invoice, product name; COD mismatches: order codes), as text.
  expect(new Set(formulasSeen).size).toBeGreaterThanOrEqual(3);
}, 60_000);

test('The fuzz reached the handlers: every write operation got bodies past the content type, and the main creating ones accepted valid bodies', () => {
  const share = Object.fromEntries(
    Object.entries(tally).map(([label, answers]) => {
      const total = Object.values(answers).reduce((a, b) => a + b, 0);
      const of = (f: (status: number) => boolean) =>
        Object.entries(answers)
          .filter(([s]) => f(Number(s)))
          .reduce((a, [, n]) => a + n, 0);
      return [label, { total, ok: of((s) => s < 300), refused: of((s) => s >= 400 && s !== 415), unsupported: of((s) => s === 415) }];
    }),
  );
  console.log(
    `fuzz-api: share per operation (2xx / 4xx other than 415 / 415): ${Object.entries(share)
      .map(([l, s]) => `${l} ${s.ok}/${s.refused}/${s.unsupported}`)
      .join('; ')}`,
  );
  expect(Object.keys(share)).toHaveLength(writeOperations.length);
  // At least the as-built bodies got past the content type, to the route's validation or handler.
  for (const [label, s] of Object.entries(share))
    expect({ label, reachesHandler: s.refused + s.ok >= AS_BUILT_EXAMPLES }).toEqual({ label, reachesHandler: true });
  // And the shop's own ids make valid bodies common: the main creating operations accepted some.
  const main = [
    'POST /api/v1/staff',
    'POST /api/v1/customers',
    'POST /api/v1/leads',
    'POST /api/v1/complaints',
    'POST /api/v1/products',
    'POST /api/v1/purchases',
  ];
  expect(main.reduce((n, label) => n + (share[label]?.ok ?? 0), 0)).toBeGreaterThanOrEqual(main.length);
});
