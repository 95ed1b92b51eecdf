/**
 * Motivation: commission statements (payouts) and leaderboards of a KPI period, computed when
 * asked from the same SQL as the revenue KPI (delivered minus returned, credited to the rep who
 * closed the order), the period's targets (rep allocation and revisions) and the plan's
 * commission rules. The arithmetic is definitions/kpi/payout.ts.
 */
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { revenueByChannelAndRep, type RevenueRow } from '../../db/kpi/queries';
import { kpiPeriods, staff } from '../../db/schema';
import { periodContaining } from '../../definitions/kpi/period';
import { bonusTargetOf, commissionOf, ruleFor, type CommissionResult, type CreditedRevenue } from '../../definitions/kpi/payout';
import type { CompiledCommissionRule, CompiledKpiPlan } from '../../definitions/kpi/types';
import { ownEntry } from '../../definitions/rules/own';
import type { KpiTargets } from '../../definitions/kpi/model';
import type { DefinitionsStore } from '../shop/definitions';
import type { ShopCache } from '../shop/shop-cache';
import { HttpError, notFound } from '../http/errors';
import { toCsvText } from '../http/csv';

type PeriodRow = typeof kpiPeriods.$inferSelect;
interface Member {
  id: string;
  name: string;
  roles: string[];
  channels: string[];
  team: string | null;
  active: boolean;
}

/** The period a statement or leaderboard is of. */
export interface PayoutPeriod {
  id: string;
  plan: string;
  period: string;
  startsAt: string;
  endsAt: string;
  /** `running`: figures can still change; `closed`: final. */
  status: string;
}

/** One person's commission statement for a period. */
export interface PayoutStatement extends Omit<CommissionResult, 'lines'> {
  period: PayoutPeriod;
  staffId: string;
  name: string;
  team: string | null;
  /** The role whose rule pays them; null when none of their roles earns commission. */
  role: string | null;
  ruleTitle: string | null;
  revenue: CreditedRevenue;
  tiers: CommissionResult['lines'];
}

/** Who reads: `ownStaffId` set means amounts of other people are left out. */
export interface PayoutViewer {
  ownStaffId?: string;
}

const zero = (): CreditedRevenue => ({ delivered: 0, deliveredValue: 0, returned: 0, returnedValue: 0 });
const addTo = (into: CreditedRevenue, r: RevenueRow) => {
  into.delivered += r.delivered;
  into.deliveredValue += r.deliveredValue;
  into.returned += r.returned;
  into.returnedValue += r.returnedValue;
};
const netOf = (r: CreditedRevenue) => r.deliveredValue - r.returnedValue;

export function createPayoutsService(deps: { db: Db; definitions: DefinitionsStore; shop: ShopCache }) {
  const { db } = deps;

  async function periodRow(id: string): Promise<PeriodRow> {
    const [row] = await db.select().from(kpiPeriods).where(eq(kpiPeriods.id, id));
    if (!row) throw notFound(`no KPI period "${id}"`);
    return row;
  }

  /** Everything one period's figures are made of, read once. */
  async function facts(row: PeriodRow) {
    const plan = row.planSnapshot as unknown as CompiledKpiPlan;
    // A period started before the plan had commission rules is paid by the plan's active rules.
    const rules: CompiledCommissionRule[] =
      plan.commission ??
      ((await deps.definitions.activeNamed<CompiledKpiPlan>(row.plan, 'KpiPlan'))?.compiled.commission as
        CompiledCommissionRule[] | undefined) ??
      [];
    const targets = row.targets as KpiTargets;
    const revenueMetric = plan.metrics.find((m) => m.type === 'revenue');
    const [rows, members] = await Promise.all([
      revenueByChannelAndRep(db, row.startsAt.getTime(), row.endsAt.getTime(), plan.creditRole),
      db
        .select({ id: staff.id, name: staff.name, roles: staff.roles, channels: staff.channels, team: staff.team, active: staff.active })
        .from(staff),
    ]);
    const byRep = new Map<string, CreditedRevenue>();
    for (const r of rows) {
      if (!r.rep) continue;
      const into = byRep.get(r.rep) ?? zero();
      addTo(into, r);
      byRep.set(r.rep, into);
    }
    const repTarget = (metric: string | undefined, staffId: string) =>
      metric === undefined ? undefined : ownEntry(ownEntry(targets, metric)?.reps, staffId);
    const period: PayoutPeriod = {
      id: row.id,
      plan: row.plan,
      period: row.periodKey,
      startsAt: row.startsAt.toISOString(),
      endsAt: row.endsAt.toISOString(),
      status: row.status,
    };
    return { plan, rules, targets, revenueMetric, rows, members: members as Member[], byRep, repTarget, period };
  }
  type Facts = Awaited<ReturnType<typeof facts>>;

  function statementOf(f: Facts, member: Member): PayoutStatement {
    const revenue = f.byRep.get(member.id) ?? zero();
    const rule = ruleFor(f.rules, member.roles);
    const result: CommissionResult = rule
      ? commissionOf(
          rule,
          revenue,
          bonusTargetOf(rule, (metric) => f.repTarget(metric, member.id)),
        )
      : {
          net: netOf(revenue),
          base: Math.max(0, netOf(revenue)),
          tiering: 'marginal',
          lines: [],
          commission: 0,
          target: null,
          targetReached: false,
          bonus: 0,
          total: 0,
        };
    const { lines, ...figures } = result;
    return {
      period: f.period,
      staffId: member.id,
      name: member.name,
      team: member.team,
      role: rule?.role ?? null,
      ruleTitle: rule?.title ?? null,
      revenue,
      ...figures,
      tiers: lines,
    };
  }

  /** People a period pays: holders of a rule's role who are active or were credited with revenue in it. */
  function payees(f: Facts): Member[] {
    return f.members
      .filter((m) => ruleFor(f.rules, m.roles) && (m.active || f.byRep.has(m.id)))
      .sort((a, b) => a.name.localeCompare(b.name, 'vi') || a.id.localeCompare(b.id));
  }

  async function payouts(periodId: string) {
    const f = await facts(await periodRow(periodId));
    const statements = payees(f).map((m) => statementOf(f, m));
    const sum = (k: 'commission' | 'bonus' | 'total') => statements.reduce((a, s) => a + s[k], 0);
    return {
      period: f.period,
      rules: f.rules,
      statements,
      totals: { people: statements.length, commission: sum('commission'), bonus: sum('bonus'), total: sum('total') },
    };
  }

  /** The period of the active plan that contains now (its row must exist). */
  async function currentPeriodId(): Promise<string> {
    const active = await deps.definitions.activeOfKind<CompiledKpiPlan>('KpiPlan');
    if (!active) throw new HttpError(409, 'no_active_plan', 'no KpiPlan is active: add definitions/processes/kpi.yaml');
    const plan = active.compiled;
    return `${plan.name}:${periodContaining(plan.period, plan.utcOffsetMinutes, Date.now()).key}`;
  }

  return {
    payouts,

    /** One person's statement in a period (the current period of the active plan by default). */
    async statement(staffId: string, periodId?: string): Promise<PayoutStatement> {
      const f = await facts(await periodRow(periodId ?? (await currentPeriodId())));
      const member = f.members.find((m) => m.id === staffId);
      if (!member) throw notFound(`no staff member "${staffId}"`);
      return statementOf(f, member);
    },

    /** One person's statements in the newest periods (12 at most), newest first. */
    async statements(staffId: string): Promise<PayoutStatement[]> {
      const rows = await db.select().from(kpiPeriods).orderBy(desc(kpiPeriods.startsAt)).limit(12);
      const out: PayoutStatement[] = [];
      for (const row of rows) {
        const f = await facts(row);
        const member = f.members.find((m) => m.id === staffId);
        if (member && f.rules.length) out.push(statementOf(f, member));
      }
      return out;
    },

    /**
     * Ranked net revenue per team (staff `team`) or per channel. Every group shows its total and
     * target; a viewer of scope own sees every rank and name but only their own amounts.
     */
    async leaderboard(periodId: string, by: 'team' | 'channel', viewer: PayoutViewer = {}) {
      const f = await facts(await periodRow(periodId));
      const shop = await deps.shop.get();
      const creditRole = f.plan.creditRole;
      const metricTargets = f.revenueMetric ? ownEntry(f.targets, f.revenueMetric.id) : undefined;
      const me = viewer.ownStaffId;
      const shown = (id: string, n: number | null) => (me === undefined || me === id ? n : null);
      const ranked = (rows: Array<{ member: Member; net: number; target: number | null }>) =>
        rows
          .sort((a, b) => b.net - a.net || a.member.name.localeCompare(b.member.name, 'vi'))
          .map((r, i) => ({
            rank: i + 1,
            staffId: r.member.id,
            name: r.member.name,
            me: r.member.id === me,
            net: shown(r.member.id, r.net),
            target: shown(r.member.id, r.target),
            attainment: shown(r.member.id, r.target && r.target > 0 ? Math.round((r.net / r.target) * 1000) / 10 : null),
          }));
      const inBoard = (m: Member) => m.roles.includes(creditRole) || ruleFor(f.rules, m.roles) !== null;
      const board = f.members.filter((m) => (m.active && inBoard(m)) || f.byRep.has(m.id));
      if (by === 'team') {
        const teams = new Map<string | null, Member[]>();
        for (const m of board) teams.set(m.team, [...(teams.get(m.team) ?? []), m]);
        const groups = [...teams.entries()].map(([team, members]) => {
          const rows = members.map((member) => ({
            member,
            net: netOf(f.byRep.get(member.id) ?? zero()),
            target: ownEntry(metricTargets?.reps, member.id) ?? null,
          }));
          const withTargets = rows.filter((r) => r.target !== null);
          return {
            key: team,
            title: team,
            net: rows.reduce((a, r) => a + r.net, 0),
            target: withTargets.length ? withTargets.reduce((a, r) => a + r.target!, 0) : null,
            members: ranked(rows),
          };
        });
        groups.sort((a, b) => b.net - a.net || (a.key ?? '\uffff').localeCompare(b.key ?? '\uffff', 'vi'));
        return { period: f.period, by, groups };
      }
      const channelIds = new Set<string>([
        ...Object.keys(metricTargets?.channels ?? {}),
        ...f.rows.map((r) => r.channel).filter((c): c is string => c !== null),
        ...board.flatMap((m) => m.channels),
      ]);
      const groups = [...channelIds].map((channel) => {
        const inChannel = f.rows.filter((r) => r.channel === channel);
        const perRep = new Map<string, number>();
        for (const r of inChannel) if (r.rep) perRep.set(r.rep, (perRep.get(r.rep) ?? 0) + r.revenue);
        const members = board.filter((m) => perRep.has(m.id) || (m.active && m.roles.includes(creditRole) && m.channels.includes(channel)));
        return {
          key: channel,
          title: ownEntry(shop.channels, channel)?.title ?? channel,
          net: inChannel.reduce((a, r) => a + r.revenue, 0),
          target: ownEntry(metricTargets?.channels, channel) ?? null,
          members: ranked(members.map((member) => ({ member, net: perRep.get(member.id) ?? 0, target: null }))),
        };
      });
      groups.sort((a, b) => b.net - a.net || a.title.localeCompare(b.title, 'vi'));
      return { period: f.period, by, groups };
    },

    /** Every statement of the period as CSV for accounting (UTF-8 with BOM; figures as numbers, text neutralised). */
    async csv(periodId: string): Promise<string> {
      const { period, statements } = await payouts(periodId);
      const header = [
        'period',
        'staff_id',
        'name',
        'team',
        'role',
        'delivered_orders',
        'delivered_value',
        'returned_orders',
        'returned_value',
        'net_revenue',
        'commission',
        'target',
        'target_reached',
        'bonus',
        'total',
        'status',
      ];
      const lines = statements.map((s) => [
        period.id,
        s.staffId,
        s.name,
        s.team ?? '',
        s.role ?? '',
        s.revenue.delivered,
        s.revenue.deliveredValue,
        s.revenue.returned,
        s.revenue.returnedValue,
        s.net,
        s.commission,
        s.target ?? '',
        s.targetReached ? 'yes' : 'no',
        s.bonus,
        s.total,
        period.status,
      ]);
      return toCsvText([header, ...lines]);
    },
  };
}

export type PayoutsService = ReturnType<typeof createPayoutsService>;
