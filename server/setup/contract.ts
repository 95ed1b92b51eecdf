/**
 * The first-run checklist: what a new shop still has to set up, checked against its data.
 */
import { schema, answer, object, apiOperation, type DomainContract, type JsonSchema, type PathItem } from '../http/contract';

export const schemas: Record<string, JsonSchema> = {
  SetupStep: object(['id', 'title', 'done', 'detail', 'href'], {
    id: { type: 'string', enum: ['profile', 'staff', 'products', 'couriers', 'first-order'] },
    title: { type: 'string', description: 'The step, in Vietnamese.' },
    done: { type: 'boolean', description: "Checked against the shop's data, not ticked by hand." },
    detail: { type: 'string', description: 'What was found, or what is missing (Vietnamese).' },
    href: { type: 'string', description: 'The console page where the step is done.' },
  }),
  SetupChecklist: object(['done', 'completed', 'total', 'steps'], {
    done: { type: 'boolean' },
    completed: { type: 'integer' },
    total: { type: 'integer' },
    steps: { type: 'array', items: schema('SetupStep') },
  }),
};

export const paths: Record<string, PathItem> = {
  '/api/v1/setup': {
    get: apiOperation({
      operationId: 'getSetupChecklist',
      tags: ['setup'],
      permission: 'definitions.manage',
      summary: "A new shop's first-run checklist",
      description:
        "The steps from `npm start` to a working shop — the shop's own profile and size (a template applied or shop.yaml changed), staff besides the first admin, products, real couriers (COURIERS=live with an enabled courier), a first order — each checked against the database.",
      responses: { 200: answer('The checklist.', schema('SetupChecklist')) },
    }),
  },
};

export const contract: DomainContract = {
  tags: [{ name: 'setup', description: "A new shop's first hour: the first-run checklist." }],
  schemas,
  paths,
};
