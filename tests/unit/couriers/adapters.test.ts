import {
  createCourierAdapter,
  createCourierAdapters,
  DEFAULT_SIMULATOR_SECRET,
  ghnOrderBody,
  ghtkOrderBody,
} from '../../../activities/shipping/couriers';
import { CourierError, type CreateShipmentRequest } from '../../../activities/shipping/couriers/types';
import type { CompiledShop } from '../../../definitions/types';
import { shippedShop } from '../definitions/helpers';

const request: CreateShipmentRequest = {
  orderCode: 'SO-3003',
  to: {
    name: 'Nguyễn Thị Lan',
    phone: '0912345678',
    address: '12 Lê Lợi',
    ward: 'Phường Bến Nghé',
    district: 'Quận 1',
    province: 'TP. Hồ Chí Minh',
    wardCode: '20308',
    districtId: 1442,
  },
  codAmount: 450000,
  value: 450000,
  weightGrams: 1200,
  lengthCm: 20,
  widthCm: 15,
  heightCm: 10,
  items: [
    { name: 'Áo thun', sku: 'AT-01', qty: 2, price: 150000 },
    { name: 'Mũ', qty: 1, price: 150000, weightGrams: 200 },
  ],
  note: 'Gọi trước khi giao [sim:late]',
};

describe('Courier adapters from shop.yaml', () => {
  test('When the shipped shop is read, then every enabled courier gets an adapter under its id', () => {
    const adapters = createCourierAdapters(shippedShop(), {});
    expect(Object.keys(adapters).sort()).toEqual(['ghn', 'ghtk', 'simulator']);
    expect(adapters.ghn!.id).toBe('ghn');
  });

  test('When a courier is disabled, then it gets no adapter', () => {
    const shop = shippedShop();
    const couriers = { ...shop.couriers, ghtk: { ...shop.couriers.ghtk!, enabled: false } };
    expect(Object.keys(createCourierAdapters({ ...shop, couriers } as CompiledShop, {})).sort()).toEqual(['ghn', 'simulator']);
  });

  test('When GHN has no credentials in the environment, then creating a shipment fails non-retryably, naming the variables', async () => {
    const ghn = createCourierAdapter(shippedShop().couriers.ghn!, {});
    const failure = await ghn.createShipment(request).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(CourierError);
    expect(failure).toMatchObject({ retryable: false });
    expect((failure as Error).message).toMatch(/GHN_TOKEN and GHN_SHOP_ID/);
  });

  test('When GHTK has a token but no pick-up address, then creating fails non-retryably, naming the variables', async () => {
    const ghtk = createCourierAdapter(shippedShop().couriers.ghtk!, { GHTK_TOKEN: 't' });
    await expect(ghtk.createShipment(request)).rejects.toThrow(/GHTK_PICK_ADDRESS_ID, or GHTK_PICK_NAME/);
  });

  test('When the simulator courier has no secret configured, then it accepts webhooks signed with the development default', () => {
    const sim = createCourierAdapter(shippedShop().couriers.simulator!, {});
    const body = { OrderCode: 'LABC', ClientOrderCode: 'SO-1', Status: 'picked', Time: '2024-05-01T00:00:00Z', Type: 'switch_status' };
    expect(sim.parseWebhook({ headers: { token: DEFAULT_SIMULATOR_SECRET }, query: {}, body })).toEqual([
      expect.objectContaining({ courier: 'simulator', state: 'picked' }),
    ]);
  });

  test('When COURIER_SIM_SECRET is set, then the simulator courier wants that secret and no other', () => {
    const sim = createCourierAdapter(shippedShop().couriers.simulator!, { COURIER_SIM_SECRET: 'from-env-secret' });
    const body = { OrderCode: 'LABC', Status: 'picked', Time: '2024-05-01T00:00:00Z' };
    expect(sim.parseWebhook({ headers: { token: 'from-env-secret' }, query: {}, body })).toHaveLength(1);
    expect(() => sim.parseWebhook({ headers: { token: DEFAULT_SIMULATOR_SECRET }, query: {}, body })).toThrow(/wrong token/);
  });
});

describe('Request bodies in the couriers’ shapes', () => {
  test('When a GHN order is built, then it carries GHN’s field names, grams and the shop’s service options', () => {
    const body = ghnOrderBody(request, { serviceTypeId: 2, paymentTypeId: 1, requiredNote: 'CHOXEMHANGKHONGTHU' });
    expect(body).toMatchObject({
      client_order_code: 'SO-3003',
      to_name: 'Nguyễn Thị Lan',
      to_phone: '0912345678',
      to_address: '12 Lê Lợi',
      to_ward_code: '20308',
      to_ward_name: 'Phường Bến Nghé',
      to_district_id: 1442,
      to_district_name: 'Quận 1',
      to_province_name: 'TP. Hồ Chí Minh',
      cod_amount: 450000,
      insurance_value: 450000,
      weight: 1200,
      length: 20,
      width: 15,
      height: 10,
      service_type_id: 2,
      payment_type_id: 1,
      required_note: 'CHOXEMHANGKHONGTHU',
      note: 'Gọi trước khi giao [sim:late]',
    });
    expect(body.items).toEqual([
      { name: 'Áo thun', code: 'AT-01', quantity: 2, price: 150000 },
      { name: 'Mũ', quantity: 1, price: 150000, weight: 200 },
    ]);
  });

  test('When a GHTK order is built, then it carries GHTK’s field names, kilograms and the pick-up address', () => {
    const body = ghtkOrderBody(
      request,
      { transport: 'road', pickOption: 'cod' },
      { name: 'Shop A', address: '1 Hai Bà Trưng', province: 'Hà Nội', district: 'Quận Hoàn Kiếm', tel: '0987654321' },
    );
    expect(body.order).toMatchObject({
      id: 'SO-3003',
      pick_name: 'Shop A',
      pick_address: '1 Hai Bà Trưng',
      pick_province: 'Hà Nội',
      pick_district: 'Quận Hoàn Kiếm',
      pick_tel: '0987654321',
      name: 'Nguyễn Thị Lan',
      tel: '0912345678',
      address: '12 Lê Lợi',
      province: 'TP. Hồ Chí Minh',
      district: 'Quận 1',
      ward: 'Phường Bến Nghé',
      hamlet: 'Khác',
      pick_money: 450000,
      value: 450000,
      total_weight: 1.2,
      transport: 'road',
      pick_option: 'cod',
      is_freeship: 1,
    });
    expect(body.products).toEqual([
      { name: 'Áo thun', weight: 0.4, quantity: 2, price: 150000, product_code: 'AT-01' },
      { name: 'Mũ', weight: 0.2, quantity: 1, price: 150000 },
    ]);
  });

  test('When the GHTK note is long, then it is cut to GHTK’s 120 characters', () => {
    const body = ghtkOrderBody({ ...request, note: 'x'.repeat(300) }, {}, { addressId: '88' });
    expect(((body.order as Record<string, unknown>).note as string).length).toBe(120);
  });
});
