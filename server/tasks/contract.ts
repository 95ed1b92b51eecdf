/**
 * Tasks: the human steps of running orders.
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
  type ScopeNote,
} from '../http/contract';
import { Type, type Static } from '@sinclair/typebox';
import { pageQuery } from '../http/pagination';

export const CompleteBody = Type.Object(
  {
    outcome: Type.String({ minLength: 1 }),
    data: Type.Optional(Type.Unsafe<Record<string, unknown>>({ type: 'object' })),
    checklist: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 60 }), {
        maxItems: 30,
        uniqueItems: true,
        description:
          "Ids of the guide's checklist items ticked (`guide.checklist` of GET /tasks/{id}). Finishing with the forward outcome needs every `required` item; the task's script version is recorded for GET /reports/scripts.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type CompleteBody = Static<typeof CompleteBody>;

export const ReassignBody = Type.Object(
  {
    to: Type.String({
      minLength: 1,
      description:
        "A role id (the task goes to that role's queue) or an active staff id (assigned to them; they must hold the task's role).",
    }),
    role: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'With a staff id in `to`: also move the task to this role (e.g. an escalated task back to the team). The caller must lead it, and the person must hold it.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ReassignBody = Static<typeof ReassignBody>;

const taskId = pathParam('id', 'Task id.');
const noSuchTask = failure('No such task, or not one the caller may see.');
const ownTask: ScopeNote = {
  record: 'task',
  kind: 'record',
  who: 'own',
  denied: 404,
  description: 'Scope `own`: only their tasks and the unassigned tasks of their roles; any other task answers 404.',
};
const ownTasks: ScopeNote = {
  record: 'task',
  kind: 'list',
  who: 'own',
  description: 'Scope `own`: only their tasks and the unassigned tasks of their roles.',
};

export const schemas: Record<string, JsonSchema> = {
  Task: object(
    [
      'id',
      'stage',
      'title',
      'role',
      'assigneeId',
      'priority',
      'status',
      'subject',
      'createdAt',
      'dueAt',
      'timeLeftSeconds',
      'overdue',
      'escalationLevel',
      'followUpOf',
    ],
    {
      id: { type: 'string' },
      stage: { type: 'string' },
      title: { type: 'string' },
      role: { type: 'string' },
      assigneeId: nullable('string', { description: 'null: in the queue of the role.' }),
      priority: { type: 'string', enum: ['low', 'normal', 'high', 'urgent'] },
      status: { type: 'string', enum: ['open', 'done', 'cancelled'] },
      subject: {
        type: 'object',
        required: ['type', 'id'],
        properties: { type: { type: 'string', examples: ['order'] }, id: { type: 'string', examples: ['DH250301-1A2B3C4D'] } },
        description: 'What the task is about, plus summary fields for lists (customer, phone, channel, …).',
      },
      createdAt: timestamp,
      dueAt: nullable('string', { format: 'date-time' }),
      timeLeftSeconds: nullable('integer', { description: 'Negative when overdue; null when not open or without SLA.' }),
      overdue: { type: 'boolean' },
      escalationLevel: { type: 'integer' },
      followUpOf: nullable('string', { description: 'The task whose escalation opened this one.' }),
      outcome: nullable('string', { description: 'Only when not open.' }),
      completedBy: nullable('string', { description: 'Only when not open.' }),
      completedAt: nullable('string', { format: 'date-time', description: 'Only when not open.' }),
    },
  ),
  TaskOutcome: object(['name', 'title', 'form', 'forward', 'prefill'], {
    name: { type: 'string' },
    title: { type: 'string' },
    form: { type: 'object', description: 'JSON Schema of the data this outcome needs.' },
    forward: { type: 'boolean', description: 'true for the first outcome: the one that moves the process on.' },
    prefill: schema('TaskPrefill'),
  }),
  TaskPrefill: {
    type: 'object',
    description:
      "Values for the form's fields bound to facts (`x-shopflow: { default: { from: … } }`): the lead's name and phone, its address read against the provinces and wards, the order's items, address, COD… A starting point shown in the form; what is sent on completion is validated as always. Empty for a task that is no longer open.",
    examples: [{ customerName: 'Trần Thị Hoa', phone: '0912345678', shippingAddress: { street: '12 Lê Lợi', province: 'Hồ Chí Minh' } }],
  },
  TaskLead: object(
    ['channel', 'campaign', 'note', 'address'],
    {
      channel: { type: 'string' },
      campaign: nullable('string'),
      note: nullable('string', { description: 'What the customer asked for, as the lead said it.' }),
      address: nullable('string', { description: 'The address the customer wrote on the lead (free text).' }),
    },
    "What the lead the order started with said (an order's task only).",
  ),
  TaskContextEntry: object(
    ['fact', 'shape', 'value'],
    {
      fact: { type: 'string', examples: ['order.items', 'order.codAmount', 'shipment.reason'] },
      shape: { type: 'string', enum: ['text', 'money', 'number', 'items', 'address', 'fields'] },
      value: {
        description:
          "text: a string (shipment.state is a state id); money/number: a number; items: [{ sku, name, qty, price, lineTotal }]; address: { street, ward, district, province, text }; fields: [{ field, label, value }] in the form's words.",
      },
    },
    'One fact a task shows beside its form.',
  ),
  ShippingFeeRules: object(
    ['flat', 'provinces'],
    {
      flat: { type: 'integer', description: 'VND when no province rule applies.' },
      provinces: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Province → VND.' },
      freeOver: { type: 'integer', description: 'From this order total up, shipping is free.' },
    },
    "The shop's shipping fee rules.",
  ),
  TimelineEvent: object(['at', 'type', 'actor', 'data'], {
    at: timestamp,
    type: {
      type: 'string',
      description:
        'An order event (`opened`, `stage_entered`, …) or a task event prefixed `task_` (`task_opened`, `task_claimed`, `task_escalated`, …).',
    },
    actor: nullable('string'),
    data: nullable('object'),
    from: nullable('string', { description: 'Order events: the stage left.' }),
    to: nullable('string', { description: 'Order events: the stage entered.' }),
    taskId: { type: 'string', description: 'Task events only.' },
    task: { type: 'string', description: "Task events only: the task's title." },
    outcomeTitle: nullable('string', {
      description: '`task_completed` only: the title of the outcome it was finished with, as its definition words it.',
    }),
  }),
  TaskDetail: {
    allOf: [
      schema('Task'),
      object(['description', 'form', 'outcomes', 'timeline', 'guide', 'prefill', 'lead', 'context', 'suggestedOutcome', 'shippingFee'], {
        description: nullable('string'),
        context: {
          type: 'array',
          items: schema('TaskContextEntry'),
          description:
            "What the task's subject knows that the person needs, as the form declares (`x-shopflow: { show: [...] }` on the form): the order's items with line totals, address, COD, the customer, the courier's latest state and reason, a complaint's decision. Facts not known yet are left out.",
        },
        suggestedOutcome: nullable('string', {
          description:
            "The outcome to preselect: the first of the form's `x-shopflow.suggest` whose facts match (e.g. `return` for a parcel the courier reports returning); null when the form suggests and none matches; else the forward outcome.",
        }),
        shippingFee: {
          oneOf: [schema('ShippingFeeRules'), { type: 'null' }],
          description:
            "The shop's shipping fee rules (shop.yaml `shippingFee`) when a form computes a fee (`x-shopflow.fee`); null otherwise.",
        },
        prefill: schema('TaskPrefill'),
        lead: {
          oneOf: [schema('TaskLead'), { type: 'null' }],
          description: "The lead's words (note, address) for an order's task; null otherwise.",
        },
        guide: {
          oneOf: [schema('Guide'), { type: 'null' }],
          description: 'The sales script and checklist for this task (SalesGuide); null when none applies.',
        },
        form: { type: 'object', description: 'JSON Schema of the data the task asks for.' },
        outcomes: { type: 'array', items: schema('TaskOutcome') },
        timeline: { type: 'array', items: schema('TimelineEvent'), description: "The order's events and its tasks' events, oldest first." },
      }),
    ],
  },
  TaskPage: object(['tasks', 'nextCursor'], {
    tasks: { type: 'array', items: schema('Task') },
    nextCursor: nullable('string', { description: 'Pass as `cursor` for the next page; null on the last page.' }),
  }),

  TaskCompletion: { ...CompleteBody, description: "`outcome` is one of the task's outcomes; `data` must match that outcome's form." },
  TaskReassignment: ReassignBody,
};

/** `GET /tasks`: the filters and the page. */
export const TasksQuery = Type.Object({
  status: Type.Optional(stringEnum(['open', 'done', 'cancelled'], { description: 'Only tasks in this status.' })),
  role: Type.Optional(Type.String({ description: 'Only tasks for this role.' })),
  assignee: Type.Optional(Type.String({ description: '`me`, or a staff id.', examples: ['me', 'stf_1a2b3c4d5e6f'] })),
  overdue: Type.Optional(Type.Boolean({ description: '`true`: only open tasks past their due time (`false` does not filter).' })),
  order: Type.Optional(Type.String({ description: 'Only tasks about this order id.' })),
  ...pageQuery,
});

export const paths: Record<string, PathItem> = {
  '/api/v1/tasks': {
    get: apiOperation({
      operationId: 'listTasks',
      tags: ['tasks'],
      permission: 'tasks.read',
      scope: ownTasks,
      summary: 'List tasks',
      description:
        'Newest first. A caller with scope `own` sees their tasks and the unassigned tasks of their roles; scope `all` sees every task.',
      query: TasksQuery,
      responses: {
        200: answer('A page of tasks.', schema('TaskPage')),
        400: failure('A filter is invalid (status, limit, overdue, cursor).'),
      },
    }),
  },
  '/api/v1/tasks/{id}': {
    get: apiOperation({
      operationId: 'getTask',
      tags: ['tasks'],
      permission: 'tasks.read',
      scope: ownTask,
      summary: "Read a task with its form, outcomes and the order's timeline",
      parameters: [taskId],
      responses: { 200: answer('The task.', schema('TaskDetail')), 404: noSuchTask },
    }),
  },
  '/api/v1/tasks/{id}/claim': {
    post: apiOperation({
      operationId: 'claimTask',
      tags: ['tasks'],
      permission: 'tasks.read',
      scope: ownTask,
      summary: "Take a task from the role's queue",
      description: 'Claiming a task one already holds is a no-op. Of two people claiming at once, one wins; the other gets 409.',
      parameters: [taskId],
      responses: {
        200: answer('The task, assigned to the caller.', schema('Task')),
        403: failure("The caller's roles do not allow this, or the task is for another role."),
        404: noSuchTask,
        409: failure('The task is no longer open, or someone else holds it (`details.assigneeId`).'),
      },
    }),
  },
  '/api/v1/tasks/{id}/unclaim': {
    post: apiOperation({
      operationId: 'unclaimTask',
      tags: ['tasks'],
      permission: 'tasks.read',
      scope: ownTask,
      summary: "Put a task back in the role's queue",
      description: 'By its holder, or by someone with `tasks.reassign`.',
      parameters: [taskId],
      responses: {
        200: answer('The task, unassigned.', schema('Task')),
        403: failure("The caller's roles do not allow this, or someone else holds the task."),
        404: noSuchTask,
        409: failure('The task is not open, not claimed, or changed meanwhile.'),
      },
    }),
  },
  '/api/v1/tasks/{id}/complete': {
    post: apiOperation({
      operationId: 'completeTask',
      tags: ['tasks'],
      permission: ['tasks.read', 'tasks.complete'],
      scope: ownTask,
      summary: 'Finish a task with an outcome',
      description:
        "The order's workflow checks the outcome and its data (the outcome's form) and moves on. Also needs the task's role and, if assigned, to be its assignee.",
      parameters: [taskId],
      requestBody: jsonBody(schema('TaskCompletion')),
      bodyIsJson: true,
      responses: {
        200: answer(
          'The completed task and the stage the order moved to.',
          object(['task', 'nextStage'], {
            task: schema('Task'),
            nextStage: nullable('string', { description: 'null for a follow-up task that does not move the order.' }),
          }),
        ),
        403: failure('The caller may not complete this task (permission, role, or assignee).'),
        404: noSuchTask,
        409: failure('The task is no longer open, or its order has ended.'),
        422: failure(
          "The body is invalid (`details.fields`), the outcome is not one of the task's (`details.allowed`), or the data does not match the outcome's form (`details.fields`).",
        ),
      },
    }),
  },
  '/api/v1/tasks/{id}/assignees': {
    get: apiOperation({
      operationId: 'listTaskAssignees',
      tags: ['tasks'],
      permission: ['tasks.read', 'tasks.reassign'],
      summary: 'Who a role lead may hand this task to',
      description:
        "The active members of the task's role (a person handed the task must hold it) and the role queues the caller leads (shop.yaml `leads`). 403 when the caller does not lead the task's role.",
      parameters: [taskId],
      responses: {
        200: answer(
          'The choices for reassigning.',
          object(['taskId', 'role', 'assigneeId', 'people', 'roles'], {
            taskId: { type: 'string' },
            role: object(['id', 'title'], { id: { type: 'string' }, title: { type: 'string' } }),
            assigneeId: nullable('string'),
            people: { type: 'array', items: object(['id', 'name'], { id: { type: 'string' }, name: { type: 'string' } }) },
            roles: { type: 'array', items: object(['id', 'title'], { id: { type: 'string' }, title: { type: 'string' } }) },
          }),
        ),
        403: failure("The caller does not lead the task's role, or lacks `tasks.reassign`."),
        404: noSuchTask,
      },
    }),
  },
  '/api/v1/tasks/{id}/reassign': {
    post: apiOperation({
      operationId: 'reassignTask',
      tags: ['tasks'],
      permission: ['tasks.read', 'tasks.reassign'],
      scope: ownTask,
      bodyIsJson: true,
      summary: "Hand a task to a role's queue or to a person",
      description:
        "The caller must lead the task's role (`leads` in shop.yaml). `to` is a role id (the task goes to that role's queue; the caller must lead that role too) or an active staff id (assigned to them, keeping the task's role, which they must hold). With a staff id, `role` also moves the task to that role (led by the caller, held by the person).",
      parameters: [taskId],
      requestBody: jsonBody(schema('TaskReassignment')),
      responses: {
        200: answer('The task.', schema('Task')),
        403: failure(
          "The caller's roles do not allow `tasks.read` and `tasks.reassign`, or do not lead the task's role (or the role it would move to).",
        ),
        404: noSuchTask,
        409: failure('The task is no longer open.'),
        422: failure(
          "The body is invalid, `to` is neither a role nor an active staff member, or the person does not hold the task's role (`details.fields`).",
        ),
      },
    }),
  },
};

export const contract: DomainContract = { tags: [{ name: 'tasks', description: 'Human steps of running orders.' }], schemas, paths };
