/**
 * Staff members and their API tokens.
 */
import {
  schema,
  shared,
  answer,
  failure,
  object,
  nullable,
  timestamp,
  strings,
  pathParam,
  jsonBody,
  apiOperation,
  type DomainContract,
  type PathItem,
  type JsonSchema,
} from '../http/contract';
import { Type, type Static } from '@sinclair/typebox';

const roleList = (options: { minItems?: number } = {}) => Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true, ...options });
const staffFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  phone: Type.String({ pattern: '^\\+?[0-9 .-]{8,20}$' }),
  email: Type.String({ format: 'email' }),
  roles: roleList({ minItems: 1 }),
  channels: roleList(),
  contractEnds: Type.Union([Type.String({ minLength: 10, maxLength: 40 }), Type.Null()], {
    description:
      "Outsourced members only: the member's own contract end — a local day `YYYY-MM-DD` (in force through that day, the shop's timezone) or an instant (ISO 8601 with offset). The earlier of it and the role's `outsourced.contractEnds` counts; null clears it. A later end than now on a member whose contract ended renews it.",
  }),
  team: Type.Union([Type.String({ minLength: 1, maxLength: 60 }), Type.Null()], {
    description: 'The sales team the member works in (e.g. "Nhóm Hà Nội"); KPI leaderboards group by it. null: no team.',
  }),
};
export const CreateStaffBody = Type.Object(
  {
    name: staffFields.name,
    phone: Type.Optional(staffFields.phone),
    email: Type.Optional(staffFields.email),
    roles: staffFields.roles,
    channels: Type.Optional(staffFields.channels),
    contractEnds: Type.Optional(staffFields.contractEnds),
    team: Type.Optional(staffFields.team),
    issueToken: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateStaffBody = Static<typeof CreateStaffBody>;
export const PatchStaffBody = Type.Partial(Type.Object(staffFields), { additionalProperties: false, minProperties: 1 });
export type PatchStaffBody = Static<typeof PatchStaffBody>;
export const TokenBody = Type.Object({ label: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false });
export type TokenBody = Static<typeof TokenBody>;

const staffId = pathParam('id', 'Staff id.');
const noSuchStaff = failure('No such staff member.');

export const schemas: Record<string, JsonSchema> = {
  Staff: object(['id', 'name', 'phone', 'email', 'roles', 'channels', 'team', 'active', 'createdAt', 'contractEnds', 'contract'], {
    id: { type: 'string', examples: ['stf_1a2b3c4d5e6f'] },
    name: { type: 'string' },
    phone: nullable('string'),
    email: nullable('string'),
    roles: strings,
    channels: strings,
    team: nullable('string', { description: 'The sales team KPI leaderboards group by; null: none.' }),
    active: { type: 'boolean' },
    createdAt: timestamp,
    contractEnds: nullable('string', {
      format: 'date-time',
      description: "The member's own contract end (outsourced members), as an instant.",
    }),
    contract: {
      oneOf: [{ type: 'null' }, schema('StaffContract')],
      description: 'Set when one of their roles is outsourced (shop.yaml `outsourced`).',
    },
  }),
  StaffContract: object(
    ['role', 'handBackTo', 'pay', 'endsAt', 'ended', 'endedAt'],
    {
      role: { type: 'string', description: 'The outsourced role.' },
      handBackTo: { type: 'string', description: 'The in-house role their open work goes back to when the contract ends.' },
      pay: { type: 'string', enum: ['commission-only', 'base-and-commission'], description: 'commission-only: no base salary.' },
      endsAt: nullable('string', {
        format: 'date-time',
        description: "The earlier of the firm's and the member's own end; null: none set.",
      }),
      ended: { type: 'boolean', description: 'The contract is over: their tokens are refused (401 contract_ended).' },
      endedAt: nullable('string', { format: 'date-time', description: 'When their open work was handed back.' }),
    },
    "An outsourced member's contract.",
  ),
  ApiToken: object(
    ['id', 'label', 'createdAt', 'lastUsedAt', 'revokedAt'],
    {
      id: { type: 'string', examples: ['tok_1a2b3c4d5e6f'] },
      label: nullable('string'),
      createdAt: timestamp,
      lastUsedAt: nullable('string', { format: 'date-time' }),
      revokedAt: nullable('string', { format: 'date-time' }),
    },
    'A token as listed: never its secret.',
  ),
  IssuedToken: object(['tokenId', 'token'], {
    tokenId: { type: 'string' },
    token: { type: 'string', description: 'The secret (`sf_…`), shown this once; only its hash is stored.' },
  }),

  NewStaff: { ...CreateStaffBody, description: 'Roles and channels must exist in the active shop; `issueToken` defaults to true.' },
  StaffChange: { ...PatchStaffBody, description: 'At least one field.' },
  TokenRequest: { ...TokenBody, description: 'The body may be omitted.' },
};

/** `GET /staff`. */
export const StaffQuery = Type.Object({
  role: Type.Optional(Type.String({ description: 'Only members with this role.' })),
  active: Type.Optional(Type.Boolean({ description: 'Only active (`true`) or deactivated (`false`) members.' })),
});

export const paths: Record<string, PathItem> = {
  '/api/v1/staff': {
    get: apiOperation({
      operationId: 'listStaff',
      tags: ['staff'],
      permission: 'staff.manage',
      summary: 'List staff members',
      query: StaffQuery,
      responses: { 200: answer('The members, oldest first.', object(['staff'], { staff: { type: 'array', items: schema('Staff') } })) },
    }),
    post: apiOperation({
      operationId: 'createStaff',
      tags: ['staff'],
      permission: 'staff.manage',
      bodyIsJson: true,
      summary: 'Add a staff member',
      description:
        'Roles and channels must exist in the active shop. An API token is issued unless `issueToken` is false; its secret is returned this once.',
      requestBody: jsonBody(schema('NewStaff')),
      responses: {
        201: answer(
          'The member (and token).',
          object(['staff'], { staff: schema('Staff'), token: { type: 'string' }, tokenId: { type: 'string' } }),
        ),
        403: failure("The caller's roles do not allow this, or the roles would grant permissions the caller does not hold."),
        422: shared('InvalidBody'),
      },
    }),
  },
  '/api/v1/staff/roles': {
    get: apiOperation({
      operationId: 'listStaffRoles',
      tags: ['staff'],
      permission: 'staff.manage',
      summary: 'The roles and channels a member can be given',
      description:
        "The active shop's roles (with `grantable`: the caller holds every permission of the role, so may give it) and its channels, with their titles, for the staff form.",
      responses: {
        200: answer(
          'Roles and channels.',
          object(['roles', 'channels'], {
            roles: {
              type: 'array',
              items: object(['id', 'title', 'scope', 'grantable'], {
                id: { type: 'string' },
                title: { type: 'string' },
                scope: { type: 'string', enum: ['own', 'all'] },
                outsourced: object(
                  ['handBackTo', 'pay', 'contractEnds'],
                  {
                    handBackTo: { type: 'string' },
                    pay: { type: 'string', enum: ['commission-only', 'base-and-commission'] },
                    contractEnds: nullable('string', {
                      format: 'date',
                      description: "The firm's last day; null: each member has their own.",
                    }),
                  },
                  'Present when the role is outsourced: its members need a contract end.',
                ),
                grantable: { type: 'boolean' },
              }),
            },
            channels: { type: 'array', items: object(['id', 'title'], { id: { type: 'string' }, title: { type: 'string' } }) },
          }),
        ),
      },
    }),
  },
  '/api/v1/staff/{id}': {
    get: apiOperation({
      operationId: 'getStaff',
      tags: ['staff'],
      permission: 'staff.manage',
      summary: 'Read a staff member and their tokens',
      parameters: [staffId],
      responses: {
        200: answer(
          'The member.',
          object(['staff', 'tokens'], { staff: schema('Staff'), tokens: { type: 'array', items: schema('ApiToken') } }),
        ),
        404: noSuchStaff,
      },
    }),
    patch: apiOperation({
      operationId: 'updateStaff',
      tags: ['staff'],
      permission: 'staff.manage',
      bodyIsJson: true,
      summary: 'Change a staff member',
      description: 'Only the fields sent change; `roles` and `channels` replace the lists.',
      parameters: [staffId],
      requestBody: jsonBody(schema('StaffChange')),
      responses: {
        200: answer('The member.', object(['staff'], { staff: schema('Staff') })),
        403: failure(
          "The caller's roles do not allow this, the member holds permissions the caller does not, or the roles would grant such permissions (`details.missing`).",
        ),
        404: noSuchStaff,
        422: shared('InvalidBody'),
      },
    }),
  },
  '/api/v1/staff/{id}/deactivate': {
    post: apiOperation({
      operationId: 'deactivateStaff',
      tags: ['staff'],
      permission: 'staff.manage',
      summary: 'Deactivate a staff member',
      description: 'Immediate: none of their tokens works afterwards.',
      parameters: [staffId],
      responses: {
        200: answer('The member, deactivated.', object(['staff'], { staff: schema('Staff') })),
        403: failure(
          "The caller's roles do not allow this, the member holds permissions the caller does not (`details.missing`), or the caller tried to deactivate themselves.",
        ),
        404: noSuchStaff,
      },
    }),
  },
  '/api/v1/staff/{id}/tokens': {
    post: apiOperation({
      operationId: 'issueStaffToken',
      tags: ['staff'],
      permission: 'staff.manage',
      bodyIsJson: true,
      summary: 'Issue an API token',
      description: 'The secret is returned this once.',
      parameters: [staffId],
      requestBody: { ...jsonBody(schema('TokenRequest')), required: false },
      responses: {
        201: answer('The token.', schema('IssuedToken')),
        403: failure(
          "The caller's roles do not allow this, or the member holds permissions the caller does not (`details.missing`): a token would act with them.",
        ),
        404: noSuchStaff,
        409: failure('The member is deactivated: tokens are issued only to active staff.'),
        422: failure('The body is invalid (`details.fields`).'),
      },
    }),
  },
  '/api/v1/staff/{id}/tokens/{tokenId}': {
    delete: apiOperation({
      operationId: 'revokeStaffToken',
      tags: ['staff'],
      permission: 'staff.manage',
      summary: 'Revoke an API token',
      parameters: [staffId, pathParam('tokenId', 'Token id (`tok_…`).')],
      responses: {
        204: { description: 'Revoked.' },
        403: failure("The caller's roles do not allow this, or the member holds permissions the caller does not (`details.missing`)."),
        404: failure('No such member, or no active token of that id for them.'),
      },
    }),
  },
};

export const contract: DomainContract = { tags: [{ name: 'staff', description: 'Staff members and their API tokens.' }], schemas, paths };
