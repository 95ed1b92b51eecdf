import { Router, type Request } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { can, leadsRole, requirePermission, roleOf, type Principal } from '../http/auth';
import { conflict, forbidden, HttpError, notFound, unprocessable } from '../http/errors';
import type { CompiledShop } from '../../definitions/types';
import type { ShopCache } from '../shop/shop-cache';
import type { StaffStore } from '../staff/staff';
import { toTaskView, type TaskFilter, type TaskRow, type TasksStore } from './tasks';
import { body, queryOf, queryValues } from '../http/contract';
import { CompleteBody, ReassignBody, TasksQuery } from './contract';
import { closeForm, formDataProblems, skusIn } from '../../definitions/tasks/forms';
import { formatPath } from '../../definitions/loading/errors';
import { unknownSkuMessage, type WordsLang } from '../../definitions/rules/field-words';
import { requestLang } from '../http/lang';
import { completeTaskUpdate, TaskRejection, type CompleteTaskResult } from '../../workflows/tasks/tasks';
import { executeUpdateRetried } from '../platform/updates';
import type { PackingStore } from '../packing/packing';
import { requireScanned } from '../packing/routes';
import type { GuidesService } from '../guides/guides';
import { normalizeFormData } from '../../definitions/tasks/widgets';
import type { PrefillService } from './prefill';
import { withComputedFees, type TaskContextService } from './context';

function parseFilter(req: Request): TaskFilter {
  const q = queryValues(req, TasksQuery);
  return {
    status: q.status,
    role: q.role || undefined,
    assignee: q.assignee === 'me' ? req.principal!.staffId : q.assignee || undefined,
    overdue: q.overdue === true,
    subjectId: q.order || undefined,
    limit: q.limit,
    cursor: q.cursor || undefined,
  };
}

/** The staff-facing task API: list, read, claim, complete, reassign. */
export function tasksRouter(deps: {
  tasks: TasksStore;
  staff: StaffStore;
  shop: ShopCache;
  temporal: Client;
  guides?: GuidesService;
  packing?: PackingStore;
  prefill?: PrefillService;
  context?: TaskContextService;
}): Router {
  const router = Router();
  router.use(requirePermission('tasks.read'));

  /** The task, if the caller may see it (404 otherwise: no probing of others' tasks). */
  const visibleTask = async (req: Request): Promise<TaskRow> => {
    const task = await deps.tasks.get(String(req.params.id));
    const p = req.principal!;
    const mine =
      task && (p.scope === 'all' || can(p, '*') || task.assigneeId === p.staffId || (!task.assigneeId && p.roles.includes(task.role)));
    if (!task || !mine) throw notFound(`no task "${req.params.id}"`);
    return task;
  };
  const requireOpen = (task: TaskRow) => {
    if (task.status !== 'open')
      throw conflict(`task ${task.id} is already ${task.status === 'done' ? 'completed' : task.status}`, { status: task.status });
  };
  /** Moving someone else's work needs leading the task's role (shop.yaml `leads`), not only `tasks.reassign`. */
  const requireLead = (p: Principal, shop: CompiledShop, role: string) => {
    if (leadsRole(p, shop, role)) return;
    const led = [...new Set(p.roles.flatMap((r) => roleOf(shop, r)?.leads ?? []))];
    throw forbidden(`you do not lead role "${role}", so you cannot reassign its tasks; your roles lead: ${led.join(', ') || 'none'}`);
  };
  /** Acting on a task needs its role, and if it is assigned, to be the assignee. */
  const requireActor = (req: Request, task: TaskRow) => {
    const p = req.principal!;
    if (can(p, '*')) return;
    if (!p.roles.includes(task.role)) throw forbidden(`this task is for role "${task.role}"; your roles are ${p.roles.join(', ')}`);
    if (task.assigneeId && task.assigneeId !== p.staffId) throw forbidden(`this task is assigned to ${task.assigneeId}`);
  };

  router.get('/', queryOf(TasksQuery), async (req, res) => {
    res.json(await deps.tasks.list(req.principal!, parseFilter(req)));
  });

  router.get('/:id', async (req, res) => {
    const task = await visibleTask(req);
    // Fields bound to facts (x-shopflow default.from) come filled in; only open tasks are still answered.
    const open = task.status === 'open';
    const shop = await deps.shop.get();
    const [known, about] = await Promise.all([
      open && deps.prefill ? deps.prefill.forTask(task) : undefined,
      deps.context?.forTask(task, shop),
    ]);
    const prefillOf = (form: unknown) => known?.forms.get(JSON.stringify(form)) ?? {};
    res.json({
      ...toTaskView(task),
      description: task.description,
      form: task.form,
      prefill: prefillOf(task.form),
      lead: known?.lead ?? null,
      outcomes: task.outcomes.map((o, i) => ({ ...o, forward: i === 0, prefill: prefillOf(o.form) })),
      // What the subject knows that the person needs (the form's x-shopflow.show), and the outcome to preselect.
      context: about?.context ?? [],
      suggestedOutcome: about ? about.suggestedOutcome : (task.outcomes[0]?.name ?? null),
      shippingFee: about?.shippingFee ?? null,
      timeline: await deps.tasks.timeline(task.subjectId),
      guide: (await deps.guides?.forTask(task)) ?? null,
    });
  });

  router.post('/:id/claim', async (req, res) => {
    const task = await visibleTask(req);
    requireOpen(task);
    const p = req.principal!;
    if (task.assigneeId === p.staffId) return void res.json(toTaskView(task));
    if (!can(p, '*') && !p.roles.includes(task.role)) throw forbidden(`this task is for role "${task.role}"`);
    if (!(await deps.tasks.claim(task.id, p.staffId))) {
      const now = await deps.tasks.get(task.id);
      throw conflict(now?.status !== 'open' ? `task ${task.id} is no longer open` : `task ${task.id} was claimed by ${now.assigneeId}`, {
        assigneeId: now?.assigneeId,
      });
    }
    res.json(toTaskView((await deps.tasks.get(task.id))!));
  });

  router.post('/:id/unclaim', async (req, res) => {
    const task = await visibleTask(req);
    requireOpen(task);
    const p = req.principal!;
    if (!task.assigneeId) throw conflict(`task ${task.id} is not claimed`);
    if (task.assigneeId !== p.staffId) {
      if (!can(p, 'tasks.reassign')) throw forbidden(`task ${task.id} is claimed by ${task.assigneeId}, not you`);
      requireLead(p, await deps.shop.get(), task.role);
    }
    if (!(await deps.tasks.unclaim(task.id, p.staffId, task.assigneeId))) throw conflict(`task ${task.id} changed meanwhile; reload it`);
    res.json(toTaskView((await deps.tasks.get(task.id))!));
  });

  router.post('/:id/complete', body(CompleteBody), async (req, res) => {
    const task = await visibleTask(req);
    if (task.status === 'done' && task.outcome === req.body.outcome && task.completedBy === req.principal!.staffId) {
      // The same person sending the same outcome again: maybe a retry of a completion the database
      // recorded but the workflow never kept (its worker died before Temporal committed the
      // update). The workflow gets the recorded completion again; if it has it, this is a 409 as before.
      const redelivered = await redeliverCompletion(deps.temporal, task);
      if (redelivered) return void res.json({ task: toTaskView((await deps.tasks.get(task.id))!), nextStage: redelivered.nextStage });
    }
    requireOpen(task);
    requireActor(req, task);
    if (!can(req.principal!, 'tasks.complete')) throw forbidden('your roles do not allow "tasks.complete"');
    // Phone fields (x-shopflow widget: phone) take any common spelling: stored as 0xxxxxxxxx before validation.
    const outcomeForm = task.outcomes.find((o) => o.name === req.body.outcome)?.form;
    const normalized = (outcomeForm ? normalizeFormData(outcomeForm, req.body.data ?? {}) : (req.body.data ?? {})) as Record<
      string,
      unknown
    >;
    // A shipping fee left out is the shop's (shop.yaml shippingFee), as the console computes it.
    const data = withComputedFees(outcomeForm, normalized, (await deps.shop.get()).shippingFee);
    await checkTaskData(deps.tasks, task, req.body.outcome, data, requestLang(req));
    // Scan to pack: the outcome a stage gates on scans waits for a matching box or a lead's override.
    if (deps.packing) await requireScanned(deps.packing, task, req.body.outcome);
    // The sales script's checklist: required items ticked before closing; the script version is recorded once done.
    const guide = await deps.guides?.checkCompletion(task, req.body.outcome, req.body.checklist);
    let result: CompleteTaskResult;
    try {
      result = await executeUpdateRetried(deps.temporal.workflow.getHandle(task.workflowId), completeTaskUpdate, {
        args: [{ taskId: task.id, outcome: req.body.outcome, data, actor: req.principal!.staffId }],
      });
    } catch (err) {
      throw taskUpdateError(err, task);
    }
    if (guide) await deps.guides!.recordUse(task, guide, req.body.outcome, req.body.checklist ?? [], req.principal!.staffId);
    res.json({ task: toTaskView((await deps.tasks.get(task.id))!), nextStage: result.nextStage });
  });

  router.post('/:id/reassign', requirePermission('tasks.reassign'), body(ReassignBody), async (req, res) => {
    const task = await visibleTask(req);
    requireOpen(task);
    const shop = await deps.shop.get();
    const p = req.principal!;
    const { to, role: newRole } = req.body as { to: string; role?: string };
    requireLead(p, shop, task.role);
    let target: { role: string; assigneeId: string | null };
    if (roleOf(shop, to)) {
      if (newRole !== undefined && newRole !== to)
        throw unprocessable('`role` only goes with a staff id in `to`', {
          fields: [{ field: 'role', message: `"to" is already the role "${to}"` }],
        });
      if (to !== task.role) requireLead(p, shop, to);
      target = { role: to, assigneeId: null };
    } else {
      const member = await deps.staff.get(to);
      if (!member || !member.active)
        throw unprocessable(`"${to}" is neither a role nor an active staff member`, {
          fields: [{ field: 'to', message: 'unknown role or staff member' }],
        });
      const role = newRole ?? task.role;
      if (newRole !== undefined && newRole !== task.role) {
        if (!roleOf(shop, newRole))
          throw unprocessable(`unknown role "${newRole}"`, {
            fields: [{ field: 'role', message: `unknown role — known roles: ${Object.keys(shop.roles).join(', ')}` }],
          });
        requireLead(p, shop, newRole);
      }
      // The person must be able to do the task as its role: handing a sales task to anyone else
      // would let them complete what their own role may not.
      if (!member.roles.includes(role)) {
        throw unprocessable(`${member.name} (${member.id}) does not hold the task's role "${role}"`, {
          fields: [{ field: 'to', message: `must hold role "${role}"; their roles: ${member.roles.join(', ') || 'none'}` }],
        });
      }
      target = { role, assigneeId: member.id };
    }
    const updated = await deps.tasks.reassign(task.id, req.principal!.staffId, target);
    if (!updated) throw conflict(`task ${task.id} is no longer open`);
    res.json(toTaskView(updated));
  });

  return router;
}

/**
 * Task data checked at the edge, before the workflow is asked: against the outcome's form as a
 * closed form (a field it does not declare is refused at its path, e.g. `data.codAmount`), and
 * every SKU field (`format: sku`) against the shop's catalogue. The workflow's Update validator
 * checks the form again (it is the one that counts for running orders); an unknown outcome is
 * left to it.
 */
async function checkTaskData(
  store: TasksStore,
  task: TaskRow,
  outcomeName: string,
  data: Record<string, unknown>,
  lang: WordsLang,
): Promise<void> {
  const outcome = task.outcomes.find((o) => o.name === outcomeName);
  if (!outcome) return;
  // Each problem at its machine path (`data.items[0].qty`), worded for the clerk in the caller's language.
  const problems = formDataProblems(outcome.form, data, lang);
  if (problems.length)
    throw unprocessable('the task data is invalid', {
      fields: problems.map((p) => ({ field: p.path.length ? `data.${formatPath(p.path)}` : 'data', message: p.message })),
    });
  const skus = skusIn(closeForm(outcome.form), data);
  const unknown = await store.unknownSkus(skus.map((s) => s.sku));
  if (unknown.size) {
    throw unprocessable(`unknown SKU: ${[...unknown].join(', ')} — not in the product catalogue`, {
      fields: skus
        .filter((s) => unknown.has(s.sku))
        .map((s) => ({
          field: `data.${s.path}`,
          message: unknownSkuMessage(s.sku, lang),
        })),
    });
  }
}

/** `items[0].qty: must be …` (validateFormData's sentence) as the API's `{ field: data.items[0].qty, message }`. */
function dataFieldError(problem: string): { field: string; message: string } {
  const i = problem.indexOf(': ');
  return i > 0 ? { field: `data.${problem.slice(0, i)}`, message: problem.slice(i + 2) } : { field: 'data', message: problem };
}

/** Maps the workflow's rejection of a completion to the HTTP answer staff understand. */
/**
 * Sends a task's recorded completion to its workflow again. Undefined when the workflow already
 * has it (the task is no longer open there) or has ended.
 */
async function redeliverCompletion(temporal: Client, task: TaskRow): Promise<CompleteTaskResult | undefined> {
  try {
    return await executeUpdateRetried(temporal.workflow.getHandle(task.workflowId), completeTaskUpdate, {
      args: [
        { taskId: task.id, outcome: task.outcome!, data: (task.data as Record<string, unknown> | null) ?? {}, actor: task.completedBy! },
      ],
    });
  } catch (err) {
    const refused = taskUpdateError(err, task);
    if (refused instanceof HttpError && refused.status === 409) return undefined;
    throw err;
  }
}

function taskUpdateError(err: unknown, task: TaskRow): unknown {
  if (err instanceof WorkflowNotFoundError) return conflict(`the ${task.subjectType} of task ${task.id} has already ended`);
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
  if (cause instanceof ApplicationFailure) {
    const details = cause.details?.[0];
    if (cause.type === TaskRejection.notOpen) return conflict(cause.message);
    if (cause.type === TaskRejection.invalidOutcome) return unprocessable(cause.message, { field: 'outcome', allowed: details });
    if (cause.type === TaskRejection.invalidData) {
      return unprocessable('the task data is invalid', { fields: (details as string[]).map(dataFieldError) });
    }
  }
  if (err instanceof Error && /workflow execution already completed/i.test(err.message))
    return conflict(`the ${task.subjectType} of task ${task.id} has already ended`);
  return err;
}
