import { GHN_STATUS, ghnState } from '../../../activities/shipping/couriers/ghn-status';
import { outcomeOf, type ShipmentState } from '../../../activities/shipping/couriers/types';

/** GHN's documented statuses and the state each must become. */
const EXPECTED: Array<[string, ShipmentState]> = [
  ['ready_to_pick', 'created'],
  ['picking', 'picking'],
  ['money_collect_picking', 'picking'],
  ['picked', 'picked'],
  ['storing', 'in_transit'],
  ['transporting', 'in_transit'],
  ['sorting', 'in_transit'],
  ['delivering', 'delivering'],
  ['money_collect_delivering', 'delivering'],
  ['delivered', 'delivered'],
  ['delivery_fail', 'delivery_failed'],
  ['waiting_to_return', 'returning'],
  ['return', 'returning'],
  ['return_transporting', 'returning'],
  ['return_sorting', 'returning'],
  ['returning', 'returning'],
  ['return_fail', 'return_failed'],
  ['returned', 'returned'],
  ['cancel', 'cancelled'],
  ['exception', 'exception'],
  ['damage', 'damaged'],
  ['lost', 'lost'],
];

describe('GHN status mapping', () => {
  test.each(EXPECTED)('When GHN reports "%s", then the shipment is %s', (status, state) => {
    expect(ghnState(status)).toBe(state);
  });

  test('When the table is read, then it holds exactly the documented statuses', () => {
    expect(Object.keys(GHN_STATUS).sort()).toEqual(EXPECTED.map(([s]) => s).sort());
  });

  test('When GHN sends a status it never documented, then it is unknown (not an error, not dropped)', () => {
    expect(ghnState('teleported')).toBe('unknown');
    expect(ghnState('')).toBe('unknown');
    expect(ghnState('constructor')).toBe('unknown'); // not an Object.prototype key
    expect(ghnState('toString')).toBe('unknown');
  });

  test('When GHN writes a status with other casing or spaces, then it still maps', () => {
    expect(ghnState(' Delivered ')).toBe('delivered');
  });

  test('When a parcel is delivered, returned or lost, then the order gets its verdict; otherwise it waits', () => {
    expect(outcomeOf(ghnState('delivered'))).toBe('delivered');
    expect(outcomeOf(ghnState('returned'))).toBe('returned');
    expect(outcomeOf(ghnState('lost'))).toBe('failed');
    expect(outcomeOf(ghnState('return_fail'))).toBe('in_transit');
    expect(outcomeOf(ghnState('waiting_to_return'))).toBe('in_transit');
  });
});
