/**
 * Customers (CRM).
 */
import {
  schema,
  json,
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
  type ScopeNote,
} from '../http/contract';
import { Type, type Static } from '@sinclair/typebox';
import { pageQuery } from '../http/pagination';

const AddressBody = Type.Object(
  {
    label: Type.Optional(Type.String({ maxLength: 100, description: 'e.g. Nhà, Công ty' })),
    street: Type.String({ minLength: 1, maxLength: 300, description: 'House number and street' }),
    ward: Type.String({ minLength: 1, maxLength: 100, description: 'Phường/Xã' }),
    district: Type.Optional(Type.String({ maxLength: 100, description: 'Quận/Huyện (where still used)' })),
    province: Type.String({ minLength: 1, maxLength: 100, description: 'Tỉnh/Thành phố' }),
    isDefault: Type.Optional(Type.Boolean({ description: 'At most one; without one the first address is the default' })),
  },
  { additionalProperties: false },
);
const customerFields = {
  phone: Type.String({ minLength: 8, maxLength: 20, description: '0xxxxxxxxx, +84xxxxxxxxx, 84…, with spaces, dots or dashes' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  channel: Type.Unsafe<string | null>({
    type: ['string', 'null'],
    minLength: 1,
    description: 'Channel of origin (a channel id of the shop)',
  }),
  addresses: Type.Array(AddressBody, { maxItems: 20 }),
  notes: Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength: 5000 }),
  tags: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50, uniqueItems: true }),
  wholesale: Type.Boolean({ description: 'Khách sỉ: the segment rules see it as the flag `wholesale`' }),
};
const { phone, name, ...otherCustomerFields } = customerFields;
export const CreateCustomerBody = Type.Object(
  { phone, name, ...Type.Partial(Type.Object(otherCustomerFields)).properties },
  { additionalProperties: false },
);
export type CreateCustomerBody = Static<typeof CreateCustomerBody>;
export const PatchCustomerBody = Type.Partial(Type.Object(customerFields), { additionalProperties: false, minProperties: 1 });
export type PatchCustomerBody = Static<typeof PatchCustomerBody>;
export const MergeCustomerBody = Type.Object(
  { duplicateId: Type.String({ minLength: 1, description: 'The customer merged into this one' }) },
  { additionalProperties: false },
);
export type MergeCustomerBody = Static<typeof MergeCustomerBody>;

const customerId = pathParam('id', 'Customer id.');
const noSuchCustomer = failure('No such customer, or not one the caller may see.');
const ownCustomer: ScopeNote = {
  record: 'customer',
  kind: 'record',
  who: 'own',
  denied: 404,
  description:
    'Scope `own`: only customers of orders whose tasks they hold or held, and those they created; any other customer answers 404.',
};
const ownCustomers: ScopeNote = {
  record: 'customer',
  kind: 'list',
  who: 'own',
  description: 'Scope `own`: only customers of orders whose tasks they hold or held, and those they created.',
};

export const schemas: Record<string, JsonSchema> = {
  CustomerAddress: object(['street', 'ward', 'province', 'isDefault'], {
    label: { type: 'string' },
    street: { type: 'string' },
    ward: { type: 'string' },
    district: { type: 'string' },
    province: { type: 'string' },
    isDefault: { type: 'boolean', description: 'Exactly one address of a customer is the default.' },
  }),
  Customer: object(
    [
      'id',
      'phone',
      'name',
      'channel',
      'addresses',
      'defaultAddress',
      'notes',
      'tags',
      'wholesale',
      'segment',
      'segmentChangedAt',
      'createdAt',
      'updatedAt',
    ],
    {
      id: { type: 'string', examples: ['cus_1a2b3c4d5e6f'] },
      phone: { type: 'string', description: 'Normalised: 0xxxxxxxxx.' },
      name: { type: 'string' },
      channel: nullable('string', { description: 'Channel of origin.' }),
      addresses: { type: 'array', items: schema('CustomerAddress') },
      defaultAddress: { oneOf: [{ type: 'null' }, schema('CustomerAddress')] },
      address: nullable('string', { description: 'Free-text address of the first lead.' }),
      notes: nullable('string'),
      tags: strings,
      wholesale: { type: 'boolean' },
      segment: {
        type: 'string',
        description: 'Segment id from shop.yaml, recomputed on every delivered or returned order (the fallback segment before the first).',
      },
      segmentChangedAt: nullable('string', { format: 'date-time' }),
      createdBy: nullable('string'),
      createdAt: timestamp,
      updatedAt: timestamp,
    },
  ),
  CustomerPage: object(['customers', 'nextCursor'], {
    customers: { type: 'array', items: schema('Customer') },
    nextCursor: nullable('string', { description: 'Pass as `cursor` for the next page; null on the last page.' }),
  }),
  CustomerDetail: {
    allOf: [
      schema('Customer'),
      object(['reliability', 'orders', 'segmentHistory', 'complaints', 'care', 'contacts', 'mergedFrom'], {
        reliability: object(['orders', 'delivered', 'returned', 'deliveredValue12m', 'returnRate'], {
          orders: { type: 'integer' },
          delivered: { type: 'integer' },
          returned: { type: 'integer' },
          deliveredValue12m: { type: 'number', description: 'VND of delivered orders created in the last 12 months.' },
          returnRate: { type: 'number', description: 'returned ÷ (delivered + returned), 0…1.' },
        }),
        orders: {
          type: 'array',
          items: object(['id', 'status', 'createdAt'], {
            id: { type: 'string' },
            status: { type: 'string' },
            stage: nullable('string'),
            channel: nullable('string'),
            total: nullable('integer'),
            codAmount: nullable('integer'),
            courier: nullable('string'),
            createdAt: timestamp,
          }),
        },
        segmentHistory: {
          type: 'array',
          items: object(['from', 'to', 'reason', 'orderId', 'at'], {
            from: nullable('string'),
            to: { type: 'string' },
            reason: { type: 'string' },
            orderId: nullable('string'),
            actor: nullable('string'),
            at: timestamp,
          }),
          description: 'Oldest first.',
        },
        complaints: {
          type: 'array',
          items: object(['id', 'category', 'status', 'openedAt'], {
            id: { type: 'string' },
            orderId: nullable('string'),
            category: { type: 'string' },
            status: { type: 'string' },
            outcome: nullable('string'),
            openedAt: timestamp,
            dueAt: nullable('string'),
            resolvedAt: nullable('string'),
            resolvedWithinSla: nullable('boolean'),
          }),
        },
        care: {
          type: 'array',
          items: { type: 'object' },
          description: "Care tasks of the customer's orders (stages `care…`), open and done.",
        },
        contacts: {
          type: 'array',
          items: object(['kind', 'taskId', 'at'], {
            kind: { type: 'string', enum: ['care', 'complaint'] },
            taskId: { type: 'string' },
            orderId: nullable('string'),
            complaintId: nullable('string'),
            stage: nullable('string'),
            staffId: nullable('string'),
            outcome: nullable('string'),
            segment: nullable('string'),
            at: timestamp,
          }),
          description: 'When staff contacted the customer: finished care tasks and complaint decisions.',
        },
        mergedFrom: {
          type: 'array',
          items: object(['id', 'actor', 'at'], { id: { type: 'string' }, actor: { type: 'string' }, at: timestamp }),
          description: 'Duplicates merged into this customer.',
        },
      }),
    ],
  },
  NewCustomer: {
    ...CreateCustomerBody,
    description:
      '`phone` in any accepted format (normalised to 0xxxxxxxxx); `channel` a channel of the shop; at most one address with `isDefault`.',
  },
  CustomerChange: {
    ...PatchCustomerBody,
    description: 'At least one field. `addresses` and `tags` replace the lists. A change of `wholesale` or `tags` recomputes the segment.',
  },
  CustomerMerge: MergeCustomerBody,
};

/** `GET /customers`: the search, the segment and the page. */
export const CustomersQuery = Type.Object({
  q: Type.Optional(Type.String({ pattern: '\\S', description: 'Phone (any format) or part of the name; not blank.' })),
  segment: Type.Optional(Type.String({ description: 'Only customers of this segment.' })),
  ...pageQuery,
});

export const paths: Record<string, PathItem> = {
  '/api/v1/customers': {
    get: apiOperation({
      operationId: 'listCustomers',
      tags: ['customers'],
      permission: 'customers.read',
      scope: ownCustomers,
      summary: 'Search customers by phone or name',
      description:
        "Newest first. `q` is a phone in any accepted format (0912 345 678, +84912345678, 84-912-345-678…; a merged duplicate's phone finds its survivor), digits of a phone, or part of a name. Merged duplicates are left out. Scope `own` sees customers of orders whose tasks the caller holds or held, and those the caller created.",
      query: CustomersQuery,
      responses: {
        200: answer('A page of customers.', schema('CustomerPage')),
        400: failure('A filter is invalid (q empty, unknown segment, limit, cursor).'),
      },
    }),
    post: apiOperation({
      operationId: 'createCustomer',
      tags: ['customers'],
      permission: ['customers.read', 'customers.manage'],
      bodyIsJson: true,
      summary: 'Create a customer',
      requestBody: jsonBody(schema('NewCustomer')),
      responses: {
        201: answer('The customer.', schema('Customer')),
        409: failure('A customer with this phone exists: `details.existingId`.'),
        422: failure(
          'The body is invalid, the phone is not Vietnamese, the channel is unknown, or two addresses are default (`details.fields`).',
        ),
      },
    }),
  },
  '/api/v1/customers/{id}': {
    get: apiOperation({
      operationId: 'getCustomer',
      tags: ['customers'],
      permission: 'customers.read',
      scope: ownCustomer,
      summary: 'A customer with reliability, orders, segment history, complaints and care history',
      description: 'A merged duplicate answers 301 with `Location` of its survivor.',
      parameters: [customerId],
      responses: {
        200: answer('The customer.', schema('CustomerDetail')),
        301: {
          description: 'The customer was merged; `Location` names the survivor.',
          headers: { Location: { description: 'The survivor.', schema: { type: 'string' } } },
          content: json(
            object(['id', 'mergedInto', 'mergedAt'], {
              id: { type: 'string' },
              mergedInto: { type: 'string' },
              mergedAt: nullable('string', { format: 'date-time' }),
            }),
          ),
        },
        404: noSuchCustomer,
      },
    }),
    patch: apiOperation({
      operationId: 'updateCustomer',
      tags: ['customers'],
      permission: ['customers.read', 'customers.manage'],
      scope: ownCustomer,
      bodyIsJson: true,
      summary: 'Change a customer',
      parameters: [customerId],
      requestBody: jsonBody(schema('CustomerChange')),
      responses: {
        200: answer('The customer.', schema('Customer')),
        404: noSuchCustomer,
        409: failure('The new phone belongs to another customer (`details.existingId`).'),
        422: failure('The body is invalid (`details.fields`).'),
      },
    }),
  },
  '/api/v1/customers/{id}/merge': {
    post: apiOperation({
      operationId: 'mergeCustomer',
      tags: ['customers'],
      permission: ['customers.read', 'customers.merge'],
      bodyIsJson: true,
      summary: 'Merge a duplicate into this customer',
      description:
        'Orders, complaints, segment history, contacts and customer tasks move to this customer; addresses and tags are united; the duplicate stays with `mergedInto` (left out of search; reading it points here). The segment is recomputed.',
      parameters: [customerId],
      requestBody: jsonBody(schema('CustomerMerge')),
      responses: {
        200: answer(
          'The survivor and what moved.',
          object(['customer', 'mergedId', 'moved'], {
            customer: schema('Customer'),
            mergedId: { type: 'string' },
            moved: { type: 'object', additionalProperties: { type: 'integer' } },
          }),
        ),
        404: noSuchCustomer,
        409: failure('One of the two was already merged (`details.mergedInto`).'),
        422: failure('The body is invalid, the duplicate does not exist, or it is the same customer (`details.fields`).'),
      },
    }),
  },
};

export const contract: DomainContract = {
  tags: [{ name: 'customers', description: 'Customers (CRM): search by phone, history, segments, merging duplicates.' }],
  schemas,
  paths,
};
