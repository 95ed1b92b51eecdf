import { expectDocumented } from '../support/documented';
import { apiClient, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack();
});
afterAll(() => stack?.close());

describe('GET /api/v1/complaints/categories (what the console offers when filing)', () => {
  test('When the shipped complaint process is active, then its categories come back in the order written, for staff who read complaints', async () => {
    const base = await stack.startApp();
    const cskh = apiClient(base, (await stack.createStaff(['cskh'])).token);
    const res = await cskh.get('/api/v1/complaints/categories');
    expect(res.status).toBe(200);
    expectDocumented('/api/v1/complaints/categories', 'get', res);
    expect(res.body.process).toEqual({ name: 'standard-complaint', version: expect.any(Number) });
    expect(res.body.categories.map((c: { id: string }) => c.id)).toEqual([
      'damaged',
      'wrong-item',
      'missing-item',
      'quality',
      'late-delivery',
      'courier-conduct',
      'service',
      'other',
    ]);
    expect(res.body.categories[0].title).toMatch(/\S/);

    // A role without complaints.read (warehouse) is refused.
    const warehouse = apiClient(base, (await stack.createStaff(['warehouse'])).token);
    expect((await warehouse.get('/api/v1/complaints/categories')).status).toBe(403);
  });
});
