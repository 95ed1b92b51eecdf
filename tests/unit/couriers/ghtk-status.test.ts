import { GHTK_REASONS, GHTK_STATUS, ghtkState } from '../../../activities/shipping/couriers/ghtk-status';
import { outcomeOf, type ShipmentState } from '../../../activities/shipping/couriers/types';

/** GHTK's documented status_ids (order statuses, then shippers' own reports) and their states. */
const EXPECTED: Array<[string, ShipmentState]> = [
  ['-1', 'cancelled'],
  ['1', 'created'],
  ['2', 'created'],
  ['3', 'picked'],
  ['4', 'delivering'],
  ['5', 'delivered'],
  ['6', 'delivered'],
  ['7', 'exception'],
  ['8', 'picking'],
  ['9', 'delivery_failed'],
  ['10', 'delivering'],
  ['11', 'returned'],
  ['12', 'picking'],
  ['13', 'lost'],
  ['20', 'returning'],
  ['21', 'returned'],
  ['123', 'picked'],
  ['127', 'picking'],
  ['128', 'picking'],
  ['45', 'delivering'],
  ['49', 'delivering'],
  ['410', 'delivering'],
];

describe('GHTK status mapping', () => {
  test.each(EXPECTED)('When GHTK reports status_id %s, then the shipment is %s', (statusId, state) => {
    expect(ghtkState(statusId)).toBe(state);
  });

  test('When the table is read, then it holds exactly the documented status_ids', () => {
    expect(Object.keys(GHTK_STATUS).sort()).toEqual(EXPECTED.map(([s]) => s).sort());
  });

  test('When the status_id arrives as a number, then it maps like its text', () => {
    expect(ghtkState(5)).toBe('delivered');
    expect(ghtkState(-1)).toBe('cancelled');
  });

  test('When GHTK sends a status_id it never documented, then it is unknown (not an error, not dropped)', () => {
    expect(ghtkState('99')).toBe('unknown');
    expect(ghtkState('')).toBe('unknown');
    expect(ghtkState('toString')).toBe('unknown');
  });

  test('When a shipper only claims a delivery or a failure (45, 49), then the order does not end on it', () => {
    expect(outcomeOf(ghtkState('45'))).toBe('in_transit');
    expect(outcomeOf(ghtkState('49'))).toBe('in_transit');
  });

  test('When pick-up failed because the shop or its system cancelled (112, 115), then the shipment is cancelled', () => {
    expect(ghtkState('7', '112')).toBe('cancelled');
    expect(ghtkState('7', '115')).toBe('cancelled');
    expect(ghtkState('7', '110')).toBe('exception'); // out of the service area: staff must act
    expect(ghtkState('7')).toBe('exception');
  });

  test('When delivery failed because the shop cancelled (133, 135), then the parcel is returning, not a failed delivery', () => {
    expect(ghtkState('9', '133')).toBe('returning');
    expect(ghtkState('9', '135')).toBe('returning');
    expect(ghtkState('9', '131')).toBe('delivery_failed'); // customer unreachable 3 times
    expect(outcomeOf(ghtkState('9', '130'))).toBe('failed');
  });

  test('When a reason code belongs to another status, then it changes nothing', () => {
    expect(ghtkState('5', '112')).toBe('delivered');
    expect(ghtkState('4', '133')).toBe('delivering');
  });

  test('When the reason table is read, then every documented group is there', () => {
    for (const code of ['100', '107', '110', '115', '120', '129', '1200', '130', '135', '140', '144']) {
      expect(GHTK_REASONS[code]).toEqual(expect.any(String));
    }
  });
});
