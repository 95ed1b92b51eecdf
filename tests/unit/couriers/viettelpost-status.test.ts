import { VIETTELPOST_FINAL, VIETTELPOST_STATUS, viettelPostState } from '../../../activities/shipping/couriers/viettelpost-status';
import { outcomeOf, type ShipmentState } from '../../../activities/shipping/couriers/types';

/** Viettel Post's documented ORDER_STATUS codes and the state each must become. */
const EXPECTED: Array<[string, ShipmentState]> = [
  ['-100', 'created'],
  ['100', 'created'],
  ['101', 'cancelled'],
  ['102', 'created'],
  ['103', 'created'],
  ['104', 'picking'],
  ['105', 'picked'],
  ['107', 'cancelled'],
  ['200', 'picked'],
  ['201', 'cancelled'],
  ['202', 'in_transit'],
  ['300', 'in_transit'],
  ['400', 'in_transit'],
  ['500', 'delivering'],
  ['501', 'delivered'],
  ['502', 'returning'],
  ['503', 'cancelled'],
  ['504', 'returned'],
  ['505', 'delivery_failed'],
  ['506', 'delivery_failed'],
  ['507', 'delivering'],
  ['508', 'delivering'],
  ['509', 'in_transit'],
  ['515', 'returning'],
  ['550', 'delivering'],
];

describe('Viettel Post status mapping', () => {
  test.each(EXPECTED)('When Viettel Post reports ORDER_STATUS %s, then the shipment is %s', (code, state) => {
    expect(viettelPostState(code)).toBe(state);
    expect(viettelPostState(Number(code))).toBe(state);
  });

  test('When the table is read, then it holds exactly the documented codes, each with its Vietnamese name', () => {
    expect(Object.keys(VIETTELPOST_STATUS).sort()).toEqual(EXPECTED.map(([code]) => code).sort());
    for (const entry of Object.values(VIETTELPOST_STATUS)) expect(entry.name).toMatch(/\p{L}/u);
  });

  test('When a parcel reaches a final status, then the order hears a verdict, never "in transit"', () => {
    // 501 delivered, 504 returned; 101 refused, 107/201/503 cancelled: none leaves the order waiting.
    expect([...VIETTELPOST_FINAL].map((code) => outcomeOf(viettelPostState(code)))).toEqual(expect.not.arrayContaining(['in_transit']));
    expect(outcomeOf(viettelPostState('501'))).toBe('delivered');
    expect(outcomeOf(viettelPostState('504'))).toBe('returned');
    expect(outcomeOf(viettelPostState('505'))).toBe('failed');
  });

  test('When Viettel Post sends a code it has not documented, then it is unknown (recorded and alerted), not an error', () => {
    expect(viettelPostState('999')).toBe('unknown');
    expect(viettelPostState('__proto__')).toBe('unknown');
    expect(viettelPostState('constructor')).toBe('unknown');
    expect(viettelPostState('')).toBe('unknown');
  });
});
