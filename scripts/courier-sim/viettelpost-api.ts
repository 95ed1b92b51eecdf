/**
 * Viettel Post's partner API subset under `/v2`: `user/Login` and `user/ownerconnect` (tokens),
 * `order/createOrderNlp` (addresses as text; with CHECK_UNIQUE an ORDER_NUMBER it already has is
 * refused), and `order/UpdateOrder` (TYPE 4 cancels before pick-up; 2 approves a return and 3
 * delivers again after a 505). Answers `{status, error, message, data}` like Viettel Post.
 */
import crypto from 'node:crypto';
import express, { Router, type ErrorRequestHandler, type Request } from 'express';
import { answerCreate, feeFor, numberOf, textOf, webhookPathOf, type SimContext } from './context';
import { scenarioOf } from './scenarios';
import type { SimShipment } from './state';

const ok = (data: unknown, message = 'OK') => ({ status: 200, error: false, message, data });
const refusal = (message: string, status = 200) => ({ status, error: true, message, data: null });
const serverError = (status: number) => refusal(status === 503 ? 'Service Unavailable' : 'System error', status);

/** Viettel Post cancels (TYPE 4) only orders it has not taken yet: status below 200, except 105 and 107. */
const cancellable = (status: string) => Number(status) < 200 && status !== '105' && status !== '107';

export function viettelPostApiRouter(ctx: SimContext): Router {
  const router = Router();
  router.use(express.json({ limit: '256kb' }));
  // Tokens the simulator gave, temporary (Login) and long-lived (ownerconnect); `simulator` is always accepted.
  const tokens = new Set<string>(['simulator']);

  const account = (req: Request): { username: string; password: string } | undefined => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = textOf(body.USERNAME);
    const password = textOf(body.PASSWORD);
    return username && password ? { username, password } : undefined;
  };
  const session = (username: string, token: string) => ({
    userId: 7_000_000 + (crypto.createHash('sha256').update(username).digest().readUInt32BE(0) % 1_000_000),
    token,
    partner: 7_856_551,
    phone: username,
    postcode: null,
    expired: 0,
    encrypted: null,
    source: 5,
  });

  router.post('/user/Login', (req, res) => {
    const who = account(req);
    if (!who) return void res.json(refusal('Invalid owner account or password!'));
    const token = `vtp-temp-${crypto.randomBytes(12).toString('hex')}`;
    tokens.add(token);
    res.json(ok(session(who.username, token)));
  });

  router.post('/user/ownerconnect', (req, res) => {
    if (!tokens.has(req.get('token') ?? '')) return void res.status(401).json(refusal('Token invalid', 401));
    const who = account(req);
    if (!who) return void res.json(refusal('Invalid owner account or password!'));
    const token = `vtp-owner-${crypto.randomBytes(16).toString('hex')}`;
    tokens.add(token);
    res.json(ok(session(who.username, token)));
  });

  // Every order call carries a token Viettel Post gave (or the simulator's fixed one).
  router.use('/order', (req, res, next) => {
    const token = req.get('token');
    if (!token) return void res.status(401).json(refusal('Header Token is required', 401));
    if (!tokens.has(token)) return void res.status(401).json(refusal('Token invalid or expired', 401));
    next();
  });

  router.post('/order/createOrderNlp', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const orderNumber = textOf(body.ORDER_NUMBER);
    ctx.store.countCreateCall('viettelpost', orderNumber);
    const fault = ctx.store.takeFault();
    if (fault?.status && !fault.timeoutMs) return void res.status(fault.status).json(serverError(fault.status));
    const answer = (json: unknown) => answerCreate(ctx, res, fault, { status: 200, body: json }, serverError);
    const problem = problemWith(body);
    if (problem) return answer(refusal(problem, 400));
    if (orderNumber && body.CHECK_UNIQUE === true && ctx.store.byClientCode('viettelpost', orderNumber)) {
      return answer(refusal(`ORDER_NUMBER ${orderNumber} đã tồn tại trên hệ thống`, 400));
    }
    const shipment = newShipment(ctx, body, webhookPathOf(req.get('x-shopflow-courier'), 'viettelpost'));
    ctx.store.add(shipment);
    ctx.player.start(shipment);
    ctx.log.info(
      { api: 'viettelpost', trackingCode: shipment.trackingCode, clientOrderCode: orderNumber, scenario: shipment.scenario },
      'shipment created',
    );
    const vat = Math.round(shipment.fee / 11);
    answer(
      ok({
        ORDER_NUMBER: shipment.trackingCode,
        MONEY_COLLECTION: shipment.codAmount,
        EXCHANGE_WEIGHT: shipment.weightGrams,
        MONEY_TOTAL: shipment.fee,
        MONEY_TOTAL_FEE: shipment.fee - vat,
        MONEY_FEE: 0,
        MONEY_COLLECTION_FEE: 0,
        MONEY_OTHER_FEE: 0,
        MONEY_VAS: 0,
        MONEY_VAT: vat,
        KPI_HT: 48.0,
        RECEIVER_PROVINCE: 1,
        RECEIVER_DISTRICT: 1,
        RECEIVER_WARD: 1,
      }),
    );
  });

  router.post('/order/UpdateOrder', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const s = ctx.store.byTracking(textOf(body.ORDER_NUMBER));
    if (!s || s.api !== 'viettelpost') return void res.json(refusal('Order does not exist'));
    const type = numberOf(body.TYPE);
    if (type === 4) {
      if (!cancellable(s.status)) return void res.json(refusal(`Đơn hàng ${s.trackingCode} đã được nhận, không thể hủy`));
      void ctx.player.advance(s, { status: '107', reason: textOf(body.NOTE) || 'Đối tác yêu cầu hủy qua API' });
      return void res.json(ok(null, 'Hủy đơn hàng thành công'));
    }
    if ((type === 2 || type === 3) && s.status === '505') {
      void ctx.player.advance(s, { status: type === 2 ? '515' : '508', reason: textOf(body.NOTE) || undefined });
      return void res.json(ok(null, 'Cập nhật đơn hàng thành công'));
    }
    res.json(refusal('Order status already exists on the system'));
  });

  router.use((_req, res) => {
    res.status(404).json(refusal('Not found', 404));
  });
  const badJson: ErrorRequestHandler = (err, _req, res, _next) => {
    res.status(400).json(refusal(`Dữ liệu không hợp lệ: ${(err as Error).message}`, 400));
  };
  router.use(badJson);
  return router;
}

/** Viettel Post's checks on a new order, in its error words (first problem only). */
function problemWith(o: Record<string, unknown>): string | undefined {
  for (const field of ['SENDER_FULLNAME', 'SENDER_PHONE', 'SENDER_ADDRESS', 'RECEIVER_FULLNAME', 'RECEIVER_PHONE', 'RECEIVER_ADDRESS']) {
    if (!textOf(o[field])) return `Invalid [${field}]`;
  }
  for (const field of ['SENDER_ADDRESS', 'RECEIVER_ADDRESS', 'RECEIVER_FULLNAME', 'SENDER_FULLNAME', 'ORDER_NOTE']) {
    if (Buffer.byteLength(textOf(o[field]), 'utf8') > 150) return `Invalid [${field}]: tối đa 150 byte`;
  }
  if (![1, 2, 3, 4].includes(numberOf(o.ORDER_PAYMENT))) return 'Incorrect data: ORDER_PAYMENT';
  if (!/^[A-Z0-9]{2,10}$/.test(textOf(o.ORDER_SERVICE))) return 'Incorrect data: ORDER_SERVICE';
  if (o.PRODUCT_TYPE !== undefined && !['HH', 'TH'].includes(textOf(o.PRODUCT_TYPE))) return 'Incorrect data: PRODUCT_TYPE';
  if (o.MONEY_COLLECTION !== undefined && !(numberOf(o.MONEY_COLLECTION) >= 0)) return 'Invalid [MONEY_COLLECTION]';
  return undefined;
}

function newShipment(ctx: SimContext, order: Record<string, unknown>, webhookPath: string): SimShipment {
  const now = new Date();
  const weightGrams = numberOf(order.PRODUCT_WEIGHT) > 0 ? Math.round(numberOf(order.PRODUCT_WEIGHT)) : 50;
  const details = Array.isArray(order.PRODUCT_DETAIL) ? (order.PRODUCT_DETAIL as Array<Record<string, unknown>>) : [];
  return {
    api: 'viettelpost',
    trackingCode: ctx.store.newTrackingCode('viettelpost'),
    clientOrderCode: textOf(order.ORDER_NUMBER),
    webhookPath,
    scenario: scenarioOf(order.ORDER_NOTE, ctx.defaultScenario),
    status: '100',
    history: [{ status: '100', at: now.toISOString() }],
    createdAt: now.toISOString(),
    expectedDeliveryAt: new Date(now.getTime() + 2 * ctx.dayMs).toISOString(),
    codAmount: numberOf(order.MONEY_COLLECTION) || 0,
    fee: feeFor(weightGrams),
    weightGrams,
    shopId: 0,
    request: order,
    lines: details
      .map((d) => ({ qty: numberOf(d.PRODUCT_QUANTITY ?? 1), price: numberOf(d.PRODUCT_PRICE ?? 0) }))
      .filter((l) => Number.isFinite(l.qty) && Number.isFinite(l.price)),
    timers: new Set(),
    outbox: Promise.resolve(),
  };
}
