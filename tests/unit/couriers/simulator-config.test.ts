import { DEFAULT_SIMULATOR_SECRET } from '../../../activities/shipping/couriers';
import { courierSimulatorConfig } from '../../../scripts/courier-sim/config';
import { scenarioOf } from '../../../scripts/courier-sim/scenarios';

describe('Courier simulator settings', () => {
  test('When nothing is set, then it listens on 4010, posts to the local API, 10 s per simulated day, normal scenario', () => {
    expect(courierSimulatorConfig({})).toEqual({
      port: 4010,
      host: '127.0.0.1',
      webhookUrl: 'http://127.0.0.1:3000/webhooks/couriers',
      secret: DEFAULT_SIMULATOR_SECRET,
      timeScale: 10,
      defaultScenario: 'normal',
    });
  });

  test('When the variables are set, then they are used', () => {
    expect(
      courierSimulatorConfig({
        COURIER_SIM_PORT: '4999',
        COURIER_SIM_WEBHOOK_URL: 'https://shop.example/webhooks/couriers',
        COURIER_SIM_TIME_SCALE: '0.5',
        COURIER_SIM_SECRET: 's3cret',
        COURIER_SIM_SCENARIO: 'late',
      }),
    ).toMatchObject({
      port: 4999,
      webhookUrl: 'https://shop.example/webhooks/couriers',
      timeScale: 0.5,
      secret: 's3cret',
      defaultScenario: 'late',
    });
  });

  test('When several variables are wrong, then one error names each of them', () => {
    expect(() =>
      courierSimulatorConfig({
        COURIER_SIM_PORT: 'http',
        COURIER_SIM_TIME_SCALE: '0',
        COURIER_SIM_SCENARIO: 'teleport',
        COURIER_SIM_WEBHOOK_URL: 'ftp://x',
      }),
    ).toThrow(
      /COURIER_SIM_PORT="http"[\s\S]*COURIER_SIM_WEBHOOK_URL="ftp:\/\/x"[\s\S]*COURIER_SIM_TIME_SCALE="0"[\s\S]*COURIER_SIM_SCENARIO="teleport"/,
    );
  });
});

describe('Scenario tags in order notes', () => {
  test('When a note carries [sim:<scenario>], then that scenario plays', () => {
    expect(scenarioOf('Giao giờ hành chính [sim:fail-then-deliver]', 'normal')).toBe('fail-then-deliver');
    expect(scenarioOf('[SIM:Return]', 'normal')).toBe('return');
  });
  test('When the note has no tag or an unknown one, then the default plays', () => {
    expect(scenarioOf('Gọi trước khi giao', 'late')).toBe('late');
    expect(scenarioOf('[sim:teleport]', 'normal')).toBe('normal');
    expect(scenarioOf(undefined, 'normal')).toBe('normal');
  });
});
