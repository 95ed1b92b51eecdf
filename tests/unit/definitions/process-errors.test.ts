import { loadDefinitionText } from '../../../definitions/loading/loader';
import { CLOSE_AND_DONE, errorAt, errorsOf, positionOf, processYaml, shippedShop } from './helpers';

const shop = shippedShop();
const FILE = 'processes/test.yaml';
const load = (text: string) => loadDefinitionText(text, FILE, shop);

describe('loading a process definition with mistakes', () => {
  it('When the minimal process is valid, then it loads', () => {
    const result = load(processYaml(CLOSE_AND_DONE));
    expect(result.ok).toBe(true);
  });

  it('When the YAML is malformed, then the error gives the line and column of the syntax problem', () => {
    const text = processYaml(`    - id: close
      kind: human
     role: sales
`);
    const [error] = errorsOf(load(text));
    expect(error).toMatchObject({ file: FILE, path: '', line: positionOf(text, '     role: sales').line, col: 1 });
    expect(error.message).toMatch(/^YAML syntax: /);
  });

  it('When a value has the wrong type, then the error says what was expected, with its position', () => {
    const text = processYaml(CLOSE_AND_DONE.replace('sla: 2s', 'sla: 30').replace('title: "Chốt đơn"', 'title: [a]'));
    const errors = errorsOf(load(text));
    expect(errorAt(errors, 'spec.stages[0].sla')).toMatchObject({
      ...positionOf(text, 'sla: 30', 5),
      message: 'must be text, not the number 30',
    });
    expect(errorAt(errors, 'spec.stages[0].title').message).toBe('must be text, not a list');
  });

  it('When a stage has an unknown key, then the error points at the key and suggests the right one', () => {
    const text = processYaml(CLOSE_AND_DONE.replace('sla: 2s', 'sla: 2s\n      rol: sales'));
    const error = errorAt(errorsOf(load(text)), 'spec.stages[0].rol');
    expect(error).toMatchObject(positionOf(text, 'rol: sales'));
    expect(error.message).toMatch(/^unknown key "rol" \(did you mean "role"\?\) — allowed here: id, kind, title/);
  });

  it('When a top-level key is unknown, then it is reported too', () => {
    const text = processYaml(CLOSE_AND_DONE).replace('spec:', 'extra: 1\nspec:');
    expect(errorAt(errorsOf(load(text)), 'extra')).toMatchObject(positionOf(text, 'extra: 1'));
  });

  it('When an outcome leads to a stage that does not exist, then the error names it and suggests the closest', () => {
    const text = processYaml(CLOSE_AND_DONE.replace('on: { closed: done }', 'on: { closed: dnoe }'));
    const error = errorAt(errorsOf(load(text)), 'spec.stages[0].on.closed');
    expect(error).toMatchObject(positionOf(text, 'dnoe'));
    expect(error.message).toBe('outcome "closed" leads to stage "dnoe", which does not exist (did you mean "done"?) — stages: close, done');
  });

  it('When start or otherwise name a missing stage, then each is reported', () => {
    const text = processYaml(
      CLOSE_AND_DONE.replace('sla: 2s', 'sla: 2s\n      when: { order.total: { gt: 0 } }\n      otherwise: nowhere'),
      'begin',
    );
    const errors = errorsOf(load(text));
    expect(errorAt(errors, 'spec.start').message).toMatch(/^start stage "begin" does not exist/);
    expect(errorAt(errors, 'spec.stages[0].otherwise')).toMatchObject({ ...positionOf(text, 'nowhere') });
  });

  it('When a stage cannot be reached from the start, then it is reported at its id', () => {
    const text = processYaml(`${CLOSE_AND_DONE}    - id: orphan
      kind: human
      role: cskh
      title: "Mồ côi"
      sla: 1h
      on: { ok: done }
`);
    const error = errorAt(errorsOf(load(text)), 'spec.stages[2].id');
    expect(error).toMatchObject(positionOf(text, 'orphan'));
    expect(error.message).toMatch(/^stage "orphan" can never be reached/);
  });

  it('When stages loop with no way out, then each stage in the loop is reported as never ending', () => {
    const text = processYaml(`    - id: close
      kind: human
      role: sales
      title: "Chốt"
      sla: 1h
      on: { closed: confirm, lost: done }
    - id: confirm
      kind: human
      role: cskh
      title: "Xác nhận"
      sla: 1h
      on: { again: recheck }
    - id: recheck
      kind: human
      role: cskh
      title: "Kiểm tra lại"
      sla: 1h
      on: { back: confirm }
    - { id: done, kind: end, title: "Xong", result: completed }
`);
    const errors = errorsOf(load(text));
    expect(errors.map((e) => e.path)).toEqual(['spec.stages[1].id', 'spec.stages[2].id']);
    expect(errors[0].message).toMatch(/^stage "confirm" never leads to an end stage/);
  });

  it('When a loop has an exit, then it is allowed (redelivery goes back to shipping)', () => {
    const text = processYaml(`    - id: close
      kind: human
      role: sales
      title: "Chốt"
      sla: 1h
      on: { closed: ship }
    - id: ship
      kind: courier
      title: "Giao"
      courier: simulator
      deliverySla: 2s
      on: { delivered: done, failed: call, returned: done }
    - id: call
      kind: human
      role: cskh
      title: "Gọi khách"
      sla: 2s
      on: { redeliver: ship, return: done }
    - { id: done, kind: end, title: "Xong", result: completed }
`);
    expect(load(text).ok).toBe(true);
  });

  it('When stages skip into each other without waiting, then the endless loop is reported', () => {
    const text = processYaml(`${CLOSE_AND_DONE}    - id: ping
      kind: notify
      title: "Ping"
      notify: [sales]
      message: "ping"
      next: pong
    - id: pong
      kind: human
      role: sales
      title: "Pong"
      sla: 1h
      when: { order.total: { gt: 0 } }
      otherwise: ping
      on: { ok: done }
`).replace('on: { closed: done }', 'on: { closed: ping }');
    const error = errorAt(errorsOf(load(text)), 'spec.stages[2].id');
    expect(error.message).toMatch(/^stages ping → pong → ping pass the order along without waiting/);
  });

  it('When there is no end stage, then that is reported once', () => {
    const text = processYaml(`    - id: close
      kind: human
      role: sales
      title: "Chốt"
      sla: 1h
      on: { closed: again }
    - id: again
      kind: human
      role: sales
      title: "Lại"
      sla: 1h
      on: { closed: close }
`);
    expect(errorsOf(load(text))).toEqual([
      expect.objectContaining({ path: 'spec.stages', message: expect.stringMatching(/no end stage/) }),
    ]);
  });

  it('When a role does not exist, then the message lists the known roles and suggests one', () => {
    const text = processYaml(CLOSE_AND_DONE.replace('role: sales', 'role: warehous'));
    const error = errorAt(errorsOf(load(text)), 'spec.stages[0].role');
    expect(error).toMatchObject({ file: FILE, ...positionOf(text, 'warehous') });
    expect(error.message).toBe(
      'unknown role "warehous" (did you mean "warehouse"?) — known roles: admin, manager, sales-lead, sales, store-sales, marketing, cskh, warehouse-lead, warehouse, accounting',
    );
  });

  it('When a task goes to a role that cannot complete tasks, then it is reported', () => {
    const text = processYaml(CLOSE_AND_DONE.replace('role: sales', 'role: marketing'));
    expect(errorAt(errorsOf(load(text)), 'spec.stages[0].role').message).toMatch(/cannot complete tasks/);
  });

  it('When a channel, segment or courier does not exist, then each is reported with the known names', () => {
    const text = processYaml(`    - id: close
      kind: human
      role: sales
      title: "Chốt"
      sla: 1h
      when: { order.channel: [facebok], customer.segment: vipp }
      otherwise: ship
      on: { closed: ship }
    - id: ship
      kind: courier
      title: "Giao"
      courier: { rules: [ { when: { order.total: { gt: 1 } }, use: ghm } ], default: viettel }
      deliverySla: 3d
      on: { delivered: done, failed: done, returned: done }
    - { id: done, kind: end, title: "Xong", result: completed }
`);
    const errors = errorsOf(load(text));
    expect(errorAt(errors, 'spec.stages[0].when["order.channel"][0]').message).toBe(
      'unknown channel "facebok" (did you mean "facebook"?) — known channels: facebook, zalo, tiktok, shopee, website, store, shopify, haravan',
    );
    expect(errorAt(errors, 'spec.stages[0].when["customer.segment"]').message).toMatch(
      /^unknown segment "vipp" \(did you mean "vip"\?\) — known segments: vip, wholesale, loyal, new/,
    );
    expect(errorAt(errors, 'spec.stages[1].courier.rules[0].use')).toMatchObject({
      ...positionOf(text, 'ghm'),
      message: 'unknown courier "ghm" (did you mean "ghn"?) — known couriers: ghn, ghtk, viettelpost, simulator',
    });
    expect(errorAt(errors, 'spec.stages[1].courier.default').message).toMatch(/^unknown courier "viettel"/);
  });

  it('When a courier is disabled in the shop, then shipping with it is reported', () => {
    const disabled = { ...shop, couriers: { ...shop.couriers, ghtk: { ...shop.couriers.ghtk, enabled: false } } };
    const text = processYaml(`    - id: close
      kind: courier
      title: "Giao"
      courier: ghtk
      deliverySla: 3d
      on: { delivered: done, failed: done, returned: done }
    - { id: done, kind: end, title: "Xong", result: completed }
`);
    const errors = errorsOf(loadDefinitionText(text, FILE, disabled));
    expect(errorAt(errors, 'spec.stages[0].courier').message).toMatch(/is disabled in shop\.yaml/);
  });

  it('When durations are negative, zero or unparsable, then each gets a message an admin understands', () => {
    const text = processYaml(`    - id: close
      kind: human
      role: sales
      title: "Chốt"
      sla: -5m
      escalate: [ { after: soon, notify: [manager] } ]
      on: { closed: wait }
    - id: wait
      kind: wait
      title: "Chờ"
      duration: 0s
      next: done
    - { id: done, kind: end, title: "Xong", result: completed }
`);
    const errors = errorsOf(load(text));
    expect(errorAt(errors, 'spec.stages[0].sla')).toMatchObject({
      ...positionOf(text, '-5m'),
      message: '"-5m" is negative — a duration must be longer than zero',
    });
    expect(errorAt(errors, 'spec.stages[0].escalate[0].after').message).toMatch(/^"soon" is not a duration — write it like 45s, 30m, 2h/);
    expect(errorAt(errors, 'spec.stages[1].duration').message).toMatch(/is zero/);
  });

  it('When escalation steps do not get later, then the step out of order is reported', () => {
    const text = processYaml(
      CLOSE_AND_DONE.replace(
        'sla: 2s',
        `sla: 2s
      escalate:
        - { after: 2h, notify: [sales-lead] }
        - { after: 30m, reassign: manager }
        - { after: 30m, priority: high }`,
      ),
    );
    const errors = errorsOf(load(text));
    expect(errorAt(errors, 'spec.stages[0].escalate[1].after')).toMatchObject({
      ...positionOf(text, 'after: 30m', 7),
      message: 'escalation steps must get later: step 2 is after 30m, but step 1 is already after 2h',
    });
    expect(errorAt(errors, 'spec.stages[0].escalate[2].after').message).toMatch(/step 3 is after 30m, but step 2 is already after 30m/);
  });

  it('When an escalation step does nothing, or a courier stage tries to reassign, then it is reported', () => {
    const text = processYaml(`    - id: close
      kind: courier
      title: "Giao"
      courier: ghn
      deliverySla: 3d
      escalate: [ { after: 1d }, { after: 2d, reassign: cskh } ]
      on: { delivered: done, failed: done, returned: done }
    - { id: done, kind: end, title: "Xong", result: completed }
`);
    const errors = errorsOf(load(text));
    expect(errorAt(errors, 'spec.stages[0].escalate[0]').message).toMatch(/does nothing/);
    expect(errorAt(errors, 'spec.stages[0].escalate[1].reassign')).toMatchObject({
      ...positionOf(text, 'reassign'),
      message: expect.stringMatching(/^a courier stage has no open task to reassign/),
    });
  });

  it('When a form is not a valid JSON Schema, then the error points inside the form', () => {
    const text = processYaml(
      CLOSE_AND_DONE.replace(
        'sla: 2s',
        `sla: 2s
      form:
        type: object
        properties:
          qty: { type: integr, minimum: 1 }`,
      ),
    );
    const error = errorAt(errorsOf(load(text)), 'spec.stages[0].form.properties.qty.type');
    expect(error).toMatchObject(positionOf(text, 'integr'));
    expect(error.message).toMatch(/^"integr" is not allowed here \(did you mean "integer"\?\) — allowed: array, boolean, integer/);
  });

  it('When a form has a misspelt keyword or is not an object schema, then it is reported', () => {
    const text = processYaml(
      CLOSE_AND_DONE.replace(
        'sla: 2s',
        `sla: 2s
      form:
        type: object
        properties: { phone: { type: string } }
        requried: [phone]`,
      ).replace('on: { closed: done }', 'on: { closed: done, lost: { to: done, form: { type: string } } }'),
    );
    const errors = errorsOf(load(text));
    expect(errorAt(errors, 'spec.stages[0].form.requried')).toMatchObject({
      ...positionOf(text, 'requried'),
      message: '"requried" is not a JSON Schema keyword (did you mean "required"?)',
    });
    expect(errorAt(errors, 'spec.stages[0].on.lost.form.type').message).toMatch(/must have type: object/);
  });

  it('When a form requires a field it does not define, then the required entry is reported with a suggestion', () => {
    const text = processYaml(
      CLOSE_AND_DONE.replace(
        'sla: 2s',
        `sla: 2s
      form:
        type: object
        required: [phnoe]
        properties:
          phone: { type: string }`,
      ),
    );
    const errors = errorsOf(load(text));
    expect(errorAt(errors, 'spec.stages[0].form.required[0]')).toMatchObject({
      ...positionOf(text, 'phnoe'),
      message: '"phnoe" is required but is not one of the properties (did you mean "phone"?) — properties: phone',
    });
  });

  it('When a form uses an unknown format, then the format is pointed at', () => {
    const text = processYaml(
      CLOSE_AND_DONE.replace(
        'sla: 2s',
        `sla: 2s
      form: { type: object, properties: { phone: { type: string, format: phone } } }`,
      ),
    );
    const error = errorAt(errorsOf(load(text)), 'spec.stages[0].form.properties.phone.format');
    expect(error).toMatchObject({
      ...positionOf(text, 'phone }'),
      message: expect.stringMatching(/^unknown format "phone" — known formats: date/),
    });
  });

  it('When a form requires one of several fields through anyOf, then it is accepted', () => {
    const text = processYaml(
      CLOSE_AND_DONE.replace(
        'sla: 2s',
        `sla: 2s
      form:
        type: object
        properties: { phone: { type: string }, zalo: { type: string } }
        anyOf: [ { required: [phone] }, { required: [zalo] } ]`,
      ),
    );
    expect(load(text).ok).toBe(true);
  });

  it('When a when uses an unknown field or operator, then the error suggests the right one', () => {
    const text = processYaml(
      CLOSE_AND_DONE.replace(
        'sla: 2s',
        `sla: 2s
      when: { customer.segmnt: [vip], order.codAmount: { gtt: 5 } }
      otherwise: done`,
      ),
    );
    const errors = errorsOf(load(text));
    expect(errorAt(errors, 'spec.stages[0].when["customer.segmnt"]')).toMatchObject({
      ...positionOf(text, 'customer.segmnt'),
      message: expect.stringMatching(
        /^unknown key "customer.segmnt" \(did you mean "customer.segment"\?\) — allowed here: customer.segment, customer.returnRate/,
      ),
    });
    expect(errorAt(errors, 'spec.stages[0].when["order.codAmount"].gtt').message).toMatch(
      /^unknown key "gtt" \(did you mean "gt"\?\) — allowed here: eq, ne, in, notIn, gt, gte, lt, lte$/,
    );
  });

  it('When a when compares the wrong kind of value, then it is reported', () => {
    const text = processYaml(
      CLOSE_AND_DONE.replace(
        'sla: 2s',
        `sla: 2s
      when: { customer.segment: { gt: 3 }, order.codAmount: [big], customer.isReturning: "yes" }
      otherwise: done`,
      ),
    );
    const errors = errorsOf(load(text));
    expect(errorAt(errors, 'spec.stages[0].when["customer.segment"].gt').message).toMatch(
      /"gt" compares numbers, but customer.segment is text/,
    );
    expect(errorAt(errors, 'spec.stages[0].when["order.codAmount"][0]').message).toMatch(
      /order.codAmount is a number, so compare it with a number, not "big"/,
    );
    expect(errorAt(errors, 'spec.stages[0].when["customer.isReturning"]').message).toMatch(/true or false/);
  });

  it('When when comes without otherwise (or the reverse), then the missing half is reported', () => {
    const text = processYaml(CLOSE_AND_DONE.replace('sla: 2s', 'sla: 2s\n      when: { order.total: { gt: 0 } }'));
    expect(errorAt(errorsOf(load(text)), 'spec.stages[0].when').message).toMatch(/needs "otherwise"/);
  });

  it('When stage ids repeat, then the second is reported', () => {
    const text = processYaml(`${CLOSE_AND_DONE}    - { id: done, kind: end, title: "Lại", result: lost }\n`);
    expect(errorAt(errorsOf(load(text)), 'spec.stages[2].id').message).toBe(
      'stage id "done" is already used by stages[1] — stage ids must be unique',
    );
  });

  it('When a stage kind is misspelt, then the allowed kinds are listed', () => {
    const text = processYaml(`${CLOSE_AND_DONE}    - { id: extra, kind: humna }\n`);
    expect(errorAt(errorsOf(load(text)), 'spec.stages[2].kind').message).toBe(
      '"humna" is not allowed here (did you mean "human"?) — allowed: human, courier, wait, notify, end',
    );
  });

  it('When a required key is missing, then the error names it and points at the stage', () => {
    const text = processYaml(CLOSE_AND_DONE.replace('      sla: 2s\n', ''));
    const error = errorAt(errorsOf(load(text)), 'spec.stages[0].sla');
    expect(error).toMatchObject(positionOf(text, 'id: close'));
    expect(error.message).toMatch(/^missing required key "sla"/);
  });

  it('When a file has several mistakes, then all are reported at once, in file order', () => {
    const text = processYaml(`    - id: close
      kind: human
      role: warehous
      title: "Chốt"
      sla: -5m
      colour: red
      escalate: [ { after: 2h, notify: [manager] }, { after: 1h, notify: [manager] } ]
      on: { closed: nowhere }
    - { id: done, kind: end, title: "Xong", result: finished }
`);
    const errors = errorsOf(load(text));
    expect(errors.map((e) => e.path)).toEqual([
      'spec.stages[0].role',
      'spec.stages[0].sla',
      'spec.stages[0].colour',
      'spec.stages[0].escalate[1].after',
      'spec.stages[0].on.closed',
      'spec.stages[1].result',
    ]);
    expect(errors.map((e) => e.line)).toEqual([...errors.map((e) => e.line)].sort((a, b) => a - b));
    expect(errors.every((e) => e.file === FILE && e.line > 0 && e.col > 0)).toBe(true);
  });

  it('When the kind is not a process kind, then that is the error', () => {
    const text = processYaml(CLOSE_AND_DONE).replace('kind: OrderProcess', 'kind: OrderProces');
    const error = errorAt(errorsOf(load(text)), 'kind');
    expect(error).toMatchObject(positionOf(text, 'OrderProces'));
    expect(error.message).toMatch(/\(did you mean "OrderProcess"\?\)/);
  });

  it('When a shop file is given as a process, then it is refused', () => {
    const text = 'apiVersion: shopflow/v1\nkind: Shop\n';
    expect(errorAt(errorsOf(load(text)), 'kind').message).toMatch(/belongs in shop\.yaml/);
  });

  it('When the file holds several YAML documents, then it is refused at the second one', () => {
    const text = `${processYaml(CLOSE_AND_DONE)}---\napiVersion: shopflow/v1\n`;
    const [error] = errorsOf(load(text));
    expect(error).toMatchObject({ ...positionOf(text, '---'), message: expect.stringMatching(/2 YAML documents/) });
  });

  it('When the file is larger than 256 KiB, then it is refused without parsing', () => {
    const text = `${processYaml(CLOSE_AND_DONE)}# ${'x'.repeat(256 * 1024)}\n`;
    expect(errorsOf(load(text))).toEqual([
      {
        file: FILE,
        line: 1,
        col: 1,
        path: '',
        message: expect.stringMatching(/^the file is 257 KiB; definition files are limited to 256 KiB/),
      },
    ]);
  });

  it('When the file is empty, then that is the error', () => {
    expect(errorsOf(load('# nothing yet\n'))[0].message).toMatch(/the file is empty/);
  });
});
