/**
 * Motivation: commission statements (payouts) and leaderboards of KPI periods.
 */
import { Type } from '@sinclair/typebox';
import {
  answer,
  apiOperation,
  csv,
  failure,
  nullable,
  object,
  pathParam,
  schema,
  stringEnum,
  timestamp,
  withDefault,
  type DomainContract,
  type JsonSchema,
  type PathItem,
} from '../http/contract';

export const LeaderboardQuery = Type.Object({
  by: withDefault(
    stringEnum(['team', 'channel'] as const, { description: 'Group by the staff team (default) or by sales channel.' }),
    'team',
  ),
});
export const StaffPayoutsQuery = Type.Object({
  period: Type.Optional(
    Type.String({ minLength: 1, maxLength: 120, description: 'Only this period (`<plan>:<period>`); default the newest 12.' }),
  ),
});
export const MyPayoutQuery = Type.Object({
  period: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 120,
      description: 'Period id `<plan>:<period>`; default the current period of the active plan.',
    }),
  ),
});

const money = (description: string): JsonSchema => ({ type: 'number', description });
const periodRef = object(['id', 'plan', 'period', 'startsAt', 'endsAt', 'status'], {
  id: { type: 'string', examples: ['shop-kpi:2026-01'] },
  plan: { type: 'string' },
  period: { type: 'string', examples: ['2026-01'] },
  startsAt: timestamp,
  endsAt: timestamp,
  status: { type: 'string', enum: ['running', 'closed'], description: '`running`: figures can still change; `closed`: final.' },
});

export const schemas: Record<string, JsonSchema> = {
  PayoutPeriod: periodRef,
  PayoutStatement: object(
    [
      'period',
      'staffId',
      'name',
      'team',
      'role',
      'ruleTitle',
      'revenue',
      'net',
      'base',
      'tiering',
      'tiers',
      'commission',
      'target',
      'targetReached',
      'bonus',
      'total',
    ],
    {
      period: schema('PayoutPeriod'),
      staffId: { type: 'string' },
      name: { type: 'string' },
      team: nullable('string'),
      role: nullable('string', { description: 'The role whose commission rule pays them; null: none of their roles earns commission.' }),
      ruleTitle: nullable('string'),
      revenue: object(['delivered', 'deliveredValue', 'returned', 'returnedValue'], {
        delivered: { type: 'integer', description: 'Orders delivered in the period credited to them.' },
        deliveredValue: money('VND delivered.'),
        returned: { type: 'integer', description: 'Delivered orders of theirs that came back in the period.' },
        returnedValue: money('VND taken back by those returns (the returned part of a partial return).'),
      }),
      net: money('Delivered minus returned VND (may be negative).'),
      base: money('What commission is computed on: net, at least 0.'),
      tiering: { type: 'string', enum: ['marginal', 'whole'] },
      tiers: {
        type: 'array',
        items: object(['from', 'to', 'rate', 'revenue', 'commission'], {
          from: money('Bracket start (VND).'),
          to: nullable('number', { description: 'Bracket end, exclusive; null for the last.' }),
          rate: { type: 'number', description: 'Share 0…1.' },
          revenue: money('The part of the base paid at this rate.'),
          commission: money('Rounded to whole đồng.'),
        }),
      },
      commission: money('Sum of the brackets.'),
      target: nullable('number', { description: 'Their target for the bonus (VND); null when they have none.' }),
      targetReached: { type: 'boolean' },
      bonus: money('Paid when net reaches the target.'),
      total: money('commission + bonus.'),
    },
    "One person's commission statement for a period.",
  ),
  Payouts: object(['period', 'rules', 'statements', 'totals'], {
    period: schema('PayoutPeriod'),
    rules: { type: 'array', items: { type: 'object' }, description: "The plan's compiled commission rules." },
    statements: { type: 'array', items: schema('PayoutStatement') },
    totals: object(['people', 'commission', 'bonus', 'total'], {
      people: { type: 'integer' },
      commission: { type: 'number' },
      bonus: { type: 'number' },
      total: { type: 'number' },
    }),
  }),
  Leaderboard: object(['period', 'by', 'groups'], {
    period: schema('PayoutPeriod'),
    by: { type: 'string', enum: ['team', 'channel'] },
    groups: {
      type: 'array',
      items: object(['key', 'title', 'net', 'target', 'members'], {
        key: nullable('string', { description: 'Team name or channel id; null: people without a team.' }),
        title: nullable('string', { description: "The channel's title, or the team name." }),
        net: money("The group's net revenue (a channel's includes orders nobody is credited with)."),
        target: nullable('number'),
        members: {
          type: 'array',
          items: object(['rank', 'staffId', 'name', 'me', 'net', 'target', 'attainment'], {
            rank: { type: 'integer', description: '1 = most net revenue.' },
            staffId: { type: 'string' },
            name: { type: 'string' },
            me: { type: 'boolean', description: 'The caller.' },
            net: nullable('number', { description: "null: another person's amount, hidden from a caller of scope own." }),
            target: nullable('number'),
            attainment: nullable('number', { description: 'Percent of their target reached.' }),
          }),
        },
      }),
    },
  }),
};

const periodId = pathParam('id', 'Period id `<plan>:<period>`, e.g. `shop-kpi:2026-01`.');
const payoutsDescription =
  "Commission per person from the revenue credited to them in the period (delivered minus returned, as the revenue KPI counts it) under the plan's `commission` rules. While the period runs the figures are provisional.";

export const paths: Record<string, PathItem> = {
  '/api/v1/kpi/periods/{id}/leaderboard': {
    get: apiOperation({
      operationId: 'getKpiLeaderboard',
      tags: ['kpi'],
      permission: 'kpi.read',
      summary: 'Net revenue ranked per team or per channel',
      description:
        "Every group's total and target, and its people ranked by net revenue. A caller of scope `own` without `kpi.manage` sees every rank and name but only their own amounts (others' are null). Commission never shows here.",
      parameters: [periodId],
      query: LeaderboardQuery,
      responses: { 200: answer('The leaderboard.', schema('Leaderboard')), 404: failure('No such period.') },
    }),
  },
  '/api/v1/kpi/periods/{id}/payouts': {
    get: apiOperation({
      operationId: 'listKpiPayouts',
      tags: ['kpi'],
      permission: 'kpi.read',
      anyPermission: ['kpi.manage', 'books.manage'],
      summary: "Everyone's commission statement for the period (JSON, or CSV with Accept: text/csv)",
      description: `${payoutsDescription} With \`Accept: text/csv\` the answer is the CSV of \`/payouts.csv\`.`,
      parameters: [periodId],
      responses: {
        200: {
          description: 'The statements and totals (or CSV when asked).',
          content: { 'application/json': { schema: schema('Payouts') }, 'text/csv': { schema: { type: 'string' } } },
        },
        404: failure('No such period.'),
      },
    }),
  },
  '/api/v1/kpi/periods/{id}/payouts.csv': {
    get: apiOperation({
      operationId: 'exportKpiPayouts',
      tags: ['kpi'],
      permission: 'kpi.read',
      anyPermission: ['kpi.manage', 'books.manage'],
      summary: 'The payout statements as CSV for accounting',
      description:
        'Columns `period,staff_id,name,team,role,delivered_orders,delivered_value,returned_orders,returned_value,net_revenue,commission,target,target_reached,bonus,total,status`; figures as numbers, text cells neutralised against formulas.',
      parameters: [periodId],
      responses: { 200: csv('One line per person.'), 404: failure('No such period.') },
    }),
  },
  '/api/v1/kpi/staff/{id}/payouts': {
    get: apiOperation({
      operationId: 'getStaffPayouts',
      tags: ['kpi'],
      permission: 'kpi.read',
      scope: {
        record: 'staff',
        kind: 'record',
        who: 'self',
        denied: 403,
        unless: 'kpi.manage',
        description: "Without `kpi.manage`, only the caller's own statements; anyone else's answer 403.",
      },
      summary: "A person's commission statements in the latest periods",
      description: payoutsDescription,
      parameters: [pathParam('id', 'Staff id.')],
      query: StaffPayoutsQuery,
      responses: {
        200: answer(
          'Newest first; periods of plans without commission rules are left out.',
          object(['staffId', 'statements'], {
            staffId: { type: 'string' },
            statements: { type: 'array', items: schema('PayoutStatement') },
          }),
        ),
        404: failure('No such staff member, or no such period.'),
      },
    }),
  },
  '/api/v1/me/payout': {
    get: apiOperation({
      operationId: 'getMyPayout',
      tags: ['kpi'],
      summary: "The caller's own commission statement",
      description: `${payoutsDescription} Any staff member's token; only ever the caller's own statement.`,
      query: MyPayoutQuery,
      responses: {
        200: answer('The statement.', schema('PayoutStatement')),
        404: failure('No such period, or the current period has not started.'),
        409: failure('No KpiPlan is active (code `no_active_plan`).'),
      },
    }),
  },
};

export const contract: DomainContract = { tags: [], schemas, paths };
