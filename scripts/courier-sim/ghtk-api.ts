/**
 * GHTK's subset under `/services/shipment`: create (`/order?ver=1.5`, refuses an order.id it
 * already has with ORDER_ID_EXIST and the first label), status (`/v2/{label|partner_id:<id>}`),
 * cancel (`/cancel/{label|partner_id:<id>}`). Answers `{success, message, …}` like GHTK.
 */
import express, { Router, type ErrorRequestHandler } from 'express';
import { answerCreate, feeFor, numberOf, textOf, webhookPathOf, type SimContext } from './context';
import { scenarioOf } from './scenarios';
import { linesOf, type SimShipment } from './state';
import { vietnamTime } from './webhooks';

const ghtkError = (message: string, errorCode?: number) => ({
  success: false,
  message,
  ...(errorCode !== undefined ? { error_code: errorCode } : {}),
  log_id: logId(),
});
const serverError = (status: number) =>
  ghtkError(status === 503 ? 'Service Unavailable' : 'Đã có lỗi xảy ra!', status === 503 ? undefined : 10101);

/** GHTK's answers to a cancel it refuses, by the order's current status_id. */
const CANCEL_REFUSALS: Record<string, [number, string]> = {
  '-1': [50101, 'Đơn hàng đã ở trạng thái hủy'],
  '3': [50102, 'Đơn đã lấy hàng, không thể hủy đơn.'],
  '4': [50103, 'Đơn đã điều phối giao hàng/đang giao hàng, không thể hủy đơn.'],
  '10': [50103, 'Đơn đã điều phối giao hàng/đang giao hàng, không thể hủy đơn.'],
  '5': [50104, 'Đơn đã giao hàng/chưa đối soát, không thể hủy đơn.'],
  '6': [50105, 'Đơn đã đối soát, không thể hủy đơn.'],
};
/** GHTK cancels only before pick-up: not yet received (1), received (2), being picked up (12). */
const CANCELLABLE = new Set(['1', '2', '12']);

const STATUS_TEXT: Record<string, string> = {
  '-1': 'Hủy đơn hàng',
  '1': 'Chưa tiếp nhận',
  '2': 'Đã tiếp nhận',
  '3': 'Đã lấy hàng/Đã nhập kho',
  '4': 'Đã điều phối giao hàng/Đang giao hàng',
  '5': 'Đã giao hàng/Chưa đối soát',
  '6': 'Đã đối soát',
  '7': 'Không lấy được hàng',
  '8': 'Hoãn lấy hàng',
  '9': 'Không giao được hàng',
  '10': 'Delay giao hàng',
  '11': 'Đã đối soát công nợ trả hàng',
  '12': 'Đã điều phối lấy hàng/Đang lấy hàng',
  '13': 'Đơn hàng bồi hoàn',
  '20': 'Đang trả hàng (COD cầm hàng đi trả)',
  '21': 'Đã trả hàng (COD đã trả xong hàng)',
};

export function ghtkApiRouter(ctx: SimContext): Router {
  const router = Router();
  router.use(express.json({ limit: '256kb' }));
  router.use((req, res, next) => {
    if (!req.get('token')) {
      res.status(401).json(ghtkError('Cần cung cấp token hợp lệ', 20101));
      return;
    }
    next();
  });

  router.post('/order', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const order = (body.order && typeof body.order === 'object' ? body.order : {}) as Record<string, unknown>;
    const products = Array.isArray(body.products) ? (body.products as Array<Record<string, unknown>>) : [];
    const partnerId = textOf(order.id);
    ctx.store.countCreateCall('ghtk', partnerId);
    const fault = ctx.store.takeFault();
    if (fault?.status && !fault.timeoutMs) {
      res.status(fault.status).json(serverError(fault.status));
      return;
    }
    const answer = (status: number, json: unknown) => answerCreate(ctx, res, fault, { status, body: json }, serverError);
    const problem = problemWith(order, products);
    if (problem) return answer(422, ghtkError(problem[1], problem[0]));
    const existing = ctx.store.byClientCode('ghtk', partnerId);
    if (existing) {
      return answer(200, {
        success: false,
        message: 'Mã đơn hàng của bạn đã tồn tại trên hệ thống GHTK',
        error: {
          code: 'ORDER_ID_EXIST',
          partner_id: partnerId,
          ghtk_label: existing.trackingCode,
          created: vietnamTime(new Date(existing.createdAt)),
          status: Number(existing.status),
        },
      });
    }
    const shipment = newShipment(ctx, order, products, webhookPathOf(req.get('x-shopflow-courier'), 'ghtk'));
    ctx.store.add(shipment);
    ctx.player.start(shipment);
    ctx.log.info(
      { api: 'ghtk', trackingCode: shipment.trackingCode, clientOrderCode: partnerId, scenario: shipment.scenario },
      'shipment created',
    );
    const day = vietnamTime(new Date(shipment.expectedDeliveryAt)).slice(0, 10);
    answer(200, {
      success: true,
      message: 'Các đơn hàng đã được add vào hệ thống GHTK thành công.',
      order: {
        partner_id: partnerId,
        label: shipment.trackingCode,
        area: '1',
        fee: String(shipment.fee),
        insurance_fee: '0',
        tracking_id: Number(shipment.trackingCode.split('.').pop()),
        estimated_pick_time: `Sáng ${vietnamTime(new Date(shipment.createdAt)).slice(0, 10)}`,
        estimated_deliver_time: `Chiều ${day}`,
        products: [],
        status_id: Number(shipment.status),
      },
    });
  });

  router.get('/v2/:tracking', (req, res) => {
    const s = find(ctx, String(req.params.tracking));
    if (!s) return void res.json(ghtkError('Mã vận đơn không hợp lệ, không tìm thấy vận đơn'));
    const o = s.request;
    const last = s.history[s.history.length - 1];
    res.json({
      success: true,
      message: '',
      order: {
        label_id: s.trackingCode,
        partner_id: s.clientOrderCode,
        status: s.status,
        status_text: STATUS_TEXT[s.status] ?? s.status,
        created: localTime(s.createdAt),
        modified: localTime(last?.at ?? s.createdAt),
        message: textOf(o.note),
        pick_date: vietnamTime(new Date(s.createdAt)).slice(0, 10),
        deliver_date: vietnamTime(new Date(s.expectedDeliveryAt)).slice(0, 10),
        customer_fullname: textOf(o.name),
        customer_tel: textOf(o.tel),
        address: [o.address, o.ward, o.district, o.province].map(textOf).filter(Boolean).join(', '),
        storage_day: '3',
        ship_money: String(s.fee),
        insurance: '0',
        value: String(numberOf(o.value) || 0),
        weight: String(s.weightGrams),
        pick_money: s.codAmount,
        is_freeship: String(numberOf(o.is_freeship) || 0),
      },
    });
  });

  router.post('/cancel/:tracking', (req, res) => {
    const s = find(ctx, String(req.params.tracking));
    if (!s) return void res.status(400).json(ghtkError('Không tìm thấy vận đơn trên hệ thống', 50109));
    if (CANCELLABLE.has(s.status)) {
      void ctx.player.advance(s, { status: '-1', reasonCode: '115', reason: 'Đối tác hủy đơn qua API' });
      return void res.json({ success: true, message: '', log_id: logId() });
    }
    const [code, message] = CANCEL_REFUSALS[s.status] ?? [50107, `Không thể hủy đơn hàng ${s.trackingCode}`];
    res.json(ghtkError(message, code));
  });

  router.use((_req, res) => {
    res.status(404).json(ghtkError('Đường dẫn không tồn tại, vui lòng thử lại sau', 10104));
  });
  const badJson: ErrorRequestHandler = (err, _req, res, _next) => {
    res.status(400).json(ghtkError(`Dữ liệu không hợp lệ: ${(err as Error).message}`));
  };
  router.use(badJson);
  return router;
}

/** A label, or `partner_id:<our order code>` (GHTK accepts both). */
function find(ctx: SimContext, tracking: string): SimShipment | undefined {
  const s = tracking.startsWith('partner_id:')
    ? ctx.store.byClientCode('ghtk', tracking.slice('partner_id:'.length))
    : ctx.store.byTracking(tracking);
  return s?.api === 'ghtk' ? s : undefined;
}

/** GHTK's checks on a new order with its error codes (first problem only). */
function problemWith(o: Record<string, unknown>, products: Array<Record<string, unknown>>): [number, string] | undefined {
  if (Object.keys(o).length === 0) return [30101, 'Thiếu thông tin đơn hàng'];
  if (!textOf(o.id)) return [30203, 'Vui lòng nhập mã đơn hàng (order.id).'];
  if (textOf(o.id).length >= 250) return [30102, 'Trường order.id phải có độ dài dưới 250 kí tự.'];
  if (!textOf(o.pick_address_id)) {
    if (!textOf(o.pick_name)) return [30204, 'Vui lòng nhập tên người gửi.'];
    if (!textOf(o.pick_address)) return [30207, 'Vui lòng nhập địa chỉ lấy hàng hóa.'];
    if (!textOf(o.pick_province)) return [30208, 'Vui lòng nhập tên thành phố nơi lấy hàng hóa.'];
    if (!textOf(o.pick_district)) return [30209, 'Vui lòng nhập tên quận/huyện nơi lấy hàng hóa.'];
    if (textOf(o.pick_tel).length < 7) return [30201, 'Số điện thoại lấy hàng không hợp lệ.'];
  }
  if (!textOf(o.name)) return [30303, 'Vui lòng nhập tên người nhận hàng hóa.'];
  if (!textOf(o.tel)) return [30307, 'Vui lòng nhập số điện thoại người nhận hàng hóa.'];
  if (!/^0\d{9,10}$/.test(textOf(o.tel))) return [30301, 'Số điện thoại khách hàng không hợp lệ.'];
  if (textOf(o.tel) === textOf(o.pick_tel)) return [30202, 'Số điện thoại lấy hàng trùng với số điện thoại nhận hàng.'];
  if (!textOf(o.address)) return [30304, 'Vui lòng nhập địa chỉ chi tiết của người nhận hàng hóa.'];
  if (!textOf(o.province)) return [30305, 'Vui lòng nhập tên tỉnh/thành phố của người nhận hàng hóa.'];
  if (!textOf(o.district)) return [30306, 'Vui lòng nhập tên quận/huyện của người nhận hàng hóa.'];
  if (!textOf(o.hamlet) && !textOf(o.street)) return [30302, 'Đơn hàng thiếu thông tin địa chỉ thôn/ấp/xóm/tổ/…. Vui lòng kiểm tra lại.'];
  if (o.pick_money === undefined) return [30205, 'Vui lòng nhập tiền CoD'];
  if (!(numberOf(o.pick_money) >= 0)) return [30206, 'Vui lòng nhập đúng số tiền CoD.'];
  if (!(numberOf(o.value) > 0)) return [30110, 'Giá trị hàng hoá phải lớn hơn 0. Shop vui lòng kê khai chính xác giá trị hàng hoá.'];
  if (o.transport !== undefined && !['road', 'fly'].includes(textOf(o.transport)))
    return [30104, 'Phương thức vận chuyển không hợp lệ, ban chỉ có thể chọn road(đường bộ) hoặc fly(đường bay).'];
  if (o.pick_option !== undefined && !['cod', 'post'].includes(textOf(o.pick_option)))
    return [30108, 'Trường pick_option chỉ nhận một trong hai giá trị cod và post.'];
  if (o.is_freeship !== undefined && ![0, 1].includes(numberOf(o.is_freeship)))
    return [30106, 'Trường is_freeship có giá trị không hợp lệ.'];
  if (products.length === 0 && !(numberOf(o.total_weight) > 0)) return [30103, 'Đơn hàng chưa có khối lượng. Vui lòng kiểm tra lại.'];
  if (products.some((p) => !(numberOf(p.quantity ?? 1) > 0))) return [30501, 'Giá trị số lượng ở sản phẩm có giá trị không hợp lệ.'];
  return undefined;
}

function newShipment(
  ctx: SimContext,
  order: Record<string, unknown>,
  products: Array<Record<string, unknown>>,
  webhookPath: string,
): SimShipment {
  const now = new Date();
  const kg =
    numberOf(order.total_weight) > 0
      ? numberOf(order.total_weight)
      : products.reduce((sum, p) => sum + (numberOf(p.weight) || 0) * (numberOf(p.quantity) || 1), 0);
  const weightGrams = Math.round(kg * 1000);
  return {
    api: 'ghtk',
    trackingCode: ctx.store.newTrackingCode('ghtk'),
    clientOrderCode: textOf(order.id),
    webhookPath,
    scenario: scenarioOf(order.note, ctx.defaultScenario),
    status: '1',
    history: [{ status: '1', at: now.toISOString() }],
    createdAt: now.toISOString(),
    expectedDeliveryAt: new Date(now.getTime() + 2 * ctx.dayMs).toISOString(),
    codAmount: numberOf(order.pick_money) || 0,
    fee: feeFor(weightGrams),
    weightGrams,
    shopId: 0,
    request: order,
    lines: linesOf(products),
    timers: new Set(),
    outbox: Promise.resolve(),
  };
}

/** GHTK's status API writes local time without an offset: `2016-10-31 22:32:08` (UTC+7). */
function localTime(iso: string): string {
  return vietnamTime(new Date(iso)).slice(0, 19).replace('T', ' ');
}

function logId(): string {
  return Math.random().toString(16).slice(2, 14);
}
