/**
 * A KPI plan's actual figures for a window, straight from SQL: what the period workflow records on
 * each recompute and what the API shows live for a running period (one reader, so they agree).
 */
import type { Db } from '../client';
import type { CompiledKpiMetric, CompiledKpiPlan } from '../../definitions/kpi/types';
import { actualsFromRows, type KpiActuals } from '../../definitions/kpi/model';
import {
  careCoverage,
  complaintsWithinSla,
  leadsByChannelAndCampaign,
  packedPerStaffDay,
  returnsByCourier,
  revenueByChannelAndRep,
  tasksOnTimeByStaff,
} from './queries';

/**
 * Every figure of a plan for [from, to), straight from SQL. The aggregations are independent, so
 * they run at once, each on its own pool connection (the slowest one sets the time).
 */
export async function computeActuals(db: Db, plan: CompiledKpiPlan, from: number, to: number): Promise<KpiActuals> {
  const has = (...types: string[]) => plan.metrics.some((m) => types.includes(m.type));
  const ofType = (type: string) => plan.metrics.filter((m) => m.type === type);
  const perMetric = async <T>(type: string, query: (m: CompiledKpiMetric) => Promise<T>) =>
    Object.fromEntries(await Promise.all(ofType(type).map(async (m) => [m.id, await query(m)] as const)));
  const [revenue, returns, leads, tasks, packers, complaints, care] = await Promise.all([
    has('revenue') ? revenueByChannelAndRep(db, from, to, plan.creditRole) : [],
    has('returnRate') ? returnsByCourier(db, from, to) : [],
    has('leads', 'costPerLead', 'closeRate', 'newCustomerRevenue') ? leadsByChannelAndCampaign(db, from, to, plan.creditRole) : [],
    perMetric('tasksOnTime', (m) => tasksOnTimeByStaff(db, from, to, m.taskRole ?? m.owner, m.stages)),
    perMetric('ordersPerPackerDay', (m) =>
      packedPerStaffDay(db, from, to, m.taskRole ?? m.owner, m.stages ?? ['pack'], plan.utcOffsetMinutes),
    ),
    has('complaintsOnTime') ? complaintsWithinSla(db, from, to) : [],
    perMetric('careCoverage', (m) => careCoverage(db, from, to, m.segments ?? ['vip', 'loyal'])),
  ]);
  return actualsFromRows(plan, { revenue, returns, leads, tasks, packers, complaints, care });
}
