/**
 * What each courier needs from the environment, in one place: start-up in live mode names every
 * missing variable at once (instead of the first order to that courier failing), and `npm start`
 * fills the same names with the local simulator's values so every shipped courier rule ships.
 */
import type { CompiledCourier } from '../../../definitions/types';

/** One environment variable a courier reads. */
export interface CourierSetting {
  env: string;
  /** What it holds, for messages and the README. */
  what: string;
  /** Its value when the courier talks to the local simulator (root URL and secret given). */
  simulated: (sim: { url: string; secret: string }) => string;
}

/** GHTK's pick-up address fields, spelled out (used unless `<ID>_PICK_ADDRESS_ID` is set). */
const GHTK_PICKUP = [
  { field: 'NAME', what: 'tên người gửi', simulated: 'Kho chính (giả lập)', required: true },
  { field: 'ADDRESS', what: 'địa chỉ lấy hàng', simulated: '1 Đường Giả Lập', required: true },
  { field: 'PROVINCE', what: 'tỉnh/thành lấy hàng', simulated: 'Hà Nội', required: true },
  { field: 'DISTRICT', what: 'quận/huyện lấy hàng', simulated: 'Quận Cầu Giấy', required: true },
  { field: 'WARD', what: 'phường/xã lấy hàng', simulated: 'Phường Dịch Vọng', required: false },
  { field: 'TEL', what: 'số điện thoại lấy hàng', simulated: '02400000000', required: true },
] as const;

/** `GHTK_PICK` for courier id `ghtk`: the courier id upper-cased, other characters as underscores. */
export const envPrefixOf = (courierId: string) => courierId.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

/** The pick-up variables of a GHTK courier (`<ID>_PICK_NAME`…), required ones first. */
export function ghtkPickupEnv(courierId: string): {
  addressId: string;
  fields: Array<{ env: string; what: string; required: boolean; simulated: string }>;
} {
  const prefix = `${envPrefixOf(courierId)}_PICK`;
  return {
    addressId: `${prefix}_ADDRESS_ID`,
    fields: GHTK_PICKUP.map((p) => ({ env: `${prefix}_${p.field}`, what: p.what, required: p.required, simulated: p.simulated })),
  };
}

/** Viettel Post's sender fields (`<ID>_SENDER_NAME`…), all required. */
const VIETTELPOST_SENDER = [
  { field: 'NAME', what: 'tên người gửi', simulated: 'Kho chính (giả lập)' },
  { field: 'PHONE', what: 'số điện thoại người gửi', simulated: '02400000000' },
  { field: 'ADDRESS', what: 'địa chỉ lấy hàng đầy đủ', simulated: '1 Đường Giả Lập, Phường Dịch Vọng, Quận Cầu Giấy, Hà Nội' },
] as const;

/** The sender variables of a Viettel Post courier (`<ID>_SENDER_NAME`…) and its credential pair. */
export function viettelPostEnv(courierId: string): {
  username: string;
  password: string;
  sender: Array<{ env: string; what: string; simulated: string }>;
} {
  const prefix = envPrefixOf(courierId);
  return {
    username: `${prefix}_USERNAME`,
    password: `${prefix}_PASSWORD`,
    sender: VIETTELPOST_SENDER.map((s) => ({ env: `${prefix}_SENDER_${s.field}`, what: s.what, simulated: s.simulated })),
  };
}

/**
 * Every variable a courier reads: base URL override, credentials, webhook secret and (GHTK) the
 * pick-up address. `simulator` couriers need none of them.
 */
export function courierSettings(courier: CompiledCourier): CourierSetting[] {
  const base = (path: string) =>
    courier.baseUrlEnv
      ? [{ env: courier.baseUrlEnv, what: 'base URL (override)', simulated: ({ url }: { url: string }) => `${url}${path}` }]
      : [];
  const named = (env: string | undefined, what: string, simulated: CourierSetting['simulated']) => (env ? [{ env, what, simulated }] : []);
  switch (courier.api) {
    case 'ghn':
      return [
        ...base('/shiip/public-api'),
        ...named(courier.tokenEnv, 'API token', () => 'simulator'),
        ...named(courier.shopIdEnv, 'shop id', () => '1'),
        ...named(courier.webhookSecretEnv, 'webhook secret', ({ secret }) => secret),
      ];
    case 'ghtk':
      return [
        ...base(''),
        ...named(courier.tokenEnv, 'API token', () => 'simulator'),
        ...named(courier.webhookSecretEnv, 'webhook secret', ({ secret }) => secret),
        ...ghtkPickupEnv(courier.id).fields.map((f) => ({ env: f.env, what: f.what, simulated: () => f.simulated })),
      ];
    case 'viettelpost':
      return [
        ...base(''),
        ...named(courier.tokenEnv, 'API token', () => 'simulator'),
        ...named(courier.webhookSecretEnv, 'webhook secret', ({ secret }) => secret),
        ...viettelPostEnv(courier.id).sender.map((f) => ({ env: f.env, what: f.what, simulated: () => f.simulated })),
      ];
    case 'simulator':
      return base('');
  }
}

/**
 * What a live courier is missing, one sentence per variable (every one at once, so one restart
 * fixes them all). Empty when it can ship; disabled couriers and the simulator need nothing.
 */
export function missingCourierSettings(courier: CompiledCourier, env: Record<string, string | undefined>): string[] {
  if (!courier.enabled || courier.api === 'simulator') return [];
  const set = (name: string | undefined) => Boolean(name && env[name]?.trim());
  const who = `courier "${courier.id}" (${courier.title})`;
  const problems: string[] = [];
  const need = (name: string | undefined, key: string, what: string) => {
    if (!name) problems.push(`${who} has no ${key} in shop.yaml: name the env var that holds its ${what}`);
    else if (!set(name)) problems.push(`${name} is not set: the ${what} of ${who}`);
  };
  if (courier.api === 'viettelpost') {
    // A long-lived token, or the account it is obtained with.
    const vtp = viettelPostEnv(courier.id);
    if (!(courier.tokenEnv && set(courier.tokenEnv)) && !(set(vtp.username) && set(vtp.password)))
      problems.push(
        `${courier.tokenEnv ?? 'its tokenEnv'} is not set: the API token of ${who} — or set ${vtp.username} and ${vtp.password} (the Viettel Post account) to obtain one`,
      );
    for (const f of vtp.sender) if (!set(f.env)) problems.push(`${f.env} is not set: the sender (${f.what}) of ${who}`);
  } else need(courier.tokenEnv, 'tokenEnv', 'API token');
  if (courier.api === 'ghn') need(courier.shopIdEnv, 'shopIdEnv', 'shop id');
  need(courier.webhookSecretEnv, 'webhookSecretEnv', 'webhook secret (its status webhooks are refused without it)');
  if (courier.api === 'ghtk') {
    const pickup = ghtkPickupEnv(courier.id);
    if (!set(pickup.addressId)) {
      for (const f of pickup.fields) {
        if (f.required && !set(f.env))
          problems.push(
            `${f.env} is not set: the pick-up address (${f.what}) of ${who} — or set ${pickup.addressId} to a pick-up address saved in the GHTK account`,
          );
      }
    }
  }
  return problems;
}

/** Every missing setting of the shop's enabled couriers (live mode start-up check). */
export function liveCourierProblems(couriers: Record<string, CompiledCourier>, env: Record<string, string | undefined>): string[] {
  return Object.values(couriers).flatMap((c) => missingCourierSettings(c, env));
}

/**
 * The environment that points every enabled courier of the shop at the local simulator (base
 * URLs, dummy credentials, the shared webhook secret, GHTK's pick-up address), for `npm start`.
 */
export function simulatedCourierEnv(
  couriers: Record<string, CompiledCourier>,
  sim: { url: string; secret: string },
): Record<string, string> {
  return Object.fromEntries(
    Object.values(couriers)
      .filter((c) => c.enabled)
      .flatMap((c) => courierSettings(c).map((s) => [s.env, s.simulated(sim)] as const)),
  );
}
