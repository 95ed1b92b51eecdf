/**
 * The timeline's dictionary: every status code each courier adapter maps, every shipment state
 * and every event type shopflow writes has Vietnamese and English words, and no code shows through.
 */
import { GHN_STATUS } from '../../../activities/shipping/couriers/ghn-status';
import { GHTK_STATUS } from '../../../activities/shipping/couriers/ghtk-status';
import { VIETTELPOST_STATUS } from '../../../activities/shipping/couriers/viettelpost-status';
import {
  COURIER_STATUS_WORDS,
  ORDER_EVENT_WORDS,
  SHIPMENT_STATE_WORDS,
  courierApiOf,
  courierStatusText,
  eventText,
  type Words,
} from '../../../definitions/orders/timeline-words';

const bothLanguages = (words: Words | undefined) =>
  !!words && words.vi.trim().length > 0 && words.en.trim().length > 0 && words.vi !== words.en;

/** Every event type the workflows, activities, data access and routes write on an order's timeline. */
const EVENT_TYPES = [
  'opened',
  'stage_entered',
  'stage_left',
  'shipment_created',
  'courier_status',
  'courier_partial_delivery',
  'partial_return_received',
  'order_ended',
  'activity_failed',
  'stock_short',
  'order_figures_changed',
  'packing_mismatch',
  'packing_override',
  'customer_reply',
  'customer_message',
  ...['opened', 'claimed', 'unclaimed', 'completed', 'escalated', 'reassigned', 'cancelled'].map((t) => `task_${t}`),
];

describe('timeline words', () => {
  it.each([
    ['ghn', Object.keys(GHN_STATUS)],
    ['ghtk', Object.keys(GHTK_STATUS)],
    ['viettelpost', Object.keys(VIETTELPOST_STATUS)],
  ] as const)('When %s sends any status its adapter maps, then the dictionary has it in Vietnamese and English', (courier, codes) => {
    const table = COURIER_STATUS_WORDS[courier];
    const missing = codes.filter((code) => !Object.hasOwn(table, code) || !bothLanguages(table[code]));
    expect(missing).toEqual([]);
    // And nothing the adapter does not know (a typo'd code would never be looked up).
    expect(Object.keys(table).filter((code) => !codes.includes(code))).toEqual([]);
  });

  it('When a shipment state or an event type is shown, then both languages have words for it', () => {
    const states = new Set([
      ...Object.values(GHN_STATUS),
      ...Object.values(GHTK_STATUS),
      ...Object.values(VIETTELPOST_STATUS).map((s) => s.state),
    ]);
    for (const state of [...states, 'unknown'])
      expect([state, bothLanguages(SHIPMENT_STATE_WORDS[state as keyof typeof SHIPMENT_STATE_WORDS])]).toEqual([state, true]);
    for (const type of EVENT_TYPES) expect([type, bothLanguages(ORDER_EVENT_WORDS[type])]).toEqual([type, true]);
  });

  it('When GHN reports ready_to_pick, then the clerk reads "Chờ lấy hàng" (English: "Waiting for pick-up"), never the code', () => {
    expect(courierStatusText('ghn', 'ready_to_pick', 'created', 'vi')).toBe('Chờ lấy hàng');
    expect(courierStatusText('ghn', 'ready_to_pick', 'created', 'en')).toBe('Waiting for pick-up');
    expect(courierStatusText('ghtk', 9, 'delivery_failed', 'vi')).toBe('Không giao được hàng');
    expect(courierStatusText('viettelpost', '501', 'delivered', 'en')).toBe('Delivered');
    // A shop's own courier id that names the API (ghn-hcm), and a code the courier adds later (its state's words).
    expect(courierApiOf('ghn-hcm')).toBe('ghn');
    expect(courierStatusText('ghn-hcm', 'DELIVERED', 'delivered', 'vi')).toBe('Giao hàng thành công');
    expect(courierStatusText('ghn', 'brand_new_code', 'in_transit', 'vi')).toBe('Đang vận chuyển');
    // Own entries only: a code such as "constructor" or "__proto__" is not a dictionary hit.
    expect(courierStatusText('ghn', 'constructor', 'unknown', 'vi')).toBe('Trạng thái chưa rõ');
  });

  it('When an event sentence is filled in, then every placeholder is replaced', () => {
    expect(eventText('stages_skipped', { n: 2, stages: 'Chăm sóc khách VIP, Chờ khách sỉ' }, 'vi')).toBe(
      'Bỏ qua 2 bước: Chăm sóc khách VIP, Chờ khách sỉ',
    );
    expect(eventText('stage_entered', { to: 'Xác nhận đơn' }, 'en')).toBe('Moved to «Xác nhận đơn»');
    expect(eventText('no_such_event', {}, 'vi')).toBeUndefined();
  });
});
