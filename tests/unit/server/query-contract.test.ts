/**
 * Query parameters written once: the TypeBox object an operation declares as `query` is what
 * `queryOf` checks (values converted to the parameters' types, defaults filled in, a bad value
 * 400 naming the parameter, a repeated one refused) and what the OpenAPI document lists as its
 * `in: query` parameters.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Type } from '@sinclair/typebox';
import { queryOf, queryValues, stringEnum, withDefault } from '../../../server/http/contract';
import { errorHandler } from '../../../server/http/errors';
import { pageQuery } from '../../../server/http/pagination';
import { singleQueryValues } from '../../../server/http/validate';
import { openApiDocument, queryParameters } from '../../../server/http/openapi';
import { TasksQuery } from '../../../server/tasks/contract';
import { SummaryQuery } from '../../../server/books/contract';

const ListQuery = Type.Object({
  status: Type.Optional(stringEnum(['open', 'done'], { description: 'Only in this status.' })),
  overdue: Type.Optional(Type.Boolean({ description: 'Only overdue ones.' })),
  remittance: Type.Optional(Type.Integer({ minimum: 1, description: 'A batch id.' })),
  granularity: withDefault(stringEnum(['day', 'month'], { description: 'Period.' }), 'day'),
  q: Type.Optional(Type.String({ pattern: '\\S', description: 'Search text.' })),
  ...pageQuery,
});

let base: string;
let server: ReturnType<ReturnType<typeof express>['listen']>;
/** What the handler saw: its checked values, and whether `req.query` was left as it came. */
let seen: { values: unknown; raw: unknown } | undefined;

beforeAll(async () => {
  const app = express();
  app.set('query parser', 'simple');
  app.use(singleQueryValues);
  app.get('/list', queryOf(ListQuery), (req, res) => {
    seen = { values: { ...queryValues(req, ListQuery) }, raw: { ...req.query } };
    res.json({ ok: true });
  });
  app.get('/unchecked', (req, res) => {
    res.json(queryValues(req, ListQuery));
  });
  app.use(errorHandler);
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  seen = undefined;
});

async function get(query: string, path = '/list') {
  const res = await fetch(`${base}${path}?${query}`);
  return {
    status: res.status,
    body: (await res.json()) as {
      error?: { code: string; message: string; details?: { fields?: Array<{ field: string; message: string }> } };
    },
  };
}

describe('queryOf', () => {
  test('When the values are valid text, then the handler reads them converted to their types, with defaults filled in', async () => {
    expect((await get('limit=20&overdue=true&remittance=7&status=open&cursor=abc&q=%20a')).status).toBe(200);
    expect(seen?.values).toEqual({ limit: 20, overdue: true, remittance: 7, status: 'open', cursor: 'abc', q: ' a', granularity: 'day' });
    expect((await get('overdue=false')).status).toBe(200);
    expect(seen?.values).toEqual({ overdue: false, limit: 50, granularity: 'day' });
    // req.query itself is left as the client sent it.
    expect(seen?.raw).toEqual({ overdue: 'false' });
  });

  test.each([
    ['limit=abc', 'limit'],
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=', 'limit'],
    ['overdue=yes', 'overdue'],
    ['overdue=1', 'overdue'],
    ['remittance=-3', 'remittance'],
    ['status=late', 'status'],
    ['granularity=week', 'granularity'],
    ['q=%20%20', 'q'],
    ['q=a%00b', 'q'],
  ])(
    'When a value does not match its parameter (%s), then it is 400 bad_request naming %s, and the handler never runs',
    async (query, field) => {
      const res = await get(query);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'bad_request', message: expect.stringContaining(field) });
      expect(res.body.error?.details?.fields?.map((f) => f.field)).toEqual([field]);
      expect(seen).toBeUndefined();
    },
  );

  test('When several values are bad, then each is named', async () => {
    const res = await get('limit=x&status=y&overdue=z');
    expect(res.status).toBe(400);
    expect(res.body.error?.details?.fields?.map((f) => f.field).sort()).toEqual(['limit', 'overdue', 'status']);
  });

  test('When a parameter is repeated (declared or not), then it is 400 naming it', async () => {
    for (const query of ['limit=1&limit=2', 'status=open&status=done', 'other=a&other=b']) {
      const res = await get(query);
      expect(res.status).toBe(400);
      expect(res.body.error?.details?.fields?.[0]).toEqual({ field: query.split('=')[0], message: 'must be given once' });
    }
    expect(seen).toBeUndefined();
  });

  test('When a repeated parameter reaches queryOf without the app-wide guard, then queryOf refuses it too', async () => {
    const next = jest.fn();
    queryOf(ListQuery)({ query: { status: ['open', 'done'] } } as never, {} as never, next);
    expect(next).toHaveBeenCalledWith(
      expect.objectContaining({ status: 400, details: { fields: [{ field: 'status', message: 'must be given once' }] } }),
    );
  });

  test('When the query names parameters the schema does not, then they are ignored, __proto__ included, and nothing lands on a prototype', async () => {
    expect((await get('unknown=1&__proto__=x&constructor=y&toString=z&limit=3')).status).toBe(200);
    expect(seen?.values).toEqual({ limit: 3, granularity: 'day' });
    expect(Object.getPrototypeOf(seen!.values)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  test('When a handler reads query values its route did not check, then that is a server bug (500), not a silent default', async () => {
    const res = await get('limit=3', '/unchecked');
    expect(res.status).toBe(500);
  });
});

describe('the OpenAPI parameters generated from a query schema', () => {
  test('When a schema is turned into parameters, then each property is one `in: query` parameter with its name, description, schema and required', () => {
    const parameters = queryParameters(
      Type.Object({
        at: Type.String({ format: 'date', description: 'The day.' }),
        limit: pageQuery.limit,
      }),
    );
    expect(parameters).toEqual([
      { name: 'at', in: 'query', required: true, description: 'The day.', schema: { type: 'string', format: 'date' } },
      { name: 'limit', in: 'query', description: 'Page size.', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
    ]);
    expect(() => queryParameters(Type.Object({ x: Type.Optional(Type.String()) }))).toThrow(/"x" needs a description/);
  });

  test('When the document is built, then the query parameters of GET /tasks and GET /books/summary are the ones their schemas declare', () => {
    const queryOfDoc = (path: string) => (openApiDocument.paths[path]?.get?.parameters ?? []).filter((p) => p.in === 'query');
    expect(queryOfDoc('/api/v1/tasks')).toEqual(queryParameters(TasksQuery));
    expect(queryOfDoc('/api/v1/tasks').map((p) => p.name)).toEqual(['status', 'role', 'assignee', 'overdue', 'order', 'limit', 'cursor']);
    expect(queryOfDoc('/api/v1/tasks').find((p) => p.name === 'overdue')).toEqual({
      name: 'overdue',
      in: 'query',
      description: '`true`: only open tasks past their due time (`false` does not filter).',
      schema: { type: 'boolean' },
    });
    expect(queryOfDoc('/api/v1/books/summary')).toEqual(queryParameters(SummaryQuery));
    expect(queryOfDoc('/api/v1/books/summary').find((p) => p.name === 'granularity')?.schema).toEqual({
      type: 'string',
      enum: ['day', 'month'],
      default: 'day',
    });
  });

  test('When any operation has query parameters, then it documents a 400 and the document carries no `query` declaration', () => {
    for (const [path, item] of Object.entries(openApiDocument.paths)) {
      for (const [method, op] of Object.entries(item)) {
        expect(op).not.toHaveProperty('query');
        if ((op.parameters ?? []).some((p) => p.in === 'query'))
          expect({ op: `${method} ${path}`, has400: 400 in op.responses }).toEqual({ op: `${method} ${path}`, has400: true });
      }
    }
  });
});
