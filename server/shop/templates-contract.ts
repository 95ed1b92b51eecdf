/**
 * Shop-size templates (definitions/templates/): list them and apply one.
 */
import {
  schema,
  answer,
  failure,
  object,
  pathParam,
  apiOperation,
  type DomainContract,
  type JsonSchema,
  type PathItem,
} from '../http/contract';

export const schemas: Record<string, JsonSchema> = {
  ShopTemplate: object(['name', 'title', 'description', 'definitions'], {
    name: { type: 'string', enum: ['small', 'medium', 'large'] },
    title: { type: 'string', description: "The template shop's title (Vietnamese)." },
    description: { type: 'string', description: 'Who it is for: roles, who does customer care, team leads.' },
    definitions: {
      type: 'array',
      items: object(['name', 'kind', 'file'], { name: { type: 'string' }, kind: { type: 'string' }, file: { type: 'string' } }),
    },
  }),
  TemplateApplied: object(['template', 'changed', 'definitions'], {
    template: { type: 'string' },
    changed: { type: 'boolean', description: 'false when the template was already the active set (applying again changes nothing).' },
    definitions: {
      type: 'array',
      items: object(['name', 'kind', 'title', 'version', 'created', 'wasActive'], {
        name: { type: 'string' },
        kind: { type: 'string' },
        title: { type: 'string' },
        version: { type: 'integer' },
        created: { type: 'boolean', description: 'A new version was stored.' },
        wasActive: { type: 'boolean', description: 'That version was active already.' },
      }),
    },
  }),
};

export const paths: Record<string, PathItem> = {
  '/api/v1/definitions/templates': {
    get: apiOperation({
      operationId: 'listShopTemplates',
      tags: ['definitions'],
      permission: 'definitions.manage',
      summary: 'List the shop-size templates',
      description: 'The templates shipped under `definitions/templates/` (small, medium, large), with titles for the first-run checklist.',
      responses: { 200: answer('The templates.', object(['templates'], { templates: { type: 'array', items: schema('ShopTemplate') } })) },
    }),
  },
  '/api/v1/definitions/templates/{name}/apply': {
    post: apiOperation({
      operationId: 'applyShopTemplate',
      tags: ['definitions'],
      permission: 'definitions.manage',
      summary: 'Apply a shop-size template',
      description:
        "Validates the template's shop and processes as one set, stores them and makes exactly them the active definitions (the ones in use before are retired; running orders keep theirs). Idempotent: applying the active template again changes nothing. `npx shopflow init --template <name>` does the same.",
      parameters: [pathParam('name', '`small`, `medium` or `large`.')],
      responses: {
        200: answer('The template is the active set.', schema('TemplateApplied')),
        404: failure('No template of that name.'),
        422: failure('The template does not validate (`details.errors`).'),
      },
    }),
  },
};

export const contract: DomainContract = { tags: [], schemas, paths };
