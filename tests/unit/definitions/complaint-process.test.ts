import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinitionText } from '../../../definitions/loading/loader';
import type { CompiledComplaintProcess } from '../../../definitions/types';
import { DEFINITIONS_DIR, errorAt, errorsOf, positionOf, shippedShop } from './helpers';

const shop = shippedShop();
const FILE = 'processes/complaint-test.yaml';
const load = (text: string) => loadDefinitionText(text, FILE, shop);

/** A small valid complaint process; tests break one thing at a time. */
const VALID = `apiVersion: shopflow/v1
kind: ComplaintProcess
metadata: { name: test-complaint, title: "Khiếu nại (test)" }
spec:
  categories:
    - { id: damaged, title: "Hàng hư hỏng" }
    - { id: other, title: "Khác" }
  intake:
    role: cskh
    title: "Xử lý khiếu nại"
    sla: 2s
    escalate:
      - { after: 2s, notify: [manager] }
      - { after: 3s, reassign: manager, priority: urgent }
  outcomes:
    - id: resend
      title: "Gửi lại"
      result: resolved
      followUp: { role: warehouse, title: "Gửi lại hàng", sla: 1d }
    - id: reject
      title: "Từ chối"
      result: rejected
      form:
        type: object
        required: [reason]
        properties:
          reason: { type: string, minLength: 3 }
`;

describe('loading a ComplaintProcess', () => {
  test("When the shipped complaint.yaml is loaded, then it compiles with its categories, SLA, ladder and each outcome's follow-up", () => {
    const text = readFileSync(join(DEFINITIONS_DIR, 'processes/complaint.yaml'), 'utf8');
    const result = load(text);
    if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
    const process = result.value as CompiledComplaintProcess;
    expect(process).toMatchObject({ kind: 'ComplaintProcess', name: 'standard-complaint' });
    expect(process.intake).toMatchObject({ role: 'cskh', slaMs: 86_400_000, clock: 'business', priority: 'high' });
    expect(process.intake.escalate.map((s) => s.afterMs)).toEqual([4 * 3_600_000, 86_400_000, 2 * 86_400_000]);
    expect(process.outcomes.map((o) => [o.name, o.result, o.followUp?.role ?? null])).toEqual([
      ['refund', 'resolved', 'accounting'],
      ['resend', 'resolved', 'warehouse'],
      ['exchange', 'resolved', 'warehouse'],
      ['courier-claim', 'resolved', 'warehouse-lead'],
      ['reject', 'rejected', null],
    ]);
    expect(process.outcomes.find((o) => o.name === 'reject')!.form).toMatchObject({ required: expect.arrayContaining(['reason']) });
    expect(process.workingHours.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(result.summary.text).toMatch(/^ComplaintProcess standard-complaint .*5 outcomes/);
  });

  test('When the small process is valid, then an outcome without its own form takes the intake form', () => {
    const result = load(VALID);
    if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
    const process = result.value as CompiledComplaintProcess;
    expect(process.outcomes[0]).toMatchObject({
      name: 'resend',
      form: { type: 'object' },
      followUp: { role: 'warehouse', slaMs: 86_400_000, priority: 'normal', clock: 'calendar' },
    });
  });

  test('When two outcomes share an id, then the second is reported at its position', () => {
    const text = VALID.replace('    - id: reject', '    - id: resend');
    const error = errorAt(errorsOf(load(text)), 'spec.outcomes[1].id');
    const second = text.slice(0, text.lastIndexOf('- id: resend') + '- id: '.length).split('\n');
    expect(error).toMatchObject({ file: FILE, line: second.length, col: second[second.length - 1]!.length + 1 });
    expect(error.message).toBe('outcome id "resend" is already used by outcomes[0] — outcome ids must be unique');
  });

  test('When a role does not exist or cannot complete tasks, then each is reported with the role list', () => {
    const text = VALID.replace('role: warehouse,', 'role: warehous,').replace('    role: cskh', '    role: marketing');
    const errors = errorsOf(load(text));
    expect(errorAt(errors, 'spec.outcomes[0].followUp.role')).toMatchObject({
      ...positionOf(text, 'warehous,'),
      message: expect.stringMatching(/^unknown role "warehous" \(did you mean "warehouse"\?\)/),
    });
    expect(errorAt(errors, 'spec.intake.role').message).toMatch(/role "marketing" cannot complete tasks/);
  });

  test('When a duration does not parse or the ladder goes back in time, then both are reported where they are written', () => {
    const text = VALID.replace('sla: 1d }', 'sla: 1 day }').replace('{ after: 3s, reassign', '{ after: 1s, reassign');
    const errors = errorsOf(load(text));
    expect(errorAt(errors, 'spec.outcomes[0].followUp.sla')).toMatchObject(positionOf(text, '1 day'));
    expect(errorAt(errors, 'spec.intake.escalate[1].after')).toMatchObject({
      ...positionOf(text, '1s, reassign'),
      message: 'escalation steps must get later: step 2 is after 1s, but step 1 is already after 2s',
    });
  });

  test('When a rejecting outcome does not ask for a reason, then it is an error; and it may not have a follow-up', () => {
    const text = VALID.replace('required: [reason]', 'required: []').replace(
      '      result: rejected\n',
      '      result: rejected\n      followUp: { role: cskh, title: "x", sla: 1h }\n',
    );
    const errors = errorsOf(load(text));
    expect(errorAt(errors, 'spec.outcomes[1].form').message).toBe(
      'a rejecting outcome must ask why: give it a form with a "reason" property listed in required',
    );
    expect(errorAt(errors, 'spec.outcomes[1].followUp')).toMatchObject({
      ...positionOf(text, 'followUp: { role: cskh'),
      message: expect.stringMatching(/^a rejected complaint has nothing to carry out/),
    });
  });

  test('When a key is unknown or a result is not one of the allowed, then the schema errors point at them', () => {
    const text = VALID.replace('      result: resolved\n', '      result: solved\n      folowUp: 1\n');
    const errors = errorsOf(load(text));
    expect(errorAt(errors, 'spec.outcomes[0].result')).toMatchObject(positionOf(text, 'solved'));
    expect(errorAt(errors, 'spec.outcomes[0].folowUp')).toMatchObject({
      ...positionOf(text, 'folowUp'),
      message: expect.stringMatching(/^unknown key "folowUp" \(did you mean "followUp"\?\)/),
    });
  });

  test('When the kind is misspelt, then the error suggests ComplaintProcess', () => {
    const text = VALID.replace('kind: ComplaintProcess', 'kind: ComplaintProces');
    expect(errorAt(errorsOf(load(text)), 'kind').message).toMatch(/did you mean "ComplaintProcess"/);
  });
});
