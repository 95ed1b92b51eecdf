import { createCourierAdapter } from '../../../activities/shipping/couriers';
import { missingCourierSettings, simulatedCourierEnv } from '../../../activities/shipping/couriers/requirements';
import type { CompiledCourier } from '../../../definitions/types';
import { shippedShop } from '../definitions/helpers';

const enabled = (): CompiledCourier => ({ ...shippedShop().couriers.viettelpost!, enabled: true });

describe('Viettel Post settings', () => {
  test('When the shipped Viettel Post courier is disabled, then live mode asks nothing of it', () => {
    expect(shippedShop().couriers.viettelpost).toMatchObject({ api: 'viettelpost', enabled: false });
    expect(missingCourierSettings(shippedShop().couriers.viettelpost!, {})).toEqual([]);
  });

  test('When it is enabled with nothing set, then every missing variable is named at once', () => {
    const problems = missingCourierSettings(enabled(), {});
    expect(problems).toEqual([
      expect.stringMatching(/^VIETTELPOST_TOKEN is not set: .*VIETTELPOST_USERNAME and VIETTELPOST_PASSWORD/),
      expect.stringMatching(/^VIETTELPOST_SENDER_NAME is not set/),
      expect.stringMatching(/^VIETTELPOST_SENDER_PHONE is not set/),
      expect.stringMatching(/^VIETTELPOST_SENDER_ADDRESS is not set/),
      expect.stringMatching(/^VIETTELPOST_WEBHOOK_SECRET is not set/),
    ]);
  });

  test('When the account stands in for the token, then only the rest is asked for', () => {
    const env = {
      VIETTELPOST_USERNAME: '0933177454',
      VIETTELPOST_PASSWORD: 'x',
      VIETTELPOST_SENDER_NAME: 'Shop',
      VIETTELPOST_SENDER_PHONE: '0988777666',
      VIETTELPOST_SENDER_ADDRESS: '10 Tràng Tiền, Hà Nội',
      VIETTELPOST_WEBHOOK_SECRET: 's',
    };
    expect(missingCourierSettings(enabled(), env)).toEqual([]);
  });

  test('When npm start points it at the simulator, then its settings are complete and the adapter is Viettel Post’s', () => {
    const env = simulatedCourierEnv({ viettelpost: enabled() }, { url: 'http://127.0.0.1:4010', secret: 'sim' });
    expect(env).toMatchObject({
      VIETTELPOST_BASE_URL: 'http://127.0.0.1:4010',
      VIETTELPOST_TOKEN: 'simulator',
      VIETTELPOST_WEBHOOK_SECRET: 'sim',
    });
    expect(missingCourierSettings(enabled(), env)).toEqual([]);
    expect(createCourierAdapter(enabled(), env).id).toBe('viettelpost');
  });
});
