import { liveCourierProblems, missingCourierSettings, simulatedCourierEnv } from '../../../activities/shipping/couriers/requirements';
import { ConfigError } from '../../../server/platform/config';
import { shippedShop } from '../definitions/helpers';

describe('courier settings', () => {
  const shop = shippedShop();

  it('When live mode starts with no courier variables, then every missing one of every enabled courier is named at once', () => {
    const problems = liveCourierProblems(shop.couriers, {});
    const named = problems.map((p) => p.split(' ')[0]);
    expect(named).toEqual(
      expect.arrayContaining([
        'GHN_TOKEN',
        'GHN_SHOP_ID',
        'GHN_WEBHOOK_SECRET',
        'GHTK_TOKEN',
        'GHTK_WEBHOOK_SECRET',
        'GHTK_PICK_NAME',
        'GHTK_PICK_ADDRESS',
        'GHTK_PICK_PROVINCE',
        'GHTK_PICK_DISTRICT',
        'GHTK_PICK_TEL',
      ]),
    );
    expect(named).not.toContain('GHTK_PICK_WARD'); // optional
    expect(problems.find((p) => p.startsWith('GHTK_PICK_NAME'))).toContain('GHTK_PICK_ADDRESS_ID');
    // One error lists them all, as the other configuration errors do.
    expect(new ConfigError(problems).message.split('\n')).toHaveLength(problems.length + 1);
  });

  it('When GHTK has a saved pick-up address id and its credentials, then only what GHN lacks is named', () => {
    const env = { GHTK_TOKEN: 't', GHTK_WEBHOOK_SECRET: 's', GHTK_PICK_ADDRESS_ID: '88', GHN_TOKEN: 't', GHN_WEBHOOK_SECRET: 's' };
    expect(liveCourierProblems(shop.couriers, env)).toEqual([expect.stringMatching(/^GHN_SHOP_ID is not set/)]);
  });

  it('When a courier is disabled or is the simulator, then it needs nothing', () => {
    expect(missingCourierSettings({ ...shop.couriers.ghtk!, enabled: false }, {})).toEqual([]);
    expect(missingCourierSettings(shop.couriers.simulator!, {})).toEqual([]);
  });

  it('When a courier names no token variable in shop.yaml, then the problem says which key to add', () => {
    const { tokenEnv: _token, ...ghn } = shop.couriers.ghn!;
    expect(missingCourierSettings(ghn, { GHN_SHOP_ID: '1', GHN_WEBHOOK_SECRET: 's' })).toEqual([
      expect.stringContaining('has no tokenEnv in shop.yaml'),
    ]);
  });

  it('When npm start points the couriers at the simulator, then every required setting is filled, GHTK pick-up included', () => {
    const env = simulatedCourierEnv(shop.couriers, { url: 'http://127.0.0.1:4010', secret: 'sim' });
    expect(env).toMatchObject({
      GHN_BASE_URL: 'http://127.0.0.1:4010/shiip/public-api',
      GHTK_BASE_URL: 'http://127.0.0.1:4010',
      GHTK_WEBHOOK_SECRET: 'sim',
      GHN_WEBHOOK_SECRET: 'sim',
    });
    expect(liveCourierProblems(shop.couriers, env)).toEqual([]);
  });
});
