/** Operations reports: staffing per role and shift for a forecast volume, and couriers side by side. */
import { Type } from '@sinclair/typebox';
import {
  answer,
  apiOperation,
  nullable,
  object,
  schema,
  withDefault,
  type DomainContract,
  type JsonSchema,
  type PathItem,
} from '../http/contract';
import { rangeQuery } from '../books/contract/shared';

const num: JsonSchema = { type: 'number' };
const int: JsonSchema = { type: 'integer' };
const str: JsonSchema = { type: 'string' };

export const StaffingQuery = Type.Object({
  volume: withDefault(
    Type.String({
      minLength: 1,
      maxLength: 20,
      description:
        'The forecast: a multiple of the measured orders per working day (`3x`, `1.5x`), or orders per day (`450`). Default `1x`.',
      examples: ['3x', '450'],
    }),
    '1x',
  ),
  weeks: withDefault(Type.Integer({ minimum: 1, maximum: 26, description: 'How many weeks of history to measure (whole local days).' }), 4),
  to: Type.Optional(Type.String({ format: 'date', description: 'Last local day of the history, inclusive; default yesterday.' })),
  utilisation: withDefault(
    Type.Number({ minimum: 0.1, maximum: 1, description: 'Part of a shift spent on tasks (breaks, walking, talking aside).' }),
    0.85,
  ),
});

export const CouriersReportQuery = Type.Object(rangeQuery);

const stageBasis = object(['stage', 'title', 'tasks', 'tasksPerOrder', 'medianMinutes', 'minutesPerOrder'], {
  stage: str,
  title: { type: 'string', description: "The stage's task title as staff saw it." },
  tasks: { ...int, description: 'Finished tasks of this role and stage on orders of the window.' },
  tasksPerOrder: { ...num, description: 'tasks ÷ orders of the window (4 decimals).' },
  medianMinutes: { ...num, description: 'Median minutes from a task opening to its completion (2 decimals).' },
  minutesPerOrder: { ...num, description: 'tasksPerOrder × medianMinutes.' },
});

export const schemas: Record<string, JsonSchema> = {
  StaffingReport: object(
    ['window', 'volume', 'utilisation', 'measured', 'roles', 'shifts', 'formula'],
    {
      window: object(['from', 'to', 'weeks', 'workingDays'], {
        from: { type: 'string', format: 'date-time' },
        to: { type: 'string', format: 'date-time' },
        weeks: int,
        workingDays: { ...int, description: 'Days of the window with working hours in shop.yaml, less its days off.' },
      }),
      volume: object(['asked', 'ordersPerDay', 'multiplier'], {
        asked: str,
        ordersPerDay: {
          ...num,
          description: 'The forecast orders per working day (the multiple × measured.ordersPerWorkingDay, or as asked).',
        },
        multiplier: nullable('number'),
      }),
      utilisation: num,
      measured: object(['orders', 'ordersPerWorkingDay', 'tasks', 'ordersByHour'], {
        orders: { ...int, description: 'Orders that arrived in the window.' },
        ordersPerWorkingDay: num,
        tasks: int,
        ordersByHour: { type: 'array', items: int, minItems: 24, maxItems: 24, description: 'Orders by local hour of arrival, 0–23.' },
      }),
      message: { type: 'string', description: 'Present when there is no history to recommend from: why, in Vietnamese.' },
      roles: {
        type: 'array',
        items: object(['role', 'title', 'tasks', 'minutesPerOrder', 'ordersPerPersonHour', 'peakStaffMeasured', 'stages'], {
          role: str,
          title: str,
          tasks: int,
          minutesPerOrder: { ...num, description: 'Σ of its stages’ minutesPerOrder.' },
          ordersPerPersonHour: {
            ...nullable('number'),
            description: '60 ÷ minutesPerOrder: orders one person of the role handles per hour.',
          },
          peakStaffMeasured: { ...int, description: 'Most people of the role who finished tasks in one clock hour of the window.' },
          stages: { type: 'array', items: stageBasis },
        }),
      },
      shifts: {
        type: 'array',
        items: object(['days', 'from', 'to', 'hours', 'orderShare', 'orders', 'roles'], {
          days: { type: 'array', items: { type: 'string', enum: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] } },
          from: { type: 'string', examples: ['08:00'] },
          to: { type: 'string', examples: ['17:30'] },
          hours: num,
          orderShare: {
            ...num,
            description: "Of a day's orders, the part this shift handles: those arriving before its end and after the previous shift's.",
          },
          orders: num,
          roles: {
            type: 'array',
            items: object(['role', 'title', 'workloadHours', 'headcount'], {
              role: str,
              title: str,
              workloadHours: { ...num, description: 'orders × minutesPerOrder ÷ 60.' },
              headcount: { ...int, description: 'ceil(workloadHours ÷ (hours × utilisation)).' },
            }),
          },
        }),
      },
      formula: str,
    },
    'Recommended headcount per role and shift, with the measured basis.',
  ),
  CourierPerformance: object(
    [
      'courier',
      'title',
      'shipments',
      'delivered',
      'withSla',
      'onTime',
      'onTimeRate',
      'withPromise',
      'onPromise',
      'promiseRate',
      'returned',
      'returnRate',
      'medianDeliveryHours',
      'codDelivered',
      'codRemitted',
      'averageCodDays',
      'medianCodDays',
    ],
    {
      courier: str,
      title: str,
      shipments: { ...int, description: 'Parcels handed over in the range, not cancelled (the return-rate KPI’s cohort).' },
      delivered: int,
      withSla: { ...int, description: 'Delivered parcels whose order process has a courier stage (its `deliverySla`).' },
      onTime: { ...int, description: 'Delivered within the deliverySla from hand-over, on the stage’s clock.' },
      onTimeRate: { ...nullable('number'), description: 'onTime ÷ withSla (4 decimals).' },
      withPromise: { ...int, description: 'Delivered parcels for which the courier gave an expected delivery time.' },
      onPromise: int,
      promiseRate: nullable('number'),
      returned: { ...int, description: 'Of the shipments, returning or returned.' },
      returnRate: { ...nullable('number'), description: 'returned ÷ shipments.' },
      medianDeliveryHours: nullable('number'),
      codDelivered: { ...int, description: 'Delivered parcels with COD.' },
      codRemitted: { ...int, description: 'Of them, remitted by the courier (a matched remittance line).' },
      averageCodDays: { ...nullable('number'), description: 'Days from delivery to remittance, mean of the remitted (2 decimals).' },
      medianCodDays: nullable('number'),
    },
  ),
};

export const paths: Record<string, PathItem> = {
  '/api/v1/reports/staffing': {
    get: apiOperation({
      operationId: 'getStaffingReport',
      tags: ['reports'],
      permission: 'reports.read',
      summary: 'Recommended headcount per role and shift for a forecast volume',
      description:
        "Measured from the last `weeks` of history (orders that arrived, their finished tasks: tasks per order and median minutes per task per role and stage), the shifts from shop.yaml's working hours. headcount = ceil(orders × orderShare × minutesPerOrder ÷ 60 ÷ (shift hours × utilisation)). Without history the answer carries `message` and no shifts.",
      query: StaffingQuery,
      responses: { 200: answer('The report.', schema('StaffingReport')) },
    }),
  },
  '/api/v1/reports/couriers': {
    get: apiOperation({
      operationId: 'getCourierPerformance',
      tags: ['reports'],
      permission: 'reports.read',
      summary: 'Couriers side by side: on-time rate, return rate, COD days',
      description:
        "Parcels handed over in the local days [from, to]. On time: delivered within the order process's courier-stage `deliverySla` from hand-over (as the workflow escalates), and separately within the courier's own promised time. Return rate as the return-rate KPI counts it. COD days: from the delivery to the remittance (the line's transfer time, else the remittance's import).",
      query: CouriersReportQuery,
      responses: {
        200: answer(
          'One row per courier.',
          object(['from', 'to', 'couriers'], {
            from: { type: 'string', format: 'date' },
            to: { type: 'string', format: 'date' },
            couriers: { type: 'array', items: schema('CourierPerformance') },
          }),
        ),
      },
    }),
  },
};

export const contract: DomainContract = { tags: [], schemas, paths };
