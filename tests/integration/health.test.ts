import { openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack();
});
afterAll(() => stack?.close());

describe('GET /healthz (the real app on real Temporal and PostgreSQL)', () => {
  test('When Temporal and the database answer, then it is 200 with every part ok', async () => {
    const base = await stack.startApp();
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      temporal: 'ok',
      db: 'ok',
      dbDriver: 'postgres',
      taskQueue: stack.config.temporal.taskQueue,
    });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff'); // helmet is on
  });

  test('When a route does not exist, then it is 404 in the one error shape', async () => {
    const base = await stack.startApp();
    const api = await fetch(`${base}/api/nope`);
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /api/nope' } });
    // Outside the API, pages belong to the console (its SPA fallback); a client asking for JSON still gets the error.
    const res = await fetch(`${base}/nope`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /nope' } });
  });
});

describe('GET /healthz when a part is down', () => {
  test('When the database is unreachable, then it is 503 naming the database', async () => {
    const broken = await openTestStack();
    const base = await broken.startApp();
    const member = await broken.createStaff(['manager']);
    await broken.database.close(); // the pool is gone: every query fails
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as Record<string, string>;
    expect(body).toMatchObject({ status: 'unavailable', temporal: 'ok' });
    expect(body.db).toMatch(/^error: /);
    // The API says what is wrong and that retrying is safe, rather than a bare 500.
    const api = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${member.token}` } });
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).toBe('5');
    expect(((await api.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('the database is not answering'),
    });
    broken.database.close = async () => undefined;
    await broken.close();
  });

  test('When Temporal is unreachable, then it is 503 naming Temporal', async () => {
    const broken = await openTestStack();
    const base = await broken.startApp();
    await broken.temporal.connection.close();
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as Record<string, string>;
    expect(body).toMatchObject({ status: 'unavailable', db: 'ok' });
    expect(body.temporal).toMatch(/^error: /);
    broken.temporal.connection.close = async () => undefined;
    await broken.close();
  });
});
