import net from 'node:net';
import path from 'node:path';
import { parseDuration } from '../../definitions/rules/duration';
import { projectRoot } from './paths';

/** Connection settings for a Temporal cluster (local dev server, self-hosted, or Temporal Cloud). */
export interface TemporalConfig {
  /** host:port of the frontend; undefined means "start a local dev server" (npm start only). */
  address?: string;
  namespace: string;
  taskQueue: string;
  tls: boolean;
  tlsCertPath?: string;
  tlsKeyPath?: string;
  tlsCaPath?: string;
  tlsServerName?: string;
  apiKey?: string;
  /** Local dev server settings, used only when `address` is unset. */
  dev: { ip: string; port: number; uiPort: number; cliPath?: string };
  /**
   * Workflows a worker keeps in memory between events (the SDK's maxCachedWorkflows); unset: the
   * SDK's default from the heap size. A workflow evicted from the cache is replayed from its
   * history at its next event, which costs CPU on the worker and the server.
   */
  maxCachedWorkflows?: number;
}

/** Everything shopflow reads from the environment, typed and validated once at start-up. */
export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** PostgreSQL URL; undefined means embedded PGlite under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  definitionsDir: string;
  logLevel: string;
  adminToken?: string;
  /** `simulator`: couriers point at the local simulator (started by npm start); `live`: real APIs. */
  couriers: 'simulator' | 'live';
  courierSimPort: number;
  /** Ask a courier for news when its webhooks have been quiet this long. */
  courierPollAfterMs: number;
  /**
   * Express's `trust proxy` (TRUST_PROXY): which proxies in front may say who the client is
   * (X-Forwarded-For). Off by default, so `req.ip` is the connecting address and a client cannot
   * pick its own address for the failed-login limit.
   */
  trustProxy: TrustProxy;
  /** How long a courier call is retried before the warehouse lead gets a task about it. */
  courierRetryForMs: number;
  temporal: TemporalConfig;
  /**
   * Web-shop order webhooks (server/webshops/): the secret each platform signs them with (Shopify:
   * the app's client secret, or the store's webhook signing key; Haravan: the app's client secret).
   * A platform without one answers its webhooks 404.
   */
  webshops: { shopifyWebhookSecret?: string; haravanWebhookSecret?: string };
  /** Delivery of notifications to staff channels (activities/notifications/): providers and the relay's retries. */
  delivery: DeliveryConfig;
  /** Leads from the shop's channels: Facebook, the website form (Zalo's settings are in `delivery`). */
  inbound: InboundConfig;
}

/** Inbound lead connectors (server/inbound/, activities/leads/). */
export interface InboundConfig {
  /** The Messenger webhook's subscription handshake answers `hub.challenge` only for this token. */
  facebookVerifyToken?: string;
  /** `X-Hub-Signature-256` of every Facebook webhook is the HMAC-SHA256 of the raw body with the app secret. */
  facebookAppSecret?: string;
  /** Reads a lead-ads lead's fields (`GET {graph}/{leadgen_id}`). */
  facebookPageAccessToken?: string;
  facebookGraphUrl: string;
  /** `simulator`: npm start runs the Facebook simulator when the Facebook secrets are unset. */
  facebookSimPort: number;
  /** Origins (scheme://host[:port]) whose pages may post the public lead form. */
  publicLeadOrigins: string[];
  /** Public form posts per client address per minute. */
  publicLeadPerMinute: number;
  /** A form filled faster than this (from its `startedAt`) is a bot's. */
  publicLeadMinFillMs: number;
}

/** Where staff messages go (e-mail, Web Push, Telegram, Zalo OA) and how the outbox relay retries them. */
export interface DeliveryConfig {
  /** The console's public root; deep links in messages are PUBLIC_URL + the console path. */
  publicUrl: string;
  /** `simulator`: npm start runs the channel simulator (Telegram/Zalo API shapes, an SMTP sink) and points unset providers at it. */
  channels: 'simulator' | 'live';
  /** The channel simulator's HTTP and SMTP ports (npm start, CHANNELS=simulator). */
  simPort: number;
  simSmtpPort: number;
  smtpUrl?: string;
  smtpFrom: string;
  vapidPublicKey?: string;
  vapidPrivateKey?: string;
  vapidSubject: string;
  telegramBotToken?: string;
  telegramApiUrl: string;
  zaloOaAccessToken?: string;
  zaloOaApiUrl: string;
  /** Attempts of one message before it is given up. */
  maxAttempts: number;
  /** First retry delay, doubled per attempt (with jitter) up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A row left `sending` this long (its worker died) is sent again. */
  leaseMs: number;
  /**
   * Where the outbox relay runs: `worker` beside each `npm run worker` (and in `npm start`), or
   * `own`, only in `npm run relay` processes, so sending never takes the workflows' CPU.
   */
  relay: 'worker' | 'own';
  /** Customer messages: Zalo ZNS (with the OA's access token) at this API root; CHANNELS=simulator points it at the customer simulator. */
  znsApiUrl: string;
  /** Zalo OA webhooks (POST /webhooks/zalo) are verified with the app id and the OA secret key (X-ZEvent-Signature). */
  zaloAppId?: string;
  zaloOaSecret?: string;
  /** Customer SMS by eSMS.vn (brand-name customer care): API root, key pair and registered brand name. */
  smsApiUrl: string;
  smsApiKey?: string;
  smsSecretKey?: string;
  smsBrandname?: string;
  /** eSMS inbound SMS (GET /webhooks/sms/esms) are verified with the CP id and private key eSMS gave. */
  smsMoCpId?: string;
  smsMoPrivateKey?: string;
  /** The customer simulator's port (npm start, CHANNELS=simulator): ZNS and eSMS API shapes, customers' replies. */
  customerSimPort: number;
}

/** Express's `trust proxy` values: on/off, a hop count, or addresses, subnets and presets to trust. */
export type TrustProxy = boolean | number | string[];

const TRUST_PROXY_PRESETS = ['loopback', 'linklocal', 'uniquelocal'];

/** An address or subnet as Express (proxy-addr) reads it: `10.0.0.1`, `10.0.0.0/8`, `10.0.0.0/255.0.0.0`, `fc00::/7`. */
function isAddressOrSubnet(entry: string): boolean {
  const [address, range, ...rest] = entry.split('/');
  const family = net.isIP(address ?? '');
  if (!family || rest.length) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  return family === 4 && net.isIPv4(range);
}

/**
 * Reads TRUST_PROXY the way Express documents `trust proxy`: `true`/`false`, a number of hops,
 * or a comma-separated list of addresses, subnets and the presets loopback, linklocal,
 * uniquelocal. Unset or empty: false. Returns a problem sentence for anything else.
 */
export function parseTrustProxy(raw: string | undefined): { value: TrustProxy } | { problem: string } {
  const text = raw?.trim() ?? '';
  if (text === '' || text.toLowerCase() === 'false') return { value: false };
  if (text.toLowerCase() === 'true') return { value: true };
  if (/^\d+$/.test(text)) return { value: Number(text) };
  const entries = text.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !TRUST_PROXY_PRESETS.includes(e) && !isAddressOrSubnet(e));
  if (bad.length) {
    return {
      problem: `TRUST_PROXY="${text}": ${bad.map((b) => `"${b}"`).join(', ')} is not an address, subnet or preset — use true, false, a number of hops, or a comma list such as loopback, 10.0.0.0/8`,
    };
  }
  return { value: entries };
}

/** A configuration error names every bad variable so one restart fixes them all. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and validates the configuration from `env` (defaults: process.env). Throws ConfigError. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const str = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const port = (name: string, fallback: number): number => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      problems.push(`${name}="${raw}" is not a TCP port (a whole number from 0 to 65535)`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = str(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name}="${env[name]}" must be true or false`);
    return fallback;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    if (!allowed.includes(raw as T)) {
      problems.push(`${name}="${raw}" must be one of: ${allowed.join(', ')}`);
      return fallback;
    }
    return raw as T;
  };

  const positiveInt = (name: string): number | undefined => {
    const raw = str(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) {
      problems.push(`${name}="${raw}" must be a whole number of at least 1`);
      return undefined;
    }
    return n;
  };
  const duration = (name: string, fallback: number): number => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    try {
      return parseDuration(raw);
    } catch (err) {
      problems.push(`${name}="${raw}": ${(err as Error).message}`);
      return fallback;
    }
  };

  const trustProxy = (): TrustProxy => {
    const parsed = parseTrustProxy(env.TRUST_PROXY);
    if ('problem' in parsed) {
      problems.push(parsed.problem);
      return false;
    }
    return parsed.value;
  };

  const databaseUrl = str('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`DATABASE_URL must start with postgres:// or postgresql:// (got "${databaseUrl.replace(/:[^:@/]*@/, ':***@')}")`);
  }
  const address = str('TEMPORAL_ADDRESS');
  if (address && !/^[^\s:]+:\d+$/.test(address)) {
    problems.push(`TEMPORAL_ADDRESS="${address}" must be host:port, e.g. localhost:7233 or my-ns.abcde.tmprl.cloud:7233`);
  }
  const apiKey = str('TEMPORAL_API_KEY');
  const tlsCertPath = str('TEMPORAL_TLS_CERT_PATH');
  const tlsKeyPath = str('TEMPORAL_TLS_KEY_PATH');
  if (Boolean(tlsCertPath) !== Boolean(tlsKeyPath)) {
    problems.push('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together (mTLS needs both)');
  }
  const url = (name: string, fallback: string | undefined, protocols = ['http:', 'https:']): string | undefined => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    try {
      if (!protocols.includes(new URL(raw).protocol)) throw new Error('protocol');
      return raw.replace(/\/+$/, '');
    } catch {
      problems.push(
        `${name}="${raw.replace(/:[^:@/]*@/, ':***@')}" must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
      );
      return fallback;
    }
  };
  /** A comma list of web origins; `none` allows no page. Defaults to the origin of `fallback` (PUBLIC_URL). */
  const origins = (name: string, fallback: string): string[] => {
    const raw = str(name);
    if (raw?.toLowerCase() === 'none') return [];
    if (!raw) {
      try {
        return [new URL(fallback).origin];
      } catch {
        return []; // PUBLIC_URL (or PORT) is bad, and named as such
      }
    }
    const list = raw
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    const out: string[] = [];
    for (const o of list) {
      try {
        const parsed = new URL(o);
        if (!['http:', 'https:'].includes(parsed.protocol) || (parsed.pathname !== '/' && parsed.pathname !== ''))
          throw new Error('origin');
        out.push(parsed.origin);
      } catch {
        problems.push(`${name}: "${o}" is not a web origin (scheme://host[:port], e.g. https://shop.example.vn)`);
      }
    }
    return out;
  };
  const vapidPublicKey = str('VAPID_PUBLIC_KEY');
  const vapidPrivateKey = str('VAPID_PRIVATE_KEY');
  if (Boolean(vapidPublicKey) !== Boolean(vapidPrivateKey))
    problems.push('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must be set together (Web Push signs with the pair)');
  const root = projectRoot();
  const config: Config = {
    env: oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development'),
    host: str('HOST') ?? '0.0.0.0',
    port: port('PORT', 3000),
    databaseUrl,
    dataDir: path.resolve(root, str('DATA_DIR') ?? 'data'),
    definitionsDir: path.resolve(root, str('DEFINITIONS_DIR') ?? 'definitions'),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    adminToken: str('SHOPFLOW_ADMIN_TOKEN'),
    // Local installs ship through the simulator until someone configures real courier accounts.
    couriers: oneOf('COURIERS', ['simulator', 'live'] as const, address || env.NODE_ENV === 'production' ? 'live' : 'simulator'),
    courierSimPort: port('COURIER_SIM_PORT', 4010),
    courierPollAfterMs: duration('COURIER_POLL_AFTER', 6 * 3600_000),
    trustProxy: trustProxy(),
    webshops: { shopifyWebhookSecret: str('SHOPIFY_WEBHOOK_SECRET'), haravanWebhookSecret: str('HARAVAN_WEBHOOK_SECRET') },
    courierRetryForMs: duration('COURIER_RETRY_FOR', 86_400_000),
    delivery: {
      publicUrl: url('PUBLIC_URL', `http://localhost:${str('PORT') ?? 3000}`)!,
      channels: oneOf('CHANNELS', ['simulator', 'live'] as const, address || env.NODE_ENV === 'production' ? 'live' : 'simulator'),
      simPort: port('CHANNEL_SIM_PORT', 4020),
      simSmtpPort: port('CHANNEL_SIM_SMTP_PORT', 2525),
      smtpUrl: url('SMTP_URL', undefined, ['smtp:', 'smtps:']),
      smtpFrom: str('SMTP_FROM') ?? 'shopflow <no-reply@shopflow.local>',
      vapidPublicKey,
      vapidPrivateKey,
      vapidSubject: str('VAPID_SUBJECT') ?? 'mailto:admin@shopflow.local',
      telegramBotToken: str('TELEGRAM_BOT_TOKEN'),
      telegramApiUrl: url('TELEGRAM_API_URL', 'https://api.telegram.org')!,
      zaloOaAccessToken: str('ZALO_OA_ACCESS_TOKEN'),
      zaloOaApiUrl: url('ZALO_OA_API_URL', 'https://openapi.zalo.me')!,
      maxAttempts: positiveInt('DELIVERY_MAX_ATTEMPTS') ?? 6,
      retryBaseMs: duration('DELIVERY_RETRY_BASE', 30_000),
      retryMaxMs: duration('DELIVERY_RETRY_MAX', 3600_000),
      leaseMs: duration('DELIVERY_LEASE', 120_000),
      relay: oneOf('DELIVERY_RELAY', ['worker', 'own'] as const, 'worker'),
      znsApiUrl: url('ZNS_API_URL', 'https://business.openapi.zalo.me')!,
      zaloAppId: str('ZALO_APP_ID'),
      zaloOaSecret: str('ZALO_OA_SECRET'),
      smsApiUrl: url('SMS_API_URL', 'https://rest.esms.vn')!,
      smsApiKey: str('SMS_API_KEY'),
      smsSecretKey: str('SMS_SECRET_KEY'),
      smsBrandname: str('SMS_BRANDNAME'),
      smsMoCpId: str('SMS_MO_CPID'),
      smsMoPrivateKey: str('SMS_MO_PRIVATE_KEY'),
      customerSimPort: port('CUSTOMER_SIM_PORT', 4030),
    },
    inbound: {
      facebookVerifyToken: str('FACEBOOK_VERIFY_TOKEN'),
      facebookAppSecret: str('FACEBOOK_APP_SECRET'),
      facebookPageAccessToken: str('FACEBOOK_PAGE_ACCESS_TOKEN'),
      facebookGraphUrl: url('FACEBOOK_GRAPH_URL', 'https://graph.facebook.com/v19.0')!,
      facebookSimPort: port('FACEBOOK_SIM_PORT', 4040),
      publicLeadOrigins: origins('PUBLIC_LEAD_ORIGINS', str('PUBLIC_URL') ?? `http://localhost:${str('PORT') ?? 3000}`),
      publicLeadPerMinute: positiveInt('PUBLIC_LEAD_PER_MINUTE') ?? 10,
      publicLeadMinFillMs: duration('PUBLIC_LEAD_MIN_FILL', 3_000),
    },
    temporal: {
      address,
      namespace: str('TEMPORAL_NAMESPACE') ?? 'default',
      taskQueue: str('TEMPORAL_TASK_QUEUE') ?? 'shopflow',
      maxCachedWorkflows: positiveInt('WORKER_MAX_CACHED_WORKFLOWS'),
      // API keys and client certificates only travel over TLS, so either one turns it on.
      tls: bool('TEMPORAL_TLS', Boolean(apiKey || tlsCertPath)),
      tlsCertPath,
      tlsKeyPath,
      tlsCaPath: str('TEMPORAL_TLS_CA_PATH'),
      tlsServerName: str('TEMPORAL_TLS_SERVER_NAME'),
      apiKey,
      dev: {
        ip: str('TEMPORAL_DEV_IP') ?? '127.0.0.1',
        port: port('TEMPORAL_DEV_PORT', 7233),
        uiPort: port('TEMPORAL_UI_PORT', 8233),
        cliPath: str('TEMPORAL_CLI'),
      },
    },
  };
  if (config.adminToken && config.adminToken.length < 24) {
    problems.push('SHOPFLOW_ADMIN_TOKEN must be at least 24 characters long');
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}
