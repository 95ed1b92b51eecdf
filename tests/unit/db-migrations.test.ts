import { findSchemaDrift } from '../../scripts/db-check';

test('When drizzle-kit compares db/schema.ts with the committed migrations, then there is no drift', () => {
  const result = findSchemaDrift();
  expect(result.newFiles).toEqual([]);
  expect(result.output).toMatch(/No schema changes/i);
});
