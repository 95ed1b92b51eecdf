import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinitionText } from '../../../definitions/loading/loader';
import { renderTemplate, replyData } from '../../../definitions/orders/customer-messages';
import type { CompiledOrderProcess } from '../../../definitions/types';
import { errorAt, errorsOf, orderText, ORDER_FILE, positionOf, shippedShop } from './helpers';

const shop = shippedShop();
const FILE = 'processes/test.yaml';
const load = (text: string) => loadDefinitionText(text, FILE, shop);
const fixture = readFileSync(join(__dirname, '../../fixtures/customer-messages.yaml'), 'utf8');
const compiled = (text: string) => {
  const result = load(text);
  if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
  return result.value as CompiledOrderProcess;
};

describe('customer messages in an order process', () => {
  it('When the shipped standard-order is loaded, then it sends tracking at hand-over, a delivered note and a confirmation at the confirm step for COD orders, ZNS first then SMS', () => {
    const result = loadDefinitionText(orderText(), ORDER_FILE, shop);
    if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
    const process = result.value as CompiledOrderProcess;
    expect(process.customerMessages).toEqual([
      { on: 'handover', template: 'tracking', channels: ['zns', 'sms'] },
      { on: 'delivered', template: 'delivered', channels: ['zns', 'sms'] },
      {
        on: 'stage',
        stage: 'confirm',
        when: { all: [{ field: 'order.codAmount', op: 'gt', value: 0 }], any: [] },
        template: 'order-confirmation',
        channels: ['zns', 'sms'],
        replies: {
          '1': { outcome: 'confirmed', data: { confirmedVia: '{{reply.channel}}' } },
          '2': { outcome: 'cancelled', data: { reason: 'changed-mind', note: 'Khách trả lời 2 (hủy) qua tin nhắn' } },
        },
      },
    ]);
    expect(process.messageTemplates?.tracking?.zns?.params).toMatchObject({
      tracking_code: '{{shipment.trackingCode}}',
      tracking_url: '{{shipment.trackingUrl}}',
    });
    expect(process.messageTemplates?.tracking?.sms).toMatch(
      /mã vận đơn \{\{shipment\.trackingCode\}\}\. Theo dõi: \{\{shipment\.trackingUrl\}\}/,
    );
    // The confirm stage itself runs only for risky orders, as before.
    expect(process.stages.confirm).toMatchObject({ kind: 'human', otherwise: 'pack' });
  });

  it('When a process declares no messages, then its snapshot has none (and is unchanged)', () => {
    const process = compiled(fixture.slice(0, fixture.indexOf('  messageTemplates:')));
    expect('customerMessages' in process).toBe(false);
    expect('messageTemplates' in process).toBe(false);
  });

  it('When a message names an unknown event, template or outcome, then each error has its position and says what is known', () => {
    const text = fixture
      .replace('{ on: handover, template: tracking', '{ on: handvoer, template: tracking')
      .replace('{ on: delivered, template: delivered', '{ on: delivered, template: delivred')
      .replace('"2": { outcome: cancelled', '"2": { outcome: cancelld');
    const errors = errorsOf(load(text));
    expect(errorAt(errors, 'spec.customerMessages[0].on')).toMatchObject({
      file: FILE,
      ...positionOf(text, 'handvoer'),
      message: expect.stringMatching(
        /^a message goes on "handover" or "delivered".*"handvoer" is none of these \(did you mean "handover"\?\) — choose: handover, delivered, close, confirm$/,
      ),
    });
    expect(errorAt(errors, 'spec.customerMessages[1].template')).toMatchObject({
      ...positionOf(text, 'delivred'),
      message:
        'unknown template "delivred" (did you mean "delivered"?) — templates in spec.messageTemplates: tracking, delivered, order-confirmation',
    });
    expect(errorAt(errors, 'spec.customerMessages[2].replies["2"].outcome')).toMatchObject({
      ...positionOf(text, 'outcome: cancelld,', 9),
      message: 'stage "confirm" has no outcome "cancelld" (did you mean "cancelled"?) — its outcomes: confirmed, cancelled',
    });
  });

  it('When a template has an unknown placeholder, a channel it lacks, or shipment facts before hand-over, then the admin is told at the place', () => {
    const text = fixture
      .replace('tracking_url: "{{shipment.trackingUrl}}"', 'tracking_url: "{{shipment.trackingUr}}"')
      .replace('cod_amount: "{{order.codAmount}}"', 'cod_amount: "{{shipment.trackingCode}}"')
      .replace('{ on: delivered, template: delivered, channels: [zns, sms] }', '{ on: delivered, template: delivered, channels: [sms] }')
      .replace('      sms: "{{shop.name}}: Đơn {{order.code}} đã giao thành công. Cảm ơn quý khách!"\n', '');
    const errors = errorsOf(load(text));
    expect(errorAt(errors, 'spec.messageTemplates.tracking.zns.params.tracking_url').message).toBe(
      'unknown placeholder {{shipment.trackingUr}} (did you mean "shipment.trackingUrl"?) — a template may say: {{customer.name}}, {{order.code}}, {{order.codAmount}}, {{order.total}}, {{shop.name}}, {{shipment.trackingCode}}, {{shipment.courier}}, {{shipment.trackingUrl}}',
    );
    expect(errorAt(errors, 'spec.customerMessages[1].channels').message).toBe(
      'template "delivered" has no sms text, so it cannot go by sms',
    );
    expect(errorAt(errors, 'spec.customerMessages[2].template').message).toBe(
      'template "order-confirmation" uses {{shipment.trackingCode}}, which is only known once the parcel is handed over, but this message goes when stage "confirm" opens',
    );
  });

  it('When a reply carries data its outcome’s form refuses, or replies are on a courier event, then the load fails with a sentence', () => {
    const text = fixture
      .replace('data: { confirmedVia: "{{reply.channel}}" }', 'data: { confirmedVia: fax }')
      .replace(
        '{ on: handover, template: tracking, channels: [zns, sms] }',
        '{ on: handover, template: tracking, replies: { "1": done } }',
      );
    const errors = errorsOf(load(text));
    expect(errorAt(errors, 'spec.customerMessages[2].replies["1"].data').message).toMatch(
      /^a reply "1" completes "confirmed" with data its form refuses: confirmedVia: "fax" is not allowed here/,
    );
    expect(errorAt(errors, 'spec.customerMessages[0].replies').message).toBe(
      'replies finish a human stage\'s task, so they need "on" to be that stage, not "handover"',
    );
  });

  it('When a template is sent twice or a channel is unknown, then it is refused', () => {
    const text = fixture.replace(
      '{ on: delivered, template: delivered, channels: [zns, sms] }',
      '{ on: delivered, template: tracking, channels: [zns, fax] }',
    );
    const errors = errorsOf(load(text));
    expect(errorAt(errors, 'spec.customerMessages[1].template').message).toMatch(
      /^template "tracking" is already sent by customerMessages\[0\]/,
    );
    expect(errors.some((e) => e.path === 'spec.customerMessages[1].channels[1]')).toBe(true);
  });

  it('When a template is rendered, then placeholders take the order’s values and a reply’s channel fills its data', () => {
    expect(
      renderTemplate('Đơn {{order.code}} mã {{ shipment.trackingCode }}{{unknown}}', {
        'order.code': 'DH1',
        'shipment.trackingCode': 'GHN9',
      }),
    ).toBe('Đơn DH1 mã GHN9');
    expect(replyData({ outcome: 'confirmed', data: { confirmedVia: '{{reply.channel}}', note: 'x' } }, 'sms')).toEqual({
      confirmedVia: 'sms',
      note: 'x',
    });
  });
});
