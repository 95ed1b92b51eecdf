/**
 * GHN's API v2 subset under `/shiip/public-api`: create (refuses a client_order_code it already
 * has), detail, detail-by-client-code, cancel. Answers `{code, message, data}` like GHN.
 */
import express, { Router, type ErrorRequestHandler } from 'express';
import { answerCreate, feeFor, numberOf, textOf, webhookPathOf, type SimContext } from './context';
import { scenarioOf } from './scenarios';
import { linesOf, type SimShipment } from './state';

/** GHN lets an order be cancelled until it is picked up. */
const CANCELLABLE = new Set(['ready_to_pick', 'picking', 'money_collect_picking']);
const REQUIRED_NOTES = new Set(['CHOTHUHANG', 'CHOXEMHANGKHONGTHU', 'KHONGCHOXEMHANG']);

const ghnError = (code: number, message: string, codeMessage = 'USER_ERR_COMMON') => ({
  code,
  message,
  data: null,
  code_message: codeMessage,
});
const serverError = (status: number) =>
  ghnError(status, status === 503 ? 'Service Unavailable' : 'Internal Server Error', 'SERVER_ERR_COMMON');

export function ghnApiRouter(ctx: SimContext): Router {
  const router = Router();
  router.use(express.json({ limit: '256kb' }));
  router.use((req, res, next) => {
    if (!req.get('token')) {
      res.status(401).json(ghnError(401, 'Token is not valid', 'USER_ERR_AUTH'));
      return;
    }
    next();
  });

  router.post('/v2/shipping-order/create', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const clientCode = textOf(body.client_order_code);
    ctx.store.countCreateCall('ghn', clientCode);
    const fault = ctx.store.takeFault();
    if (fault?.status && !fault.timeoutMs) {
      res.status(fault.status).json(serverError(fault.status));
      return;
    }
    const answer = (status: number, json: unknown) => answerCreate(ctx, res, fault, { status, body: json }, serverError);
    const shopId = Number(req.get('shopid'));
    if (!Number.isInteger(shopId) || shopId < 0) return answer(400, ghnError(400, 'ShopId không hợp lệ'));
    const problem = problemWith(body);
    if (problem) return answer(400, ghnError(400, problem));
    if (clientCode && ctx.store.byClientCode('ghn', clientCode)) {
      return answer(400, ghnError(400, `Mã đơn hàng của shop (client_order_code) ${clientCode} đã tồn tại`, 'ORDER_CLIENT_CODE_EXISTED'));
    }
    const shipment = newShipment(ctx, body, shopId, webhookPathOf(req.get('x-shopflow-courier'), 'ghn'));
    ctx.store.add(shipment);
    ctx.player.start(shipment);
    ctx.log.info(
      { api: 'ghn', trackingCode: shipment.trackingCode, clientOrderCode: clientCode, scenario: shipment.scenario },
      'shipment created',
    );
    answer(200, {
      code: 200,
      message: 'Success',
      message_display: `Tạo đơn hàng thành công. Mã đơn hàng: ${shipment.trackingCode}`,
      data: {
        order_code: shipment.trackingCode,
        sort_code: '000-S-00-00',
        trans_type: 'truck',
        ward_encode: '',
        district_encode: '',
        fee: { main_service: shipment.fee, insurance: 0, station_do: 0, station_pu: 0, return: 0, r2s: 0, coupon: 0, cod_failed_fee: 0 },
        total_fee: shipment.fee,
        expected_delivery_time: shipment.expectedDeliveryAt,
      },
    });
  });

  router.post('/v2/shipping-order/detail', (req, res) => {
    const s = ctx.store.byTracking(textOf(req.body?.order_code));
    if (!s || s.api !== 'ghn') return void res.status(400).json(ghnError(400, 'Không tìm thấy đơn hàng', 'ORDER_NOT_FOUND'));
    res.json({ code: 200, message: 'Success', data: detailOf(s) });
  });

  router.post('/v2/shipping-order/detail-by-client-code', (req, res) => {
    const s = ctx.store.byClientCode('ghn', textOf(req.body?.client_order_code));
    if (!s) return void res.status(400).json(ghnError(400, 'Không tìm thấy đơn hàng', 'ORDER_NOT_FOUND'));
    res.json({ code: 200, message: 'Success', data: detailOf(s) });
  });

  router.post('/v2/switch-status/cancel', (req, res) => {
    const codes = Array.isArray(req.body?.order_codes) ? (req.body.order_codes as unknown[]).map(textOf) : [];
    if (codes.length === 0) return void res.status(400).json(ghnError(400, 'order_codes không được để trống'));
    const data = codes.map((code) => {
      const s = ctx.store.byTracking(code);
      if (!s || s.api !== 'ghn') return { order_code: code, result: false, message: 'Không tìm thấy đơn hàng' };
      if (s.status === 'cancel') return { order_code: code, result: false, message: 'Đơn hàng đã bị hủy' };
      if (!CANCELLABLE.has(s.status))
        return { order_code: code, result: false, message: `Đơn hàng ở trạng thái ${s.status}, không thể hủy` };
      void ctx.player.advance(s, { status: 'cancel' });
      return { order_code: code, result: true, message: 'OK' };
    });
    res.json({ code: 200, message: 'Success', data });
  });

  router.use((req, res) => {
    res.status(404).json(ghnError(404, `Không tìm thấy ${req.method} ${req.originalUrl}`));
  });
  const badJson: ErrorRequestHandler = (err, _req, res, _next) => {
    res.status(400).json(ghnError(400, `Dữ liệu không hợp lệ: ${(err as Error).message}`));
  };
  router.use(badJson);
  return router;
}

/** GHN's checks on a new order, worded as GHN words them (first problem only). */
function problemWith(b: Record<string, unknown>): string | undefined {
  if (!textOf(b.to_name)) return 'to_name không được để trống';
  if (!/^0\d{9,10}$/.test(textOf(b.to_phone))) return 'Số điện thoại người nhận không hợp lệ';
  if (!textOf(b.to_address)) return 'to_address không được để trống';
  if (!textOf(b.to_ward_code) && !textOf(b.to_ward_name)) return 'Thiếu thông tin phường/xã người nhận (to_ward_code hoặc to_ward_name)';
  if (!textOf(b.to_district_id) && !textOf(b.to_district_name) && !textOf(b.to_province_name))
    return 'Thiếu thông tin quận/huyện hoặc tỉnh/thành người nhận';
  const weight = numberOf(b.weight);
  if (!(weight > 0) || weight > 50_000) return 'Khối lượng (weight) không hợp lệ';
  if (![1, 2].includes(numberOf(b.payment_type_id))) return 'payment_type_id không hợp lệ';
  if (!REQUIRED_NOTES.has(textOf(b.required_note))) return 'required_note không hợp lệ';
  if (!textOf(b.service_type_id) && !textOf(b.service_id)) return 'Thiếu service_type_id hoặc service_id';
  const cod = b.cod_amount === undefined ? 0 : numberOf(b.cod_amount);
  if (!(cod >= 0)) return 'cod_amount không hợp lệ';
  return undefined;
}

function newShipment(ctx: SimContext, body: Record<string, unknown>, shopId: number, webhookPath: string): SimShipment {
  const now = new Date();
  const weightGrams = numberOf(body.weight);
  return {
    api: 'ghn',
    trackingCode: ctx.store.newTrackingCode('ghn'),
    clientOrderCode: textOf(body.client_order_code),
    webhookPath,
    scenario: scenarioOf(body.note, ctx.defaultScenario),
    status: 'ready_to_pick',
    history: [{ status: 'ready_to_pick', at: now.toISOString() }],
    createdAt: now.toISOString(),
    expectedDeliveryAt: new Date(now.getTime() + 2 * ctx.dayMs).toISOString(),
    codAmount: numberOf(body.cod_amount) || 0,
    fee: feeFor(weightGrams),
    weightGrams,
    shopId,
    request: body,
    lines: linesOf(body.items),
    timers: new Set(),
    outbox: Promise.resolve(),
  };
}

/** The order as `detail` answers it (the fields shopflow reads, and the usual neighbours). */
function detailOf(s: SimShipment): Record<string, unknown> {
  const r = s.request;
  const last = s.history[s.history.length - 1];
  return {
    order_code: s.trackingCode,
    client_order_code: s.clientOrderCode,
    shop_id: s.shopId,
    status: s.status,
    to_name: r.to_name,
    to_phone: r.to_phone,
    to_address: r.to_address,
    to_ward_code: r.to_ward_code ?? '',
    to_district_id: r.to_district_id ?? 0,
    weight: s.weightGrams,
    length: r.length ?? 0,
    width: r.width ?? 0,
    height: r.height ?? 0,
    service_type_id: r.service_type_id,
    payment_type_id: r.payment_type_id,
    cod_amount: s.codAmount,
    insurance_value: r.insurance_value ?? 0,
    required_note: r.required_note,
    note: r.note ?? '',
    content: r.content ?? '',
    leadtime: s.expectedDeliveryAt,
    order_date: s.createdAt,
    created_date: s.createdAt,
    updated_date: last?.at ?? s.createdAt,
    log: s.history.map((h) => ({ status: h.status, updated_date: h.at })),
  };
}
