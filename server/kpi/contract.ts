/**
 * KPI periods: targets, actuals, pacing, evaluation.
 */
import {
  schema,
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

export const StartPeriodBody = Type.Object(
  {
    plan: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'KpiPlan name (default: the active plan).' })),
    period: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 40,
        description: 'Period key, e.g. 2026-01; default the current period. A past period is a backfill.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type StartPeriodBody = Static<typeof StartPeriodBody>;
export const ReviseTargetBody = Type.Object(
  {
    metric: Type.String({ minLength: 1, maxLength: 60 }),
    scope: Type.Optional(
      Type.String({ minLength: 1, maxLength: 120, description: '`total` (default), `channel:<id>` or `rep:<staffId>` (revenue only).' }),
    ),
    value: Type.Number({ minimum: 0 }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type ReviseTargetBody = Static<typeof ReviseTargetBody>;

export const schemas: Record<string, JsonSchema> = {
  KpiSplit: {
    type: 'object',
    description:
      "By key (channel id, staff id): target and actual; `detail` says what a staff member's rate is made of (leads/closed, orders/days, counted/onTime).",
    additionalProperties: object(['target', 'actual'], {
      target: nullable('number'),
      actual: nullable('number'),
      detail: { type: 'object', additionalProperties: { type: 'number' } },
    }),
  },
  KpiMetric: object(
    [
      'id',
      'title',
      'type',
      'owner',
      'goal',
      'weight',
      'target',
      'actual',
      'pacing',
      'detail',
      'channels',
      'staff',
      'couriers',
      'campaigns',
      'unallocated',
    ],
    {
      id: { type: 'string' },
      title: { type: 'string' },
      type: {
        type: 'string',
        enum: [
          'revenue',
          'returnRate',
          'leads',
          'costPerLead',
          'closeRate',
          'newCustomerRevenue',
          'tasksOnTime',
          'ordersPerPackerDay',
          'complaintsOnTime',
          'careCoverage',
        ],
      },
      owner: { type: 'string', description: 'Role evaluated on the metric.' },
      goal: { type: 'string', enum: ['target', 'ceiling'], description: '`ceiling`: lower is better (return rate, cost per lead).' },
      weight: { type: 'number' },
      target: { type: 'number', description: 'VND, a count, or a share 0…1.' },
      actual: nullable('number', { description: 'null until something was counted (e.g. no parcel shipped yet).' }),
      pacing: {
        type: ['object', 'null'],
        description:
          '`{goal, target, expected, actual, onTrack}`: expected by now is target × elapsed share for cumulative metrics (revenue, leads), the target itself for rates.',
      },
      detail: {
        type: ['object', 'null'],
        description:
          'What the figure is made of (delivered/returned counts and VND, shipped/returned parcels, leads/cost/closed, tasks done/on time).',
      },
      channels: { oneOf: [schema('KpiSplit'), { type: 'null' }] },
      staff: { oneOf: [schema('KpiSplit'), { type: 'null' }] },
      couriers: {
        type: ['object', 'null'],
        description: 'Return rate per courier: `{value, shipped, returned, shippedValue, returnedValue}`.',
      },
      campaigns: { type: ['object', 'null'], description: 'Leads per campaign: `{leads, leadCost, costPerLead, closed}`.' },
      segments: { type: ['object', 'null'], description: 'Care coverage per customer segment: `{customers, contacted, value}`.' },
      unallocated: nullable('number', { description: 'Revenue target of channels without an active rep.' }),
    },
  ),
  KpiStaffEvaluation: object(['staffId', 'name', 'roles', 'metrics', 'score', 'grade', 'rank'], {
    staffId: { type: 'string' },
    name: { type: 'string' },
    roles: strings,
    metrics: {
      type: 'array',
      items: object(['metric', 'scope', 'target', 'actual', 'score', 'weight'], {
        metric: { type: 'string' },
        scope: { type: 'string', enum: ['personal', 'role'] },
        target: { type: 'number' },
        actual: nullable('number'),
        score: nullable('number'),
        weight: { type: 'number' },
      }),
    },
    score: nullable('number', { description: "Weighted score in percent (each metric capped at the plan's scoreCap)." }),
    grade: nullable('string'),
    rank: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Rank (1 = best) within each role.' },
  }),
  KpiPeriod: object(
    [
      'id',
      'plan',
      'planVersion',
      'period',
      'workflowId',
      'startsAt',
      'endsAt',
      'timezone',
      'status',
      'elapsed',
      'actualsAt',
      'metrics',
      'alertsFired',
      'evaluation',
      'revisions',
    ],
    {
      id: { type: 'string', examples: ['shop-kpi:2026-01'] },
      plan: { type: 'string' },
      planVersion: nullable('integer'),
      period: { type: 'string', examples: ['2026-01'] },
      workflowId: { type: 'string', examples: ['kpi:shop-kpi:2026-01'] },
      startsAt: timestamp,
      endsAt: timestamp,
      timezone: { type: 'string' },
      status: { type: 'string', enum: ['running', 'closed'] },
      elapsed: { type: 'number', description: 'Share of the period elapsed at the last recomputation.' },
      actualsAt: nullable('string', { format: 'date-time' }),
      metrics: { type: 'array', items: schema('KpiMetric') },
      alertsFired: strings,
      evaluation: {
        oneOf: [
          { type: 'null' },
          object(['staff', 'evaluatedAt'], { staff: { type: 'array', items: schema('KpiStaffEvaluation') }, evaluatedAt: timestamp }),
        ],
      },
      revisions: {
        type: 'array',
        items: object(['metric', 'scope', 'oldValue', 'newValue', 'actor', 'reason', 'at'], {
          metric: { type: 'string' },
          scope: { type: 'string' },
          oldValue: nullable('number'),
          newValue: { type: 'number' },
          actor: { type: 'string' },
          reason: { type: 'string' },
          at: timestamp,
        }),
      },
    },
  ),
  KpiPeriodStart: StartPeriodBody,
  KpiTargetRevision: ReviseTargetBody,
  KpiTargets: {
    type: 'object',
    description: 'By metric id: `{target, channels?, reps?, unallocated?}`.',
    additionalProperties: { type: 'object', required: ['target'], properties: { target: { type: 'number' } } },
  },
  // Customers (CRM) and complaints.
};

/** `GET /kpi/periods`. */
export const KpiPeriodsQuery = Type.Object({ plan: Type.Optional(Type.String({ description: 'Only periods of this KpiPlan.' })) });

export const paths: Record<string, PathItem> = {
  '/api/v1/kpi/periods': {
    get: apiOperation({
      operationId: 'listKpiPeriods',
      tags: ['kpi'],
      permission: 'kpi.read',
      summary: 'List KPI periods, newest first',
      description:
        "Scope `own` without `kpi.manage` sees the totals and its own row only: other staff members' figures, evaluations and rep target revisions are left out.",
      query: KpiPeriodsQuery,
      responses: {
        200: answer(
          'The periods with targets vs actuals.',
          object(['periods'], { periods: { type: 'array', items: schema('KpiPeriod') } }),
        ),
      },
    }),
    post: apiOperation({
      operationId: 'startKpiPeriod',
      tags: ['kpi'],
      permission: ['kpi.read', 'kpi.manage'],
      bodyIsJson: true,
      summary: 'Start (or backfill) a KPI period',
      description:
        'Starts the workflow `kpi:<plan>:<period>` on the active plan: the current period by default, or a past one (a backfill, evaluated at once). Starting a period twice is a no-op (200, `created: false`).',
      requestBody: jsonBody(schema('KpiPeriodStart')),
      responses: {
        201: answer(
          'Started.',
          object(['id', 'workflowId', 'created'], { id: { type: 'string' }, workflowId: { type: 'string' }, created: { type: 'boolean' } }),
        ),
        200: answer(
          'Already started.',
          object(['id', 'workflowId', 'created'], { id: { type: 'string' }, workflowId: { type: 'string' }, created: { type: 'boolean' } }),
        ),
        409: failure('No KpiPlan is active (code `no_active_plan`).'),
        422: failure('The body is invalid, the period key is not one of the plan, or the period has not started (`details.fields`).'),
      },
    }),
  },
  '/api/v1/kpi/periods/current': {
    get: apiOperation({
      operationId: 'getCurrentKpiPeriod',
      tags: ['kpi'],
      permission: 'kpi.read',
      summary: 'The running period of the active plan',
      description:
        "Scope `own` without `kpi.manage` sees the totals and its own row only: other staff members' figures, evaluations and rep target revisions are left out.",
      responses: {
        200: answer('The period.', schema('KpiPeriod')),
        404: failure('The current period has not started yet.'),
        409: failure('No KpiPlan is active.'),
      },
    }),
  },
  '/api/v1/kpi/periods/{id}': {
    get: apiOperation({
      operationId: 'getKpiPeriod',
      tags: ['kpi'],
      permission: 'kpi.read',
      summary: 'Targets vs actuals per metric, channel, staff and courier, with pacing, alerts, revisions and the evaluation',
      description:
        "Scope `own` without `kpi.manage` sees the totals and its own row only: other staff members' figures, evaluations and rep target revisions are left out.",
      parameters: [pathParam('id', 'Period id `<plan>:<period>`, e.g. `shop-kpi:2026-01`.')],
      responses: { 200: answer('The period.', schema('KpiPeriod')), 404: failure('No such period.') },
    }),
  },
  '/api/v1/kpi/periods/{id}/targets': {
    post: apiOperation({
      operationId: 'reviseKpiTarget',
      tags: ['kpi'],
      permission: ['kpi.read', 'kpi.manage'],
      bodyIsJson: true,
      summary: 'Revise a target mid-period',
      description:
        "Sent to the period's workflow as an Update and recorded with who and why. A revenue total change re-splits channels and reps in proportion; `channel:<id>` changes one channel (the total follows); `rep:<staffId>` one rep.",
      parameters: [pathParam('id', 'Period id.')],
      requestBody: jsonBody(schema('KpiTargetRevision')),
      responses: {
        200: answer(
          'The targets after the revision.',
          object(['id', 'targets'], { id: { type: 'string' }, targets: schema('KpiTargets') }),
        ),
        404: failure('No such period.'),
        409: failure('The period is closed.'),
        422: failure('The body is invalid, or the metric/scope is not one of the period (`details.fields`).'),
      },
    }),
  },
  '/api/v1/kpi/periods/{id}/export.csv': {
    get: apiOperation({
      operationId: 'exportKpiPeriod',
      tags: ['kpi'],
      permission: 'kpi.read',
      summary: 'The period as CSV (UTF-8 with BOM)',
      description:
        "Scope `own` without `kpi.manage` sees the totals and its own row only: other staff members' figures, evaluations and rep target revisions are left out.",
      parameters: [pathParam('id', 'Period id.')],
      responses: {
        200: {
          description: 'One line per figure (`section,metric,breakdown,key,target,actual,score,grade`).',
          content: { 'text/csv': { schema: { type: 'string' } } },
        },
        404: failure('No such period.'),
      },
    }),
  },
  '/api/v1/kpi/staff/{id}': {
    get: apiOperation({
      operationId: 'getStaffKpi',
      tags: ['kpi'],
      permission: 'kpi.read',
      scope: {
        record: 'staff',
        kind: 'record',
        who: 'self',
        denied: 403,
        unless: 'kpi.manage',
        description: "Without `kpi.manage`, only the caller's own id; anyone else's answers 403.",
      },
      summary: "A staff member's figures in the latest periods",
      description: "Staff see their own figures; `kpi.manage` sees everyone's.",
      parameters: [pathParam('id', 'Staff id.')],
      responses: {
        200: answer(
          'Per period: personal targets vs actuals, and the evaluation once closed.',
          object(['staffId', 'periods'], {
            staffId: { type: 'string' },
            periods: {
              type: 'array',
              items: object(['period', 'status', 'startsAt', 'endsAt', 'metrics', 'evaluation'], {
                period: { type: 'string' },
                status: { type: 'string' },
                startsAt: timestamp,
                endsAt: timestamp,
                metrics: {
                  type: 'array',
                  items: object(['metric', 'title', 'target', 'actual'], {
                    metric: { type: 'string' },
                    title: { type: 'string' },
                    type: { type: 'string' },
                    target: nullable('number'),
                    actual: nullable('number'),
                    detail: { type: 'object', additionalProperties: { type: 'number' } },
                  }),
                },
                evaluation: { oneOf: [{ type: 'null' }, schema('KpiStaffEvaluation')] },
              }),
            },
          }),
        ),
        403: failure('Only your own figures without `kpi.manage`.'),
      },
    }),
  },
};

export const contract: DomainContract = {
  tags: [{ name: 'kpi', description: 'KPI periods: targets, actuals, pacing, evaluation.' }],
  schemas,
  paths,
};
