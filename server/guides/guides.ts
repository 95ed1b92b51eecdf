/**
 * Sales scripts on tasks: which guide (SalesGuide script + checklist) a task shows, the check
 * that its required items are ticked before it is finished as closed, the record of which script
 * version each finished task was worked with, and the close rate of each version.
 */
import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { customers, orders, taskGuides } from '../../db/schema';
import { chooseGuide, missingRequired } from '../../definitions/guides/choose';
import type { CompiledGuide, CompiledSalesGuide } from '../../definitions/guides/types';
import type { DefinitionsStore } from '../shop/definitions';
import type { ShopCache } from '../shop/shop-cache';
import type { TaskRow } from '../tasks/tasks';
import { unprocessable } from '../http/errors';

/** The guide as a task shows it (`guide` of GET /tasks/{id}). */
export interface GuideView {
  script: { id: string; version: number; title: string; text: string };
  checklist: Array<{ id: string; text: string; required: boolean }>;
  /** Which SalesGuide definition version it came from. */
  definition: { name: string; version: number };
  /** What chose it. */
  for: { stage: string; process: string | null; channel: string | null; segment: string | null };
}

interface Chosen {
  guide: CompiledGuide;
  definition: { name: string; version: number };
  context: GuideView['for'];
  orderId: string;
}

export function createGuidesService(deps: { db: Db; definitions: DefinitionsStore; shop: ShopCache }) {
  /** The guide a task gets now: the active SalesGuide's first match for its stage, process, channel and segment. */
  async function choose(task: TaskRow): Promise<Chosen | undefined> {
    // Follow-up tasks an escalation opens (same stage) are not the step the script is for.
    if (task.subjectType !== 'order' || task.parentTaskId) return undefined;
    const active = await deps.definitions.activeOfKind<CompiledSalesGuide>('SalesGuide');
    if (!active) return undefined;
    const [order] = await deps.db
      .select({ channel: orders.channel, process: orders.definitionName, segment: customers.segment })
      .from(orders)
      .leftJoin(customers, eq(customers.id, orders.customerId))
      .where(eq(orders.id, task.subjectId));
    if (!order) return undefined;
    // Not classified yet: the shop's fallback segment (the last one).
    const segment = order.segment ?? (await deps.shop.get()).segments.at(-1)?.id ?? null;
    const context = { stage: task.stage, process: order.process, channel: order.channel, segment };
    const guide = chooseGuide(active.compiled, context);
    return guide && { guide, definition: { name: active.name, version: active.version }, context, orderId: task.subjectId };
  }

  return {
    async forTask(task: TaskRow): Promise<GuideView | null> {
      const chosen = await choose(task);
      if (!chosen) return null;
      const { guide } = chosen;
      return {
        script: { id: guide.id, version: guide.version, title: guide.title, text: guide.script },
        checklist: guide.checklist,
        definition: chosen.definition,
        for: chosen.context,
      };
    },

    /**
     * Before a completion reaches the workflow: ticked items must be the guide's, and finishing
     * with the forward outcome (closed) needs every required item ticked — 422 naming each.
     * Returns what to record once the completion went through.
     */
    async checkCompletion(task: TaskRow, outcome: string, ticked: string[] | undefined): Promise<Chosen | undefined> {
      const chosen = await choose(task);
      const items = ticked ?? [];
      if (!chosen) {
        if (items.length)
          throw unprocessable('việc này không có danh sách kiểm tra (checklist)', {
            fields: [{ field: 'checklist', message: 'this task shows no checklist: send none' }],
          });
        return undefined;
      }
      const known = new Set(chosen.guide.checklist.map((i) => i.id));
      const unknown = items.map((id, i) => ({ id, i })).filter(({ id }) => !known.has(id));
      if (unknown.length)
        throw unprocessable(`không có mục "${unknown[0]!.id}" trong danh sách kiểm tra của kịch bản "${chosen.guide.title}"`, {
          fields: unknown.map(({ id, i }) => ({
            field: `checklist[${i}]`,
            message: `"${id}" is not an item of this checklist — items: ${[...known].join(', ')}`,
          })),
        });
      const forward = task.outcomes[0]?.name === outcome;
      const missing = forward ? missingRequired(chosen.guide, items) : [];
      if (missing.length)
        throw unprocessable(`chưa đánh dấu mục bắt buộc: ${missing.map((m) => `“${m.text}”`).join(', ')}`, {
          fields: missing.map((m) => ({ field: `checklist.${m.id}`, message: `bắt buộc trước khi hoàn thành: ${m.text}` })),
        });
      return chosen;
    },

    /** The task was finished with this guide shown: its script version counts for the report (once per task). */
    async recordUse(task: TaskRow, chosen: Chosen, outcome: string, ticked: string[], actor: string): Promise<void> {
      await deps.db
        .insert(taskGuides)
        .values({
          taskId: task.id,
          orderId: chosen.orderId,
          stage: task.stage,
          process: chosen.context.process,
          channel: chosen.context.channel,
          segment: chosen.context.segment,
          guideDefinition: chosen.definition.name,
          guideDefinitionVersion: chosen.definition.version,
          scriptId: chosen.guide.id,
          scriptVersion: chosen.guide.version,
          scriptTitle: chosen.guide.title,
          outcome,
          forward: task.outcomes[0]?.name === outcome,
          checked: [...new Set(ticked)],
          completedBy: actor,
        })
        .onConflictDoNothing();
    },

    /** Close rate per script version: tasks finished with it, how many closed (forward outcome), the rate. */
    async closeRates(filter: { stage?: string; channel?: string; segment?: string; from?: Date; to?: Date }) {
      const where: SQL[] = [];
      if (filter.stage) where.push(eq(taskGuides.stage, filter.stage));
      if (filter.channel) where.push(eq(taskGuides.channel, filter.channel));
      if (filter.segment) where.push(eq(taskGuides.segment, filter.segment));
      if (filter.from) where.push(gte(taskGuides.completedAt, filter.from));
      if (filter.to) where.push(lt(taskGuides.completedAt, filter.to));
      const rows = await deps.db
        .select({
          script: taskGuides.scriptId,
          version: taskGuides.scriptVersion,
          title: sql<string>`max(${taskGuides.scriptTitle})`,
          stages: sql<string[]>`array_agg(distinct ${taskGuides.stage} order by ${taskGuides.stage})`,
          tasks: sql<number>`count(*)::int`,
          closed: sql<number>`(count(*) filter (where ${taskGuides.forward}))::int`,
        })
        .from(taskGuides)
        .where(where.length ? and(...where) : undefined)
        .groupBy(taskGuides.scriptId, taskGuides.scriptVersion)
        .orderBy(taskGuides.scriptId, taskGuides.scriptVersion);
      return rows.map((r) => ({ ...r, closeRate: r.tasks ? Math.round((r.closed / r.tasks) * 10_000) / 10_000 : 0 }));
    },
  };
}

export type GuidesService = ReturnType<typeof createGuidesService>;
