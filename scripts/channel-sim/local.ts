/**
 * `npm start` with CHANNELS=simulator: the channel simulator runs in the process, and every
 * provider the environment leaves unset points at it (Telegram and Zalo at its HTTP API, e-mail at
 * its SMTP sink). Providers already set in the environment win, so one real channel can be tried
 * while the others stay simulated.
 */
import type { Logger } from 'pino';
import type { DeliveryConfig } from '../../server/platform/config';
import { createChannelSimulator, SIMULATED_TELEGRAM_TOKEN, SIMULATED_ZALO_TOKEN, type ChannelSimulator } from '.';

export async function startLocalChannelSimulator(
  delivery: DeliveryConfig,
  log: Logger,
): Promise<{ simulator: ChannelSimulator; delivery: DeliveryConfig }> {
  const telegramBotToken = delivery.telegramBotToken ?? SIMULATED_TELEGRAM_TOKEN;
  const zaloOaAccessToken = delivery.zaloOaAccessToken ?? SIMULATED_ZALO_TOKEN;
  const simLog = log.child({ component: 'channel-sim' });
  const simulator = await createChannelSimulator({
    port: delivery.simPort,
    smtpPort: delivery.smtpUrl ? false : delivery.simSmtpPort,
    anyPortIfTaken: true,
    telegramBotToken,
    zaloAccessToken: zaloOaAccessToken,
    log: simLog,
  });
  return {
    simulator,
    delivery: {
      ...delivery,
      telegramBotToken,
      telegramApiUrl: delivery.telegramBotToken ? delivery.telegramApiUrl : simulator.url,
      zaloOaAccessToken,
      zaloOaApiUrl: delivery.zaloOaAccessToken ? delivery.zaloOaApiUrl : simulator.url,
      smtpUrl: delivery.smtpUrl ?? simulator.smtpUrl,
    },
  };
}
