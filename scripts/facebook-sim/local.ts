/**
 * `npm start` with CHANNELS=simulator and the Facebook settings unset: the Facebook simulator
 * runs in the process, signs its webhooks with the app secret the server checks, serves the
 * Graph API's lead read, and shopflow's FACEBOOK_* settings point at it.
 */
import type { Logger } from 'pino';
import type { InboundConfig } from '../../server/platform/config';
import { createFacebookSimulator, SIMULATED_FACEBOOK, type FacebookSimulator } from '.';

/** True when no Facebook app is set up, so `npm start` should simulate one. */
export const facebookUnset = (inbound: InboundConfig) =>
  !inbound.facebookAppSecret && !inbound.facebookVerifyToken && !inbound.facebookPageAccessToken;

export async function startLocalFacebookSimulator(
  inbound: InboundConfig,
  appPort: number,
  log: Logger,
): Promise<{ simulator: FacebookSimulator; inbound: InboundConfig }> {
  const simulator = await createFacebookSimulator({
    port: inbound.facebookSimPort,
    anyPortIfTaken: true,
    appSecret: SIMULATED_FACEBOOK.appSecret,
    verifyToken: SIMULATED_FACEBOOK.verifyToken,
    pageAccessToken: SIMULATED_FACEBOOK.pageAccessToken,
    webhookUrl: `http://127.0.0.1:${appPort}/webhooks/facebook`,
    log: log.child({ component: 'facebook-sim' }),
  });
  return {
    simulator,
    inbound: {
      ...inbound,
      facebookAppSecret: SIMULATED_FACEBOOK.appSecret,
      facebookVerifyToken: SIMULATED_FACEBOOK.verifyToken,
      facebookPageAccessToken: SIMULATED_FACEBOOK.pageAccessToken,
      facebookGraphUrl: simulator.graphUrl,
    },
  };
}
