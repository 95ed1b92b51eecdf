import { Router, type Request } from 'express';
import { can, requirePermission } from '../http/auth';
import { body, queryOf, queryValues } from '../http/contract';
import { conflict, forbidden, notFound, unprocessable } from '../http/errors';
import type { ShopCache } from '../shop/shop-cache';
import type { TaskRow, TasksStore } from '../tasks/tasks';
import { LabelQuery, LabelsBody, OverrideBody, PickListBody, ScanBody } from './contract';
import type { PackingStore } from './packing';
import { labelsPdf, packingSlipPdf, pickListPdf, type Sender } from './pdf';

/**
 * Packing: slips, labels and pick lists as PDF under /orders, scan to pack under /tasks. Mounted
 * before the orders router, whose `/:id` would otherwise take `pick-list.pdf` for an order id.
 */
export function packingRouter(deps: { packing: PackingStore; tasks: TasksStore; shop: ShopCache }): Router {
  const router = Router();
  const sender = async (): Promise<Sender> => {
    const shop = await deps.shop.get();
    return { name: shop.profile?.name || shop.title, timezone: shop.profile?.timezone || 'Asia/Ho_Chi_Minh' };
  };
  const sendPdf = (res: import('express').Response, name: string, pdf: Buffer) => {
    res.type('application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="${name}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(pdf);
  };

  /** One order's documents, or 404 when it does not exist or the caller may not see it. */
  const oneOrder = async (req: Request) => {
    const id = String(req.params.id);
    const { documents } = await deps.packing.documents(req.principal!, await deps.shop.get(), [id]);
    if (!documents[0]) throw notFound(`không có đơn "${id}" (no order "${id}")`);
    return documents[0];
  };
  router.get('/orders/:id/packing-slip.pdf', requirePermission('orders.read'), queryOf(LabelQuery), async (req, res) => {
    const { size } = queryValues(req, LabelQuery);
    const order = await oneOrder(req);
    sendPdf(res, `phieu-dong-goi-${order.id}.pdf`, await packingSlipPdf(order, await sender(), size));
  });
  router.get('/orders/:id/label.pdf', requirePermission('orders.read'), queryOf(LabelQuery), async (req, res) => {
    const { size } = queryValues(req, LabelQuery);
    const order = await oneOrder(req);
    sendPdf(res, `nhan-${order.id}.pdf`, await labelsPdf([order], await sender(), size));
  });

  /** A batch's documents in the order asked; an order not found is 422 at its index. */
  const batch = async (req: Request, ids: string[]) => {
    const { documents, missing } = await deps.packing.documents(req.principal!, await deps.shop.get(), ids);
    if (missing.length)
      throw unprocessable(`không tìm thấy ${missing.length} đơn: ${missing.map((m) => m.id).join(', ')}`, {
        fields: missing.map((m) => ({ field: `orderIds.${m.index}`, message: `không có đơn "${m.id}" (hoặc bạn không được xem)` })),
      });
    return documents;
  };
  router.post('/orders/labels.pdf', requirePermission('orders.read'), body(LabelsBody), async (req, res) => {
    const documents = await batch(req, req.body.orderIds);
    sendPdf(res, `nhan-${documents.length}-don.pdf`, await labelsPdf(documents, await sender(), req.body.size ?? 'A6'));
  });
  router.post('/orders/pick-list.pdf', requirePermission('orders.read'), body(PickListBody), async (req, res) => {
    const documents = await batch(req, req.body.orderIds);
    sendPdf(res, `lay-hang-${documents.length}-don.pdf`, await pickListPdf(documents, await sender(), req.body.size ?? 'A4'));
  });

  // ─── Scan to pack ─────────────────────────────────────────────────────────

  /** The task as the tasks API shows it: 404 for a task the caller may not see. */
  const visibleTask = async (req: Request): Promise<TaskRow> => {
    const task = await deps.tasks.get(String(req.params.id));
    const p = req.principal!;
    const mine =
      task && (p.scope === 'all' || can(p, '*') || task.assigneeId === p.staffId || (!task.assigneeId && p.roles.includes(task.role)));
    if (!task || !mine) throw notFound(`không có việc "${req.params.id}" (no task "${req.params.id}")`);
    return task;
  };
  /** Scanning is packing: it needs the task's role, and being its assignee if it is assigned. */
  const requirePacker = (req: Request, task: TaskRow) => {
    const p = req.principal!;
    if (can(p, '*')) return;
    if (!p.roles.includes(task.role)) throw forbidden(`việc này của vai trò "${task.role}"; vai trò của bạn: ${p.roles.join(', ')}`);
    if (task.assigneeId && task.assigneeId !== p.staffId) throw forbidden(`việc này đã giao cho ${task.assigneeId}`);
  };
  /** Scans go only on an open task whose stage checks them. */
  const scannable = async (task: TaskRow) => {
    if (task.status !== 'open') throw conflict(`việc ${task.id} đã ${task.status === 'done' ? 'hoàn thành' : 'huỷ'}, không quét thêm được`);
    if (!(await deps.packing.scanRule(task)))
      throw conflict(`việc ${task.id} không kiểm hàng bằng mã vạch (bước này không khai báo scanItems)`);
  };

  router.get('/tasks/:id/packing', requirePermission('tasks.read'), async (req, res) => {
    res.json(await deps.packing.state(await visibleTask(req)));
  });
  router.post('/tasks/:id/scans', requirePermission('tasks.read'), body(ScanBody), async (req, res) => {
    const task = await visibleTask(req);
    requirePacker(req, task);
    await scannable(task);
    res.status(201).json(await deps.packing.scan(task, req.body.barcode, req.principal!.staffId));
  });
  router.delete('/tasks/:id/scans/:scanId', requirePermission('tasks.read'), async (req, res) => {
    const task = await visibleTask(req);
    requirePacker(req, task);
    await scannable(task);
    const scanId = Number(req.params.scanId);
    if (!Number.isSafeInteger(scanId) || scanId < 1) throw notFound(`không có lần quét "${req.params.scanId}"`);
    const done = await deps.packing.removeScan(task, scanId, req.principal!.staffId);
    if (done === 'unknown') throw notFound(`việc ${task.id} không có lần quét ${scanId}`);
    if (done === 'already') throw conflict(`lần quét ${scanId} đã được lấy ra rồi`);
    res.json(await deps.packing.state(task));
  });
  router.post(
    '/tasks/:id/packing-override',
    requirePermission('tasks.read'),
    requirePermission('packing.override'),
    body(OverrideBody),
    async (req, res) => {
      const task = await visibleTask(req);
      const reason = req.body.reason.trim();
      if (reason.length < 3) throw unprocessable('hãy ghi lý do bỏ qua', { fields: [{ field: 'reason', message: 'cần ít nhất 3 ký tự' }] });
      await scannable(task);
      const now = await deps.packing.state(task);
      if (now.matched) throw conflict('hàng đã quét khớp với đơn — không có gì cần bỏ qua');
      await deps.packing.override(task, reason, now.problems, req.principal!.staffId);
      res.status(201).json(await deps.packing.state(task));
    },
  );
  return router;
}

/**
 * The task API's check before a completion (server/tasks/routes.ts): the outcome a stage gates on
 * scans (`scanItems`) is refused with 422 at `scans` until the box matches or a lead overrode it.
 */
export async function requireScanned(packing: PackingStore, task: TaskRow, outcome: string): Promise<void> {
  const gated = await packing.scanRule(task);
  if (gated !== outcome) return;
  const state = await packing.state(task);
  if (state.canComplete) return;
  throw unprocessable('hàng trong hộp chưa khớp với đơn: quét đủ từng sản phẩm, lấy ra hàng sai, hoặc nhờ trưởng kho duyệt bỏ qua', {
    fields: [{ field: 'scans', message: state.problems.map((p) => p.message).join('; ') }],
    problems: state.problems,
  });
}
