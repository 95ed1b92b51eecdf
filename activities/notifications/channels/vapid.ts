/**
 * VAPID keys for Web Push. Production sets VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY (every API and
 * worker process the same pair: browsers subscribe to the public key). For a local `npm start`
 * without them, a pair is generated once and kept in DATA_DIR/vapid-keys.json (mode 0600), so
 * subscriptions survive restarts.
 */
import fs from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';
import type { Logger } from 'pino';
import type { DeliveryConfig } from '../../../server/platform/config';

export const VAPID_KEYS_FILE = 'vapid-keys.json';

/** The delivery settings with VAPID keys: the configured pair, else (not in production) the local one. */
export function withLocalVapidKeys(delivery: DeliveryConfig, opts: { dataDir: string; production: boolean; log: Logger }): DeliveryConfig {
  if (delivery.vapidPublicKey && delivery.vapidPrivateKey) return delivery;
  if (opts.production) {
    opts.log.warn('Web Push is off: set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (npx web-push generate-vapid-keys) on every process');
    return delivery;
  }
  const file = path.join(opts.dataDir, VAPID_KEYS_FILE);
  let keys: { publicKey?: string; privateKey?: string } = {};
  try {
    keys = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof keys;
  } catch {
    /* first start */
  }
  if (!keys.publicKey || !keys.privateKey) {
    keys = webpush.generateVAPIDKeys();
    fs.mkdirSync(opts.dataDir, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(keys)}\n`, { mode: 0o600 });
    opts.log.info({ file }, 'generated VAPID keys for Web Push (kept for later starts)');
  }
  return { ...delivery, vapidPublicKey: keys.publicKey, vapidPrivateKey: keys.privateKey };
}
