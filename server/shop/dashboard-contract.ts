/**
 * The manager's dashboard.
 */
import {
  schema,
  answer,
  object,
  nullable,
  timestamp,
  apiOperation,
  type DomainContract,
  type PathItem,
  type JsonSchema,
  type ScopeNote,
} from '../http/contract';

const ownOrders: ScopeNote = {
  record: 'order',
  kind: 'list',
  who: 'own',
  description: 'Scope `own`: only orders whose tasks they hold or held.',
};

export const schemas: Record<string, JsonSchema> = {
  Dashboard: object(
    ['asOf', 'timezone', 'day', 'scope', 'openOrders', 'ordersPerStage', 'today', 'lateDeliveries', 'overdueTasks', 'stuck'],
    {
      stuck: schema('StuckWorkflows'),
      asOf: timestamp,
      timezone: { type: 'string', examples: ['Asia/Ho_Chi_Minh'], description: 'The shop\'s; "today" is its local day.' },
      day: { type: 'string', format: 'date', description: "Today in the shop's time zone." },
      scope: {
        type: 'string',
        enum: ['own', 'all'],
        description: '`own`: orders whose tasks the caller holds or held, their own tasks and queues, and the value of orders they closed.',
      },
      openOrders: { type: 'integer' },
      ordersPerStage: {
        type: 'array',
        description: 'Open orders grouped by their current stage, most first.',
        items: object(['stage', 'title', 'kind', 'count'], {
          stage: { type: 'string' },
          title: nullable('string', { description: 'From the process version the orders run.' }),
          kind: nullable('string', { description: 'human, courier, wait, notify.' }),
          count: { type: 'integer' },
        }),
      },
      today: object(['from', 'to', 'closed', 'delivered'], {
        from: timestamp,
        to: timestamp,
        closed: object(
          ['orders', 'value'],
          { orders: { type: 'integer' }, value: { type: 'number', description: 'VND (total, else COD).' } },
          'Orders whose first step (closing the lead) finished today with a total, not lost.',
        ),
        delivered: object(
          ['revenue', 'orders', 'value', 'returned', 'returnedValue', 'byChannel'],
          {
            revenue: {
              type: 'number',
              description: "VND: value delivered today − value returned today of earlier deliveries (the revenue KPI's rules).",
            },
            orders: { type: 'integer', description: 'First deliveries today.' },
            value: { type: 'number' },
            returned: { type: 'integer', description: 'Returns today of delivered orders.' },
            returnedValue: { type: 'number' },
            byChannel: {
              type: 'array',
              items: object(['channel', 'revenue', 'delivered', 'returned'], {
                channel: nullable('string'),
                revenue: { type: 'number' },
                delivered: { type: 'integer' },
                returned: { type: 'integer' },
              }),
            },
          },
          "Revenue recognised today by the courier's delivery and return times, as the revenue KPI counts it; scope `own`: orders credited to the caller.",
        ),
      }),
      lateDeliveries: object(
        ['count', 'orders'],
        {
          count: { type: 'integer' },
          orders: {
            type: 'array',
            description: 'Most overdue first; at most 100.',
            items: object(
              [
                'orderId',
                'customer',
                'stage',
                'courier',
                'trackingCode',
                'state',
                'status',
                'shippedAt',
                'deliveryDueAt',
                'expectedDeliveryAt',
                'escalationLevel',
              ],
              {
                orderId: { type: 'string' },
                customer: object(['name', 'phone'], { name: nullable('string'), phone: nullable('string') }),
                stage: { type: 'string' },
                courier: { type: 'string' },
                trackingCode: { type: 'string' },
                state: { type: 'string' },
                status: nullable('string'),
                shippedAt: { ...timestamp, description: 'When the SLA started: the hand-over on this visit of the stage.' },
                deliveryDueAt: { ...timestamp, description: "shippedAt + the stage's `deliverySla` on its clock." },
                expectedDeliveryAt: nullable('string', { format: 'date-time', description: 'What the courier promised, if it said.' }),
                escalationLevel: {
                  type: 'integer',
                  description: "The highest rung of the stage's `escalate` ladder recorded on this visit (0: none yet).",
                },
              },
            ),
          },
        },
        'Orders waiting at a courier stage past its delivery SLA.',
      ),
      overdueTasks: object(['count', 'tasks'], {
        count: { type: 'integer' },
        tasks: { type: 'array', items: schema('Task'), description: 'Open tasks past due, most overdue first; at most 100.' },
      }),
    },
  ),
};

export const paths: Record<string, PathItem> = {
  '/api/v1/dashboard': {
    get: apiOperation({
      operationId: 'getDashboard',
      tags: ['dashboard'],
      permission: 'reports.read',
      scope: ownOrders,
      summary: "What is late, and today's figures",
      description:
        "Open orders per stage, today's closed and delivered value (the shop's local day; delivered by the revenue KPI's rules), orders at a courier stage past their delivery SLA with the escalation rung reached, and overdue tasks with theirs. From indexed database reads, not workflow queries. Scope `own` sees its own orders and tasks only.",
      responses: { 200: answer('The dashboard.', schema('Dashboard')) },
    }),
  },
};

export const contract: DomainContract = {
  tags: [{ name: 'dashboard', description: "The manager's dashboard: what is late, orders per stage, today's revenue." }],
  schemas,
  paths,
};
