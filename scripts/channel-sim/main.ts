/**
 * `npm run channel-sim`: the local Telegram / Zalo OA simulator and SMTP sink on their own
 * (`npm start` runs them too). Settings: CHANNEL_SIM_PORT (4020), CHANNEL_SIM_SMTP_PORT (2525),
 * TELEGRAM_BOT_TOKEN and ZALO_OA_ACCESS_TOKEN (the tokens it accepts), LOG_LEVEL.
 */
import { createChannelSimulator, SIMULATED_TELEGRAM_TOKEN, SIMULATED_ZALO_TOKEN } from '.';
import { createLogger } from '../../server/platform/logger';
import { onShutdownSignal } from '../../server/platform/runtime';

async function main(): Promise<void> {
  const log = createLogger().child({ component: 'channel-sim' });
  const telegramBotToken = process.env.TELEGRAM_BOT_TOKEN || SIMULATED_TELEGRAM_TOKEN;
  const zaloAccessToken = process.env.ZALO_OA_ACCESS_TOKEN || SIMULATED_ZALO_TOKEN;
  const simulator = await createChannelSimulator({
    port: Number(process.env.CHANNEL_SIM_PORT || 4020),
    smtpPort: Number(process.env.CHANNEL_SIM_SMTP_PORT || 2525),
    telegramBotToken,
    zaloAccessToken,
    log,
  });
  process.stdout.write(
    `channel simulator on ${simulator.url}\n` +
      `  TELEGRAM_API_URL=${simulator.url} TELEGRAM_BOT_TOKEN=${telegramBotToken}\n` +
      `  ZALO_OA_API_URL=${simulator.url} ZALO_OA_ACCESS_TOKEN=${zaloAccessToken}\n` +
      `  SMTP_URL=${simulator.smtpUrl}\n` +
      `  received messages: GET ${simulator.url}/__sim/messages\n`,
  );
  onShutdownSignal(log, () => simulator.close());
}

main().catch((err) => {
  process.stderr.write(`channel simulator failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
