/**
 * `npm start` with CHANNELS=simulator: the customer simulator runs in the process; Zalo ZNS and
 * SMS point at it unless the environment set them up (ZNS_API_URL, SMS_API_KEY), and its webhooks
 * (Zalo's receipts and replies, eSMS's inbound SMS) go to this server, signed with the secrets the
 * server checks (the environment's when set, else the simulator's).
 */
import type { Logger } from 'pino';
import type { DeliveryConfig } from '../../server/platform/config';
import { createCustomerSimulator, SIMULATED_ESMS, SIMULATED_ESMS_MO, SIMULATED_ZALO_APP, type CustomerSimulator } from '.';

/** Zalo's own API root: left at it, ZNS goes to the simulator in simulator mode. */
const ZALO_ZNS_ROOT = 'https://business.openapi.zalo.me';

export async function startLocalCustomerSimulator(
  delivery: DeliveryConfig,
  appPort: number,
  log: Logger,
): Promise<{ simulator: CustomerSimulator; delivery: DeliveryConfig }> {
  const simulatedZns = delivery.znsApiUrl === ZALO_ZNS_ROOT;
  const simulatedSms = !delivery.smsApiKey;
  const zaloAccessToken = delivery.zaloOaAccessToken ?? 'sim-zalo-oa-access-token';
  const zalo = { appId: delivery.zaloAppId ?? SIMULATED_ZALO_APP.appId, oaSecret: delivery.zaloOaSecret ?? SIMULATED_ZALO_APP.oaSecret };
  const mo = { cpId: delivery.smsMoCpId ?? SIMULATED_ESMS_MO.cpId, privateKey: delivery.smsMoPrivateKey ?? SIMULATED_ESMS_MO.privateKey };
  const esms = simulatedSms
    ? SIMULATED_ESMS
    : { apiKey: delivery.smsApiKey!, secretKey: delivery.smsSecretKey ?? '', brandname: delivery.smsBrandname ?? '' };
  const app = `http://127.0.0.1:${appPort}`;
  const simulator = await createCustomerSimulator({
    port: delivery.customerSimPort,
    anyPortIfTaken: true,
    zaloAccessToken,
    esms,
    zaloWebhook: { url: `${app}/webhooks/zalo`, appId: zalo.appId, oaId: SIMULATED_ZALO_APP.oaId, oaSecret: zalo.oaSecret },
    smsWebhook: { url: `${app}/webhooks/sms/esms`, cpId: mo.cpId, privateKey: mo.privateKey, keyword: SIMULATED_ESMS_MO.keyword },
    log: log.child({ component: 'customer-sim' }),
  });
  return {
    simulator,
    delivery: {
      ...delivery,
      zaloOaAccessToken: zaloAccessToken,
      znsApiUrl: simulatedZns ? simulator.url : delivery.znsApiUrl,
      zaloAppId: zalo.appId,
      zaloOaSecret: zalo.oaSecret,
      ...(simulatedSms && { smsApiUrl: simulator.url, smsApiKey: esms.apiKey, smsSecretKey: esms.secretKey, smsBrandname: esms.brandname }),
      smsMoCpId: mo.cpId,
      smsMoPrivateKey: mo.privateKey,
    },
  };
}
