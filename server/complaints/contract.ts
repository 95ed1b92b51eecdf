/**
 * Complaints.
 */
import {
  schema,
  answer,
  failure,
  object,
  nullable,
  timestamp,
  pathParam,
  jsonBody,
  stringEnum,
  apiOperation,
  type DomainContract,
  type PathItem,
  type JsonSchema,
} from '../http/contract';
import { Type, type Static } from '@sinclair/typebox';
import { pageQuery } from '../http/pagination';

export const ComplaintBody = Type.Object(
  {
    customerId: Type.Optional(Type.String({ minLength: 1, description: 'The customer (or give phone)' })),
    phone: Type.Optional(
      Type.String({ minLength: 8, maxLength: 20, description: "The customer's phone in any accepted format (or give customerId)" }),
    ),
    orderId: Type.Optional(Type.String({ minLength: 1, description: "The order complained about, if any (must be the customer's)" })),
    category: Type.String({ minLength: 1, description: 'A category id of the active ComplaintProcess' }),
    description: Type.String({ minLength: 1, maxLength: 5000 }),
  },
  { additionalProperties: false },
);
export type ComplaintBody = Static<typeof ComplaintBody>;

export const schemas: Record<string, JsonSchema> = {
  NewComplaint: {
    ...ComplaintBody,
    description: '`customerId` or `phone` names the customer; `category` is a category of the active ComplaintProcess.',
  },
  Complaint: object(
    [
      'id',
      'workflowId',
      'customerId',
      'orderId',
      'category',
      'description',
      'status',
      'outcome',
      'resolution',
      'openedAt',
      'dueAt',
      'resolvedAt',
      'resolvedWithinSla',
      'closedAt',
      'definition',
    ],
    {
      id: { type: 'string', examples: ['KN260301-1A2B3C4D'] },
      workflowId: { type: 'string', examples: ['complaint:KN260301-1A2B3C4D'] },
      customerId: { type: 'string' },
      orderId: nullable('string'),
      category: { type: 'string' },
      description: { type: 'string' },
      status: { type: 'string', enum: ['open', 'resolved', 'rejected'] },
      outcome: nullable('string', { description: 'The outcome CSKH chose (refund, resend, exchange, courier-claim, reject…).' }),
      resolution: nullable('object', { description: '`decision`: what CSKH entered; `followUp`: what the follow-up task recorded.' }),
      openedBy: nullable('string'),
      resolvedBy: nullable('string'),
      openedAt: timestamp,
      dueAt: nullable('string', { format: 'date-time', description: 'opened + the intake SLA (on its clock).' }),
      resolvedAt: nullable('string', { format: 'date-time' }),
      resolvedWithinSla: nullable('boolean', { description: 'resolvedAt ≤ dueAt; null while open.' }),
      followUpTaskId: nullable('string'),
      followUpDoneAt: nullable('string', { format: 'date-time' }),
      closedAt: nullable('string', { format: 'date-time', description: 'When nothing is left to do (decision taken, follow-up done).' }),
      definition: object(['name', 'version'], { name: { type: 'string' }, version: { type: 'integer' } }),
    },
  ),
  ComplaintPage: object(['complaints', 'nextCursor'], {
    complaints: { type: 'array', items: schema('Complaint') },
    nextCursor: nullable('string', { description: 'Pass as `cursor` for the next page; null on the last page.' }),
  }),
  ComplaintDetail: {
    allOf: [
      schema('Complaint'),
      object(['customer', 'tasks', 'timeline', 'outcomeTitle', 'categoryTitle', 'resolutionFields'], {
        customer: { type: ['object', 'null'] },
        outcomeTitle: { type: ['string', 'null'], description: "The outcome's title in the complaint process (null while open)." },
        categoryTitle: { type: ['string', 'null'], description: "The category's title in the complaint process." },
        resolutionFields: {
          type: 'array',
          description:
            'What was entered with the outcome (`decision`) and with its follow-up task (`followUp`), each field by its title in the form; a choice as its title. The console shows these, not `resolution`.',
          items: object(['part', 'name', 'title', 'value'], {
            part: { type: 'string', enum: ['decision', 'followUp'] },
            name: { type: 'string' },
            title: { type: 'string' },
            value: {},
            kind: { type: 'string', enum: ['money'] },
          }),
        },
        tasks: {
          type: 'array',
          items: schema('Task'),
          description: 'The CSKH task, the follow-up task and follow-ups opened by escalations.',
        },
        timeline: {
          type: 'array',
          items: object(['at', 'type'], {
            at: timestamp,
            type: {
              type: 'string',
              description: 'A complaint event (`opened`, `resolved`, `rejected`, `follow_up_done`) or a task event prefixed `task_`.',
            },
          }),
        },
      }),
    ],
  },
  ComplaintFiled: object(['complaintId', 'workflowId', 'created', 'complaint', 'assignedTo'], {
    complaintId: { type: 'string' },
    workflowId: { type: 'string' },
    created: { type: 'boolean' },
    assignedTo: nullable('string', { description: 'Who the CSKH task went to, if it opened within ~3 s and was auto-assigned.' }),
    complaint: { oneOf: [{ type: 'null' }, schema('Complaint')], description: 'null if the workflow had not written it within ~3 s.' },
  }),
};

/** `GET /complaints`: the filters and the page. */
export const ComplaintsQuery = Type.Object({
  status: Type.Optional(stringEnum(['open', 'resolved', 'rejected'], { description: '`open`, `resolved` or `rejected`.' })),
  customer: Type.Optional(Type.String({ description: 'Only complaints of this customer id.' })),
  ...pageQuery,
});

export const paths: Record<string, PathItem> = {
  '/api/v1/complaints': {
    get: apiOperation({
      operationId: 'listComplaints',
      tags: ['complaints'],
      permission: 'complaints.read',
      summary: 'List complaints, newest first',
      query: ComplaintsQuery,
      responses: {
        200: answer('A page of complaints.', schema('ComplaintPage')),
        400: failure('A filter is invalid (status, limit, cursor).'),
      },
    }),
    post: apiOperation({
      operationId: 'fileComplaint',
      tags: ['complaints'],
      permission: 'complaints.manage',
      bodyIsJson: true,
      summary: 'File a complaint: start its workflow',
      description:
        "Starts `complaint:<id>` on the active ComplaintProcess: a CSKH task with the SLA and escalation ladder, then the outcome's follow-up task. Tasks are finished through `POST /api/v1/tasks/{id}/complete`. With an `Idempotency-Key`, a retry returns the same complaint (200, `created: false`).",
      parameters: [
        {
          name: 'Idempotency-Key',
          in: 'header',
          description:
            'Any string unique to this complaint from the caller (1–200 visible ASCII characters); retries reuse it. The same key with another body is 409 `idempotency_conflict` and files nothing.',
          schema: { type: 'string', minLength: 1, maxLength: 200 },
        },
      ],
      requestBody: jsonBody(schema('NewComplaint')),
      responses: {
        201: answer('Filed.', schema('ComplaintFiled')),
        200: answer('Already filed with this Idempotency-Key.', schema('ComplaintFiled')),
        409: failure(
          'No ComplaintProcess is active (code `no_active_process`), or the Idempotency-Key was used for a different body (code `idempotency_conflict`; nothing is filed).',
        ),
        422: failure(
          "The body is invalid, the customer or order is unknown, the order is another customer's, or the category is unknown (`details.fields`).",
        ),
      },
    }),
  },
  '/api/v1/complaints/categories': {
    get: apiOperation({
      operationId: 'listComplaintCategories',
      tags: ['complaints'],
      permission: 'complaints.read',
      summary: 'What a complaint may be filed under',
      description:
        'The categories of the active ComplaintProcess, in the order written; `process` is null and the list empty when none is active.',
      responses: {
        200: answer(
          'The categories.',
          object(['process', 'categories'], {
            process: { oneOf: [{ type: 'null' }, object(['name', 'version'], { name: { type: 'string' }, version: { type: 'integer' } })] },
            categories: { type: 'array', items: object(['id', 'title'], { id: { type: 'string' }, title: { type: 'string' } }) },
          }),
        ),
      },
    }),
  },
  '/api/v1/complaints/{id}': {
    get: apiOperation({
      operationId: 'getComplaint',
      tags: ['complaints'],
      permission: 'complaints.read',
      summary: 'A complaint with its tasks and timeline',
      parameters: [pathParam('id', 'Complaint id.')],
      responses: {
        200: answer('The complaint.', schema('ComplaintDetail')),
        404: failure('No such complaint, or not one the caller may see.'),
      },
    }),
  },
};

export const contract: DomainContract = {
  tags: [{ name: 'complaints', description: 'Complaints (khiếu nại) run as workflows with SLA and escalation.' }],
  schemas,
  paths,
};
