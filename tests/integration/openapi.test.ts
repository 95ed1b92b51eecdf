/**
 * The OpenAPI document stays true to the real app: every route the app registers is documented
 * and every documented operation exists; real answers match the documented shapes; the document
 * and its Swagger UI page are served without a token and work under the app's CSP.
 */
import type { Express } from 'express';
import { createApp } from '../../server/http/app';
import { HTTP_METHODS, openApiDocument, type Operation } from '../../server/http/openapi';
import { expectDocumented } from '../support/documented';
import { apiClient, eventually, fixture, openTestStack, testLog, type TestStack } from '../support/stack';

const { version } = require('../../package.json') as { version: string };

/** The parts of the `router` package's layers (Express 5) that route enumeration reads. */
interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  /** The path the layer was registered with (`app.use('/api/v1', …)`), router ≥ 2.3. */
  rawPath?: string | string[];
}

/** Express `/tasks/:id` → OpenAPI `/tasks/{id}`; other Express 5 path syntax has no OpenAPI form. */
function openApiPath(expressPath: string): string {
  const joined = expressPath.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
  if (/[*?(){}]/.test(joined)) throw new Error(`route path ${expressPath} uses syntax this test cannot map to OpenAPI`);
  return joined.replace(/:(\w+)/g, '{$1}');
}

/**
 * Every `METHOD /path` the app answers as a route, found by walking the router stack: a layer
 * with a `route` is an endpoint; a layer whose handle has a `stack` is a mounted router, walked
 * with its mount path as prefix. Other middleware (auth, body parsers, static assets) is not an
 * operation.
 */
function registeredOperations(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const routePath of [layer.route.path].flat()) {
          for (const method of Object.keys(layer.route.methods)) {
            if (method === '_all') throw new Error(`${prefix}${routePath} is registered with .all(): document its methods instead`);
            found.push(`${method.toUpperCase()} ${openApiPath(prefix + routePath)}`);
          }
        }
      } else if (Array.isArray(layer.handle?.stack)) {
        if (typeof layer.rawPath !== 'string')
          throw new Error('a mounted router has no string rawPath: the router package changed, adapt this walk');
        walk(layer.handle.stack, prefix + layer.rawPath);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...new Set(found)].sort();
}

function documentedOperations(): string[] {
  return Object.entries(openApiDocument.paths)
    .flatMap(([path, item]) => HTTP_METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
}

const operations = (): Array<[string, string, Operation]> =>
  Object.entries(openApiDocument.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((m) => (item[m] ? [[path, m, item[m]!] as [string, string, Operation]] : [])),
  );

/** Resolves a local `#/a/b` JSON pointer in the document. */
function resolvePointer(ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], openApiDocument);
}

let stack: TestStack;
let base: string;
beforeAll(async () => {
  stack = await openTestStack();
  base = await stack.startApp();
});
afterAll(() => stack?.close());

describe('the OpenAPI document against the real app', () => {
  test('When the app is built, then every registered route is documented and every documented operation is registered', () => {
    const app = createApp({
      config: stack.config,
      database: stack.database,
      temporal: stack.temporal,
      log: testLog,
      couriers: stack.courierDirectory(),
    });
    const registered = registeredOperations(app);
    const documented = documentedOperations();

    expect(registered.filter((op) => !documented.includes(op))).toEqual([]);
    expect(documented.filter((op) => !registered.includes(op))).toEqual([]);
    // The walk reaches nested routers and their parameters, not just the top level.
    expect(registered).toEqual(
      expect.arrayContaining([
        'GET /healthz',
        'GET /api/v1/me',
        'DELETE /api/v1/staff/{id}/tokens/{tokenId}',
        'POST /api/v1/definitions/{name}/versions/{version}/activate',
      ]),
    );
  });

  test('When the document is read, then its references resolve, path parameters are declared, and only health, docs, courier webhooks (authenticated by the courier secret), the Zalo, eSMS and Facebook webhooks (by their signatures) and the website lead form (by its origin) are public', () => {
    const refs: string[] = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.push(value);
          else collect(value);
        }
      }
    };
    collect(openApiDocument);
    expect(refs.filter((ref) => !ref.startsWith('#/') || resolvePointer(ref) === undefined)).toEqual([]);

    const ids = operations().map(([, , op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [path, method, op] of operations()) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? [])
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
        .sort();
      expect({ op: `${method} ${path}`, params: declared }).toEqual({ op: `${method} ${path}`, params: inPath });
      if (path.startsWith('/api/v1/') && op.security === undefined) expect(op.responses).toHaveProperty('401');
    }
    const publicOps = operations()
      .filter(([, , op]) => op.security?.length === 0)
      .map(([path, method]) => `${method.toUpperCase()} ${path}`)
      .sort();
    expect(publicOps).toEqual([
      'GET /api/docs',
      'GET /api/v1/openapi.json',
      'GET /healthz',
      'GET /webhooks/facebook',
      'GET /webhooks/sms/esms',
      'POST /api/v1/public/leads',
      'POST /webhooks/couriers/{courier}',
      'POST /webhooks/facebook',
      'POST /webhooks/haravan',
      'POST /webhooks/shopify',
      'POST /webhooks/zalo',
    ]);
    expect(openApiDocument.security).toEqual([{ bearerAuth: [] }]);
    expect(openApiDocument.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  test('When staff use the API, then each answer has a documented status and matches its documented schema', async () => {
    await stack.startWorker();
    const { name: processName, version: processVersion } = await stack.activateProcess(fixture('fast-order.yaml'));
    const admin = await stack.createStaff(['admin']);
    const api = apiClient(base, admin.token);

    expectDocumented('/healthz', 'get', await api.get('/healthz'));
    expectDocumented('/api/v1/me', 'get', await apiClient(base).get('/api/v1/me'));
    expectDocumented('/api/v1/me', 'get', await api.get('/api/v1/me'));

    expectDocumented('/api/v1/definitions', 'get', await api.get('/api/v1/definitions'));
    expectDocumented('/api/v1/definitions/validate', 'post', await api.yaml('/api/v1/definitions/validate', fixture('fast-order.yaml')));
    expectDocumented('/api/v1/definitions/validate', 'post', await api.yaml('/api/v1/definitions/validate', 'kind: OrderProcess\n'));
    expectDocumented('/api/v1/definitions', 'post', await api.yaml('/api/v1/definitions', 'kind: OrderProcess\n'));
    expectDocumented('/api/v1/definitions/{name}', 'get', await api.get(`/api/v1/definitions/${processName}`));
    expectDocumented('/api/v1/definitions/{name}/versions', 'get', await api.get(`/api/v1/definitions/${processName}/versions`));
    expectDocumented(
      '/api/v1/definitions/{name}/versions/{version}',
      'get',
      await api.get(`/api/v1/definitions/${processName}/versions/${processVersion}`),
    );

    const created = await api.post('/api/v1/staff', { name: 'Nguyễn Văn A', roles: ['sales'] });
    expectDocumented('/api/v1/staff', 'post', created);
    expectDocumented('/api/v1/staff', 'post', await api.post('/api/v1/staff', { name: 'Nobody' }));
    expectDocumented('/api/v1/staff', 'get', await api.get('/api/v1/staff?active=true'));
    expectDocumented('/api/v1/staff/{id}', 'get', await api.get(`/api/v1/staff/${created.body.staff.id}`));
    expectDocumented(
      '/api/v1/staff/{id}/tokens',
      'post',
      await api.post(`/api/v1/staff/${created.body.staff.id}/tokens`, { label: 'phone' }),
    );

    const lead = await api.post('/api/v1/leads', {
      channel: 'facebook',
      process: processName,
      customer: { name: 'Trần Thị B', phone: '0912 345 678' },
    });
    expectDocumented('/api/v1/leads', 'post', lead);
    const page = await eventually(
      async () => {
        const res = await api.get(`/api/v1/tasks?order=${lead.body.orderId}`);
        return res.body.tasks?.length ? res : undefined;
      },
      20_000,
      "the lead's first task",
    );
    expectDocumented('/api/v1/tasks', 'get', page);
    const taskId: string = page.body.tasks[0].id;
    expectDocumented('/api/v1/tasks/{id}', 'get', await api.get(`/api/v1/tasks/${taskId}`));
    expectDocumented('/api/v1/tasks/{id}/claim', 'post', await api.post(`/api/v1/tasks/${taskId}/claim`));
    expectDocumented(
      '/api/v1/tasks/{id}/complete',
      'post',
      await api.post(`/api/v1/tasks/${taskId}/complete`, { outcome: 'closed', data: { codAmount: 100000 } }),
    );
    expectDocumented('/api/v1/tasks/{id}/claim', 'post', await api.post(`/api/v1/tasks/${taskId}/claim`));
    expectDocumented('/api/v1/tasks/{id}', 'get', await api.get('/api/v1/tasks/no-such-task'));
    expectDocumented('/api/v1/tasks', 'get', await api.get('/api/v1/tasks?limit=0'));
  });
});

describe('serving the document and its docs page', () => {
  test('When the document is fetched without a token, then it is 200 with OpenAPI 3.1.0 and the package version', async () => {
    const res = await apiClient(base).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ openapi: '3.1.0', info: { title: 'shopflow API', version } });
    expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });

  test('When the docs page is opened, then it is HTML pointing Swagger UI at the document, with every asset served and no inline script', async () => {
    for (const path of ['/api/docs', '/api/docs/']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('data-spec-url="/api/v1/openapi.json"');
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // the CSP allows only script files from 'self'
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');

      const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((url) => url.startsWith('/api/docs/'));
      expect(assets).toEqual(
        expect.arrayContaining(['/api/docs/swagger-ui-bundle.js', '/api/docs/swagger-initializer.js', '/api/docs/swagger-ui.css']),
      );
      for (const asset of assets) {
        const got = await fetch(`${base}${asset}`);
        expect({ asset, status: got.status }).toEqual({ asset, status: 200 });
        expect(got.headers.get('content-type')).toMatch(
          asset.endsWith('.js') ? /javascript/ : asset.endsWith('.css') ? /text\/css/ : /image\/png/,
        );
        if (asset.endsWith('swagger-initializer.js')) expect(await got.text()).toContain('SwaggerUIBundle(');
        else await got.arrayBuffer();
      }
    }
  });

  test('When a file of the Swagger UI package that the page does not use is asked for, then it is 404 in the one error shape', async () => {
    const res = await apiClient(base).get('/api/docs/package.json');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'no route GET /api/docs/package.json' } });
  });
});
