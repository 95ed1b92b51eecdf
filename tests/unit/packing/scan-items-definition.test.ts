import { loadDefinitionText } from '../../../definitions/loading/loader';
import type { CompiledOrderProcess } from '../../../definitions/types';
import { CLOSE_AND_DONE, ORDER_FILE, errorAt, errorsOf, orderText, processYaml, shippedShop } from '../definitions/helpers';

const shop = shippedShop();
const pack = (scanItems: string) => `${CLOSE_AND_DONE}    - id: pack
      kind: human
      role: warehouse
      title: "Đóng gói"
      sla: 4h
      scanItems: ${scanItems}
      on: { packed: done, out-of-stock: done }
`;

describe('scanItems in an order process', () => {
  test('When the shipped process is loaded, then its pack stage gates "Đã đóng gói" on scans', () => {
    const result = loadDefinitionText(orderText(), ORDER_FILE, shop);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const stage = (result.value as CompiledOrderProcess).stages.pack!;
    expect(stage).toMatchObject({ kind: 'human', scanItems: 'packed' });
    expect(stage.kind === 'human' && stage.outcomes.find((o) => o.name === 'packed')?.title).toBe('Đã đóng gói');
  });

  test('When scanItems names an outcome the stage does not have, then the error says which outcomes it has', () => {
    const errors = errorsOf(loadDefinitionText(processYaml(pack('packd')), 'test.yaml', shop));
    expect(errorAt(errors, 'spec.stages[2].scanItems').message).toBe(
      'scanItems names outcome "packd", which this stage does not have — its outcomes: packed, out-of-stock',
    );
  });

  test('When a stage declares no scanItems, then its compiled stage has none (nothing is checked)', () => {
    const result = loadDefinitionText(processYaml(CLOSE_AND_DONE), 'test.yaml', shop);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect((result.value as CompiledOrderProcess).stages.close).not.toHaveProperty('scanItems');
  });
});
