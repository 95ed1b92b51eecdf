/**
 * Query parameters on the real app, every route that takes them, driven by the OpenAPI
 * document (generated from the same schemas the routes check with `queryOf`): a value that does
 * not match its parameter is 400 naming it, documented, and changes nothing; a repeated one is
 * refused; valid values still answer as before.
 */
import { count } from 'drizzle-orm';
import { codRemittances } from '../../db/schema';
import { openApiDocument, type JsonSchema, type Parameter } from '../../server/http/openapi';
import { expectDocumented } from '../support/documented';
import { apiClient, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let admin: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await openTestStack();
  base = await stack.startApp();
  admin = apiClient(base, (await stack.createStaff(['admin'])).token);
}, 120_000);
afterAll(() => stack?.close());

const concrete = (path: string) => path.replace(/\{\w+\}/g, '1');
const fieldsOf = (body: { error?: { details?: { fields?: Array<{ field: string }> } } }) =>
  body.error?.details?.fields?.map((f) => f.field);

/** Every documented query parameter, with the operation it belongs to. */
const queryParameters = Object.entries(openApiDocument.paths).flatMap(([path, item]) =>
  Object.entries(item).flatMap(([method, op]) =>
    (op.parameters ?? []).filter((p): p is Parameter => p.in === 'query').map((parameter) => ({ path, method, parameter })),
  ),
);

/** A value its schema refuses: text for a number or boolean, an unknown enum member, a malformed date; NUL in any text. */
function badValue(schema: JsonSchema): string {
  if (schema.type === 'integer' || schema.type === 'number') return 'many';
  if (schema.type === 'boolean') return 'maybe';
  if (Array.isArray(schema.enum)) return 'no-such-value';
  if (schema.format === 'date' || schema.format === 'date-time') return 'yesterday';
  if (schema.pattern === '\\S') return '   ';
  return 'a\u0000b';
}

test('When the document is read, then the routes that read query parameters list them (generated from their schemas)', () => {
  const listed = [...new Set(queryParameters.map((q) => `${q.method.toUpperCase()} ${q.path}`))];
  expect(listed).toEqual(
    expect.arrayContaining([
      'GET /api/v1/tasks',
      'GET /api/v1/orders',
      'GET /api/v1/customers',
      'GET /api/v1/complaints',
      'GET /api/v1/kpi/periods',
      'GET /api/v1/staff',
      'GET /api/v1/products',
      'GET /api/v1/stock/levels',
      'GET /api/v1/stock/movements',
      'GET /api/v1/purchases',
      'GET /api/v1/books/sales',
      'GET /api/v1/books/summary',
      'GET /api/v1/cod/remittances',
      'POST /api/v1/cod/remittances',
      'GET /api/v1/cod/mismatches',
      'GET /api/v1/cod/unpaid',
    ]),
  );
  for (const { parameter } of queryParameters)
    expect(parameter).toMatchObject({ name: expect.any(String), description: expect.any(String) });
});

test('When any query parameter of any route gets a value its schema refuses, then it is 400 bad_request naming that parameter, documented, and nothing changes', async () => {
  const remittancesBefore = (await stack.database.db.select({ n: count() }).from(codRemittances))[0]!.n;
  const answers: string[] = [];
  const expected: string[] = [];
  for (const { path, method, parameter } of queryParameters) {
    const value = badValue(parameter.schema);
    const url = `${concrete(path)}?${encodeURIComponent(parameter.name)}=${encodeURIComponent(value)}`;
    // The one write: a CSV remittance, whose courier and reference come in the query.
    const res =
      method === 'post' ? await admin.post(url, 'order_code,cod_collected\nX,1\n', { 'content-type': 'text/csv' }) : await admin.get(url);
    answers.push(
      `${method.toUpperCase()} ${path} ${parameter.name}=${JSON.stringify(value)} → ${res.status} ${res.body?.error?.code} ${fieldsOf(res.body)?.join(',')}`,
    );
    expected.push(`${method.toUpperCase()} ${path} ${parameter.name}=${JSON.stringify(value)} → 400 bad_request ${parameter.name}`);
    if (res.status === 400) expectDocumented(path, method, res);
  }
  expect(answers).toEqual(expected);
  expect((await stack.database.db.select({ n: count() }).from(codRemittances))[0]!.n).toBe(remittancesBefore);
}, 120_000);

test('When a documented query parameter is given twice, then it is 400 naming it', async () => {
  for (const url of [
    '/api/v1/tasks?limit=1&limit=2',
    '/api/v1/stock/levels?low=true&low=false',
    '/api/v1/books/summary?granularity=day&granularity=month',
  ]) {
    const res = await admin.get(url);
    expect({ url, status: res.status, fields: fieldsOf(res.body) }).toEqual({
      url,
      status: 400,
      fields: [url.split('?')[1]!.split('=')[0]],
    });
  }
});

test('When the values are valid, then the routes answer as before: types converted, defaults applied, unknown parameters ignored', async () => {
  const ok = async (url: string) => {
    const res = await admin.get(url);
    expect({ url, status: res.status }).toEqual({ url, status: 200 });
    return res.body;
  };
  expect(await ok('/api/v1/tasks?overdue=true&limit=5&status=open&unknown=1')).toMatchObject({ tasks: expect.any(Array) });
  expect(await ok('/api/v1/orders?late=false&from=2020-01-01T00:00:00Z&limit=200')).toMatchObject({ orders: expect.any(Array) });
  expect(await ok('/api/v1/staff?active=true')).toMatchObject({ staff: expect.any(Array) });
  expect(await ok('/api/v1/stock/levels?low=true&sku=A,B')).toMatchObject({ levels: [] });
  expect(await ok('/api/v1/products?active=false&limit=1')).toMatchObject({ products: expect.any(Array) });
  expect(await ok('/api/v1/books/summary')).toMatchObject({ granularity: 'day' });
  expect(await ok('/api/v1/books/summary?granularity=month')).toMatchObject({ granularity: 'month' });
  expect(await ok('/api/v1/cod/mismatches?remittance=1')).toEqual({ mismatches: [] });
  expect(await ok('/api/v1/customers?q=Nguy%E1%BB%85n&limit=1')).toMatchObject({ customers: expect.any(Array) });
  // A cursor this API did not hand out names the parameter too.
  const cursor = await admin.get('/api/v1/tasks?cursor=nonsense');
  expect({ status: cursor.status, fields: fieldsOf(cursor.body) }).toEqual({ status: 400, fields: ['cursor'] });
});
