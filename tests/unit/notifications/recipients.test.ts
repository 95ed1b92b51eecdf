import { inboxPayload, parseInboxPayload, scopeIsOwn } from '../../../db/notifications/recipients';
import { linkOf } from '../../../db/notifications/outbox';
import type { CompiledShop } from '../../../definitions/types';

const shop = {
  roles: {
    admin: { title: 'Quản trị', permissions: ['*'], scope: 'own' },
    manager: { title: 'Quản lý', permissions: ['tasks.read'], scope: 'all' },
    sales: { title: 'Kinh doanh', permissions: ['tasks.read'], scope: 'own' },
  },
} as unknown as CompiledShop;

describe('who a notification is for', () => {
  test('When a member holds only roles of scope own, then their scope is own; one role of scope all or * makes it all', () => {
    expect(scopeIsOwn(['sales'], shop)).toBe(true);
    expect(scopeIsOwn(['sales', 'manager'], shop)).toBe(false);
    expect(scopeIsOwn(['admin'], shop)).toBe(false);
    // A role the shop no longer has grants nothing, and `constructor` is no role.
    expect(scopeIsOwn(['gone', 'constructor'], shop)).toBe(true);
  });

  test('When the wake-up names inbox rows, then each stream reads back its own; too many for one payload wakes everyone', () => {
    const payload = inboxPayload([
      { staffId: 'stf_a', id: 7 },
      { staffId: 'stf_b', id: 8 },
      { staffId: 'stf_a', id: 9 },
    ]);
    expect(parseInboxPayload(payload)).toEqual(
      new Map([
        ['stf_a', [7, 9]],
        ['stf_b', [8]],
      ]),
    );
    const many = Array.from({ length: 1_000 }, (_, i) => ({ staffId: `stf_${i}`, id: i + 1 }));
    expect(inboxPayload(many)).toBe('*');
    expect(parseInboxPayload('*')).toBeUndefined();
    expect(parseInboxPayload('garbage,stf_x:12')).toEqual(new Map([['stf_x', [12]]]));
  });

  test('When a notification has a task, then it links to the task; else to its order, complaint, KPI page or stock', () => {
    expect(linkOf({ taskId: 'tsk_1', subject: { type: 'order', id: 'DH1' } })).toBe('/tasks/tsk_1');
    expect(linkOf({ subject: { type: 'order', id: 'DH 1' } })).toBe('/orders/DH%201');
    expect(linkOf({ subject: { type: 'complaint', id: 'KN1' } })).toBe('/complaints/KN1');
    expect(linkOf({ subject: { type: 'kpi_period', id: 'p' } })).toBe('/dashboard');
    expect(linkOf({ subject: { type: 'product', id: 'SKU' } })).toBe('/stock');
    expect(linkOf({})).toBeNull();
  });
});
