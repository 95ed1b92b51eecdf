/**
 * The offline store on the real stack (PostgreSQL, the HTTP app, the shipped definitions): a
 * sale from scan to receipt moves stock and revenue once, a retry books nothing twice, a return
 * puts stock back and takes revenue back, an exchange is a return plus a new sale, a lead on the
 * `store` channel runs the store process, and bad input is 4xx naming the field.
 *
 * Figures worked by hand: áo 150 000 ₫, nón 80 000 ₫, túi 200 000 ₫; stock 10 / 5 / 3.
 */
import { revenueByChannelAndRep } from '../../db/kpi/queries';
import { crc16CcittFalse } from '../../definitions/store/vietqr';
import { readPdf } from '../support/pdf';
import { apiClient, openTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let admin: { id: string; token: string };
let seller: { id: string; token: string };
const startedAt = Date.now();

const AO = { sku: 'ST-AO', name: 'Áo thun cổ tròn', barcode: '8930000000011', price: 150000 };
const NON = { sku: 'ST-NON', name: 'Nón lưỡi trai', barcode: '8930000000028', price: 80000 };
const TUI = { sku: 'ST-TUI', name: 'Túi vải', barcode: '8930000000035', price: 200000 };

beforeAll(async () => {
  stack = await openTestStack();
  base = await stack.startApp();
  admin = await stack.createStaff(['admin']);
  seller = await stack.createStaff(['store-sales'], { name: 'Thu Ngân Cửa Hàng', channels: ['store'] });
  for (const [p, qty] of [
    [AO, 10],
    [NON, 5],
    [TUI, 3],
  ] as const) {
    expect((await api(admin).post('/api/v1/products', p)).status).toBe(201);
    expect((await api(admin).post('/api/v1/stock/adjustments', { sku: p.sku, qty, reason: 'nhập đầu kỳ' })).status).toBe(201);
  }
}, 120_000);
afterAll(() => stack?.close());

const api = (who: { token: string }) => apiClient(base, who.token);
const onHand = async (sku: string) => (await api(admin).get(`/api/v1/stock/levels?sku=${sku}&warehouse=main`)).body.levels[0]?.onHand ?? 0;
/** Revenue on the store channel as the KPI periods and the dashboard count it. */
const storeRevenue = async () =>
  (await revenueByChannelAndRep(stack.database.db, startedAt - 3_600_000, Date.now() + 3_600_000, 'sales'))
    .filter((r) => r.channel === 'store')
    .reduce((sum, r) => sum + r.revenue, 0);
const fields = (res: { body: { error?: { details?: { fields?: Array<{ field: string }> } } } }) =>
  (res.body.error?.details?.fields ?? []).map((f) => f.field);

describe('a sale at the counter', () => {
  let saleId: string;

  test('When two items are scanned and paid in cash, then stock is issued once, the sale is booked once and the change is right', async () => {
    const scanned = await api(seller).post('/api/v1/store/scans', { barcode: AO.barcode });
    expect(scanned).toMatchObject({ status: 200, body: { sku: AO.sku, price: 150000, available: 10 } });

    const body = {
      lines: [
        { barcode: AO.barcode, qty: 2 },
        { barcode: NON.barcode, qty: 1 },
      ],
      payment: { method: 'cash', received: 500000 },
    };
    const sold = await api(seller).post('/api/v1/store/sales', body, { 'Idempotency-Key': 'quay-1-don-1' });
    expect(sold.status).toBe(201);
    saleId = sold.body.sale.id;
    // 2 × 150 000 + 80 000 = 380 000; 500 000 − 380 000 = 120 000 change.
    expect(sold.body.sale).toMatchObject({
      status: 'paid',
      total: 380000,
      saleNumber: expect.stringMatching(/^HD-\d{4}-\d{6}$/),
      payment: { method: 'cash', amount: 380000, received: 500000, change: 120000 },
      definition: { name: 'store-sale' },
      transfer: null,
    });
    expect(await onHand(AO.sku)).toBe(8);
    expect(await onHand(NON.sku)).toBe(4);
    expect(await storeRevenue()).toBe(380000);

    // The same request again (a double tap, a retry after a timeout): the first answer, nothing booked twice.
    const again = await api(seller).post('/api/v1/store/sales', body, { 'Idempotency-Key': 'quay-1-don-1' });
    expect(again.status).toBe(200);
    expect(again.body.sale.id).toBe(saleId);
    expect(again.body.created).toBe(false);
    expect(await onHand(AO.sku)).toBe(8);
    expect(await storeRevenue()).toBe(380000);

    // The sale is an order on the store channel, sold.
    const order = await api(admin).get(`/api/v1/orders/${saleId}`);
    expect(order.body).toMatchObject({ channel: 'store', total: 380000 });
  });

  test('When the receipt is printed, then the K80 PDF names the sale, the lines, the total and the change', async () => {
    const res = await fetch(`${base}/api/v1/store/sales/${saleId}/receipt.pdf`, { headers: { authorization: `Bearer ${seller.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/pdf');
    const [page] = await readPdf(new Uint8Array(await res.arrayBuffer()));
    expect(page!.box[2]).toBeCloseTo((80 * 72) / 25.4, 0);
    const sale = (await api(seller).get(`/api/v1/store/sales/${saleId}`)).body;
    for (const text of [
      'HOÁ ĐƠN BÁN HÀNG',
      sale.saleNumber,
      'Áo thun cổ tròn',
      'Nón lưỡi trai',
      'TỔNG CỘNG',
      '380.000',
      '120.000',
      'Tiền mặt',
    ])
      expect(page!.text).toContain(text);
  });

  test('When one item comes back, then it is back in stock and the store revenue drops by its value', async () => {
    const back = await api(seller).post(`/api/v1/store/sales/${saleId}/returns`, { lines: [{ sku: AO.sku, qty: 1 }], reason: 'Không vừa' });
    expect(back.status).toBe(201);
    expect(back.body.return).toMatchObject({ number: expect.stringMatching(/^TH-/), goods: 150000, refund: 150000, credit: 0 });
    expect(back.body.sale).toMatchObject({
      returnedTotal: 150000,
      lines: [
        { sku: AO.sku, returnedQty: 1 },
        { sku: NON.sku, returnedQty: 0 },
      ],
    });
    expect(await onHand(AO.sku)).toBe(9);
    expect(await storeRevenue()).toBe(230000); // 380 000 − 150 000

    // More than is left of the sale (1 áo): refused at the line, nothing moves.
    const tooMany = await api(seller).post(`/api/v1/store/sales/${saleId}/returns`, { lines: [{ sku: AO.sku, qty: 2 }] });
    expect(tooMany.status).toBe(422);
    expect(fields(tooMany)).toEqual(['lines.0.qty']);
    const notSold = await api(seller).post(`/api/v1/store/sales/${saleId}/returns`, { lines: [{ sku: TUI.sku, qty: 1 }] });
    expect(fields(notSold)).toEqual(['lines.0.sku']);
    expect(await onHand(AO.sku)).toBe(9);
  });

  test('When the hat is exchanged for a bag, then the hat is back, the bag is issued, and revenue counts the new sale less the return', async () => {
    const swapped = await api(seller).post(
      `/api/v1/store/sales/${saleId}/returns`,
      {
        lines: [{ sku: NON.sku, qty: 1 }],
        exchange: { lines: [{ barcode: TUI.barcode, qty: 1 }], payment: { method: 'card', reference: 'POS-7781' } },
      },
      { 'Idempotency-Key': 'doi-non-lay-tui' },
    );
    expect(swapped.status).toBe(201);
    // The bag 200 000, less the hat's 80 000 credit: 120 000 by card, nothing refunded.
    expect(swapped.body.return).toMatchObject({ goods: 80000, refund: 0, credit: 80000 });
    expect(swapped.body.exchange).toMatchObject({
      status: 'paid',
      total: 200000,
      payment: { method: 'card', amount: 120000, exchangeCredit: 80000 },
    });
    expect(await onHand(NON.sku)).toBe(5);
    expect(await onHand(TUI.sku)).toBe(2);
    expect(await storeRevenue()).toBe(350000); // 230 000 − 80 000 + 200 000

    const retried = await api(seller).post(
      `/api/v1/store/sales/${saleId}/returns`,
      {
        lines: [{ sku: NON.sku, qty: 1 }],
        exchange: { lines: [{ barcode: TUI.barcode, qty: 1 }], payment: { method: 'card', reference: 'POS-7781' } },
      },
      { 'Idempotency-Key': 'doi-non-lay-tui' },
    );
    expect(retried.status).toBe(200);
    expect(retried.body.exchange.id).toBe(swapped.body.exchange.id);
    expect(await onHand(TUI.sku)).toBe(2);
    expect(await storeRevenue()).toBe(350000);
  });

  test('When the customer pays by transfer, then the sale carries a VietQR code of the amount with a valid CRC', async () => {
    const sold = await api(seller).post('/api/v1/store/sales', { lines: [{ sku: AO.sku, qty: 1 }], payment: { method: 'transfer' } });
    expect(sold.status).toBe(201);
    const { transfer } = sold.body.sale;
    expect(transfer).toMatchObject({ amount: 150000, bank: { bin: '970436', account: '0011001234567' } });
    const payload: string = transfer.payload;
    expect(payload.startsWith('000201010212')).toBe(true);
    expect(payload).toContain('0010A000000727');
    expect(payload).toContain('0006970436');
    expect(payload).toContain('5406150000');
    expect(payload.slice(-4)).toBe(crc16CcittFalse(payload.slice(0, -4)));
    expect(await storeRevenue()).toBe(500000);
  });
});

describe('a lead on the store channel', () => {
  test('When a lead arrives on store, then it runs the store sale process: a cart at the counter, paid once by checkout', async () => {
    const lead = await api(admin).post('/api/v1/leads', { channel: 'store', customer: { name: 'Chị Lan', phone: '0912345678' } });
    expect(lead.status).toBe(201);
    expect(lead.body.definition.name).toBe('store-sale');
    const cart = await api(seller).get(`/api/v1/store/sales/${lead.body.orderId}`);
    expect(cart.body).toMatchObject({
      status: 'cart',
      customer: { name: 'Chị Lan', phone: '0912345678' },
      definition: { name: 'store-sale' },
    });
    const order = await api(admin).get(`/api/v1/orders/${lead.body.orderId}`);
    expect(order.body).toMatchObject({ channel: 'store', definition: { name: 'store-sale' } });

    const checkout = { lines: [{ barcode: NON.barcode, qty: 2 }], payment: { method: 'cash' } };
    const paid = await api(seller).post(`/api/v1/store/sales/${lead.body.orderId}/checkout`, checkout);
    expect(paid.status).toBe(201);
    expect(paid.body.sale).toMatchObject({ status: 'paid', total: 160000, payment: { change: 0 } });
    expect(await onHand(NON.sku)).toBe(3);
    const twice = await api(seller).post(`/api/v1/store/sales/${lead.body.orderId}/checkout`, checkout);
    expect(twice.status).toBe(200);
    expect(await onHand(NON.sku)).toBe(3);
    expect(await storeRevenue()).toBe(660000);
    const other = await api(seller).post(`/api/v1/store/sales/${lead.body.orderId}/checkout`, {
      lines: [{ barcode: NON.barcode, qty: 1 }],
      payment: { method: 'cash' },
    });
    expect(other.status).toBe(409);
  });
});

describe('bad input at the counter', () => {
  test('When a barcode is unknown, a quantity is not positive, or the payment is wrong, then 4xx naming the field and nothing moves', async () => {
    const unknown = await api(seller).post('/api/v1/store/sales', {
      lines: [{ barcode: '0000000000000', qty: 1 }],
      payment: { method: 'cash' },
    });
    expect(unknown.status).toBe(422);
    expect(fields(unknown)).toEqual(['lines.0.barcode']);
    const scan = await api(seller).post('/api/v1/store/scans', { barcode: 'KHONG-CO' });
    expect(scan.status).toBe(422);
    expect(fields(scan)).toEqual(['barcode']);
    const zero = await api(seller).post('/api/v1/store/sales', { lines: [{ barcode: AO.barcode, qty: 0 }], payment: { method: 'cash' } });
    expect(zero.status).toBe(422);
    expect(fields(zero)).toContain('lines.0.qty');
    const method = await api(seller).post('/api/v1/store/sales', {
      lines: [{ barcode: AO.barcode, qty: 1 }],
      payment: { method: 'bitcoin' },
    });
    expect(method.status).toBe(422);
    expect(fields(method)).toContain('payment.method');
    const short = await api(seller).post('/api/v1/store/sales', {
      lines: [{ barcode: AO.barcode, qty: 1 }],
      payment: { method: 'cash', received: 100000 },
    });
    expect(short.status).toBe(422);
    expect(fields(short)).toEqual(['payment.received']);
    const tooMany = await api(seller).post('/api/v1/store/sales', {
      lines: [{ barcode: TUI.barcode, qty: 5 }],
      payment: { method: 'card' },
    });
    expect(tooMany.status).toBe(422);
    expect(fields(tooMany)).toEqual(['lines.0.qty']);
    const none = await api(seller).get('/api/v1/store/sales/DH000000-KHONGCO');
    expect(none.status).toBe(404);
    expect(await onHand(AO.sku)).toBe(8);
    expect(await onHand(TUI.sku)).toBe(2);
    expect(await storeRevenue()).toBe(660000);
  });

  test('When someone without store.sell calls the counter, then 403', async () => {
    const packer = await stack.createStaff(['warehouse']);
    expect((await api(packer).post('/api/v1/store/scans', { barcode: AO.barcode })).status).toBe(403);
  });
});
