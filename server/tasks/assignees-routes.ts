import { Router } from 'express';
import { can, leadsRole, requirePermission, roleOf } from '../http/auth';
import { forbidden, notFound } from '../http/errors';
import type { ShopCache } from '../shop/shop-cache';
import type { StaffStore } from '../staff/staff';
import type { TasksStore } from './tasks';

/**
 * `GET /tasks/{id}/assignees`: who a role lead may hand an open task to — the active members of
 * its role, and the role queues they lead — so the console offers only what the reassign accepts
 * (a person outside the role, or a role they do not lead, is refused there).
 */
export function taskAssigneesRouter(deps: { tasks: TasksStore; staff: StaffStore; shop: ShopCache }): Router {
  const router = Router();
  router.get('/:id/assignees', requirePermission('tasks.read'), requirePermission('tasks.reassign'), async (req, res) => {
    const p = req.principal!;
    const task = await deps.tasks.get(String(req.params.id));
    const visible =
      task && (p.scope === 'all' || can(p, '*') || task.assigneeId === p.staffId || (!task.assigneeId && p.roles.includes(task.role)));
    if (!task || !visible) throw notFound(`no task "${req.params.id}"`);
    const shop = await deps.shop.get();
    if (!leadsRole(p, shop, task.role)) throw forbidden(`you do not lead role "${task.role}", so you cannot reassign its tasks`);
    const members = await deps.staff.list({ role: task.role, active: true });
    const led = can(p, '*') ? Object.keys(shop.roles) : [...new Set(p.roles.flatMap((r) => roleOf(shop, r)?.leads ?? []))];
    res.json({
      taskId: task.id,
      role: { id: task.role, title: roleOf(shop, task.role)?.title ?? task.role },
      assigneeId: task.assigneeId,
      people: members.map((m) => ({ id: m.id, name: m.name })),
      roles: led.filter((r) => roleOf(shop, r)).map((r) => ({ id: r, title: roleOf(shop, r)!.title })),
    });
  });
  return router;
}
