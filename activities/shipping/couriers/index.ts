/**
 * Builds courier adapters from shop.yaml's `couriers:` and the environment. Credentials are
 * never in YAML: only the names of the env vars that hold them.
 */
import type { CompiledCourier, CompiledShop } from '../../../definitions/types';
import { createGhnAdapter } from './ghn';
import { createGhtkAdapter } from './ghtk';
import type { CourierAdapter } from './types';
import { createViettelPostAdapter } from './viettelpost';

export { createGhnAdapter, ghnOrderBody, type GhnAdapterOptions } from './ghn';
export { createGhtkAdapter, ghtkInstant, ghtkOrderBody, type GhtkAdapterOptions, type GhtkPickup } from './ghtk';
export { GHN_STATUS, ghnState } from './ghn-status';
export { GHTK_REASONS, GHTK_STATUS, ghtkState } from './ghtk-status';
export { createViettelPostAdapter, viettelPostInstant, viettelPostOrderBody, type ViettelPostAdapterOptions } from './viettelpost';
export { VIETTELPOST_STATUS, viettelPostState } from './viettelpost-status';
export * from './types';

/** The webhook secret the simulator and its adapter share when none is configured (development only). */
export const DEFAULT_SIMULATOR_SECRET = 'shopflow-simulator-secret';

/** Where GHN's API lives under a server root; the simulator serves GHN's paths there too. */
const GHN_API_PATH = '/shiip/public-api';

export interface CourierAdapterOptions {
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

/**
 * The adapter of one courier. Base URL: `env[baseUrlEnv]` when set, else `baseUrl`.
 * - `ghn`: `Token` = env[tokenEnv], `ShopId` = env[shopIdEnv], webhook secret = env[webhookSecretEnv].
 * - `ghtk`: `Token` = env[tokenEnv], `X-Client-Source` = env[`<ID>_PARTNER_CODE`], webhook secret =
 *   env[webhookSecretEnv]; the pick-up address from `<ID>_PICK_ADDRESS_ID`, or `<ID>_PICK_NAME`,
 *   `_ADDRESS`, `_PROVINCE`, `_DISTRICT`, `_WARD`, `_TEL` (`<ID>` = the courier id upper-cased,
 *   dashes as underscores: `GHTK_PICK_NAME`).
 * - `viettelpost`: `Token` = env[tokenEnv] (a long-lived token), else one obtained with
 *   `<ID>_USERNAME` and `<ID>_PASSWORD`; the sender from `<ID>_SENDER_NAME`, `_PHONE`, `_ADDRESS`;
 *   webhook secret = env[webhookSecretEnv].
 * - `simulator`: the GHN adapter on `<base>/shiip/public-api`; credentials optional; the webhook
 *   secret is env[webhookSecretEnv] ?? `COURIER_SIM_SECRET` ?? {@link DEFAULT_SIMULATOR_SECRET}.
 * Missing credentials fail the calls that need them (non-retryable), not start-up, so a shop can
 * keep a courier enabled before its account is set up.
 */
export function createCourierAdapter(
  courier: CompiledCourier,
  env: NodeJS.ProcessEnv = process.env,
  options: CourierAdapterOptions = {},
): CourierAdapter {
  const read = (name: string | undefined): string | undefined => (name && env[name]?.trim()) || undefined;
  const baseUrl = read(courier.baseUrlEnv) ?? courier.baseUrl;
  const envNames = { token: courier.tokenEnv, shopId: courier.shopIdEnv, webhookSecret: courier.webhookSecretEnv };
  switch (courier.api) {
    case 'ghn':
      return createGhnAdapter({
        id: courier.id,
        baseUrl,
        token: read(courier.tokenEnv),
        shopId: read(courier.shopIdEnv),
        webhookSecret: read(courier.webhookSecretEnv),
        service: courier.service,
        timeoutMs: options.timeoutMs,
        envNames,
      });
    case 'ghtk': {
      const prefix = courier.id.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
      return createGhtkAdapter({
        id: courier.id,
        baseUrl,
        token: read(courier.tokenEnv),
        partnerCode: read(`${prefix}_PARTNER_CODE`),
        webhookSecret: read(courier.webhookSecretEnv),
        pickup: {
          addressId: read(`${prefix}_PICK_ADDRESS_ID`),
          name: read(`${prefix}_PICK_NAME`),
          address: read(`${prefix}_PICK_ADDRESS`),
          province: read(`${prefix}_PICK_PROVINCE`),
          district: read(`${prefix}_PICK_DISTRICT`),
          ward: read(`${prefix}_PICK_WARD`),
          tel: read(`${prefix}_PICK_TEL`),
        },
        service: courier.service,
        timeoutMs: options.timeoutMs,
        envNames: { token: courier.tokenEnv, webhookSecret: courier.webhookSecretEnv, pickupPrefix: `${prefix}_PICK` },
      });
    }
    case 'viettelpost': {
      const prefix = courier.id.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
      return createViettelPostAdapter({
        id: courier.id,
        baseUrl,
        token: read(courier.tokenEnv),
        username: read(`${prefix}_USERNAME`),
        password: read(`${prefix}_PASSWORD`),
        webhookSecret: read(courier.webhookSecretEnv),
        sender: { name: read(`${prefix}_SENDER_NAME`), phone: read(`${prefix}_SENDER_PHONE`), address: read(`${prefix}_SENDER_ADDRESS`) },
        service: courier.service,
        timeoutMs: options.timeoutMs,
        envNames: { token: courier.tokenEnv, credentialsPrefix: prefix, webhookSecret: courier.webhookSecretEnv },
      });
    }
    case 'simulator':
      return createGhnAdapter({
        id: courier.id,
        baseUrl: simulatorGhnBase(baseUrl),
        token: read(courier.tokenEnv) ?? 'simulator',
        shopId: read(courier.shopIdEnv) ?? '0',
        webhookSecret: read(courier.webhookSecretEnv) ?? read('COURIER_SIM_SECRET') ?? DEFAULT_SIMULATOR_SECRET,
        service: courier.service,
        timeoutMs: options.timeoutMs,
        envNames,
      });
    default: {
      const never: never = courier.api;
      throw new Error(`courier ${courier.id}: unknown api "${String(never)}"`);
    }
  }
}

/** Adapters of the shop's enabled couriers, by courier id. */
export function createCourierAdapters(
  shop: CompiledShop,
  env: NodeJS.ProcessEnv = process.env,
  options: CourierAdapterOptions = {},
): Record<string, CourierAdapter> {
  return Object.fromEntries(
    Object.values(shop.couriers)
      .filter((courier) => courier.enabled)
      .map((courier) => [courier.id, createCourierAdapter(courier, env, options)]),
  );
}

/** The simulator's base URL is its root (`http://127.0.0.1:4010`); GHN's paths live below it. */
function simulatorGhnBase(root: string): string {
  const trimmed = root.replace(/\/+$/, '');
  return trimmed.endsWith(GHN_API_PATH) ? trimmed : `${trimmed}${GHN_API_PATH}`;
}
