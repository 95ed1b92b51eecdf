import { loadDefinitionText } from '../../../definitions/loading/loader';
import { CLOSE_AND_DONE, errorAt, errorsOf, positionOf, processYaml, shippedShop } from './helpers';

const shop = shippedShop();
const load = (text: string) => loadDefinitionText(text, 'processes/test.yaml', shop);

/** close → remind (wait) → nudge (notify) → remind …, until the order's total is 0 (remind's otherwise ends it). */
function waitLoop(duration: string, extra = ''): string {
  return processYaml(`${CLOSE_AND_DONE}    - id: remind
      kind: wait
      title: "Chờ"
      duration: ${duration}
      when: { order.total: { gt: 0 } }
      otherwise: done
      next: nudge
    - id: nudge
      kind: notify
      title: "Nhắc"
      notify: [sales]
      message: "nhắc"
      next: ${extra ? 'again' : 'remind'}
${extra}`).replace('on: { closed: done }', 'on: { closed: done, later: remind }');
}

describe('loops of wait and notify stages', () => {
  test('When a 1ms wait loops through a notify, then the loop is refused at its first stage’s line', () => {
    const text = waitLoop('1ms');
    const error = errorAt(errorsOf(load(text)), 'spec.stages[2].id');
    expect(error).toMatchObject(positionOf(text, 'remind\n', 0));
    expect(error.message).toMatch(/^stages remind → nudge → remind loop through wait\/notify stages only and wait 1 ms per round/);
    expect(error.message).toContain('at least 1 minute');
  });

  test('When waits on the loop add up to less than a minute, then it is refused; a minute or more is accepted', () => {
    expect(errorsOf(load(waitLoop('59s'))).map((e) => e.path)).toEqual(['spec.stages[2].id']);
    const twoWaits = (d: string) =>
      waitLoop(
        '30s',
        `    - id: again
      kind: wait
      title: "Chờ nữa"
      duration: ${d}
      next: remind
`,
      );
    expect(errorsOf(load(twoWaits('29s')))[0]!.message).toMatch(/^stages remind → nudge → again → remind .* wait 59000 ms per round/);
    expect(load(twoWaits('30s')).ok).toBe(true);
    expect(load(waitLoop('1m')).ok).toBe(true);
  });

  test('When the loop holds a human stage, then a short wait in it is fine', () => {
    const text = waitLoop('1ms').replace('next: remind\n', 'next: close\n');
    expect(load(text).ok).toBe(true);
  });

  test('When a human stage is skipped by its condition into a short wait loop, then that loop is refused too', () => {
    const text = processYaml(`${CLOSE_AND_DONE}    - id: check
      kind: human
      role: sales
      title: "Kiểm"
      sla: 1h
      when: { order.total: { gt: 0 } }
      otherwise: pause
      on: { ok: done }
    - id: pause
      kind: wait
      title: "Chờ"
      duration: 5s
      next: check
`).replace('on: { closed: done }', 'on: { closed: check }');
    expect(errorAt(errorsOf(load(text)), 'spec.stages[2].id').message).toMatch(
      /^stages check → pause → check loop through wait\/notify stages only and wait 5000 ms/,
    );
  });
});
