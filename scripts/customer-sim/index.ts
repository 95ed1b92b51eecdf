/**
 * The local customer simulator: what customers' providers look like to shopflow, in their real
 * request and response shapes.
 * - Zalo ZNS: `POST /message/template` (header `access_token`; `{phone: "84…", template_id,
 *   template_data, tracking_id}` → `{error: 0, message: "Success", data: {msg_id, sent_time, quota}}`
 *   or Zalo's error codes: -124 bad token, -108 bad phone, -109 no template, -118 no Zalo account).
 *   After each ZNS it posts Zalo's `user_received_message` webhook (signed like Zalo's) to the app.
 * - eSMS: `POST /MainService.svc/json/SendMultipleMessage_V4_post_json/` (`{ApiKey, SecretKey, Phone,
 *   Content, Brandname, SmsType, RequestId}` → `{CodeResult: "100", SMSID}` or eSMS's codes: 101 bad
 *   keys, 104 unknown brand name, 108 bad phone, 124 duplicate RequestId).
 * - Customers answering: `POST /__sim/replies {phone, text, via: zalo|sms}` delivers the reply as
 *   the provider would — Zalo's `user_send_text` webhook (X-ZEvent-Signature: mac=sha256(app_id +
 *   body + timestamp + OA secret)) from the Zalo user the phone's ZNS reached, or eSMS's inbound SMS
 *   (GET with sender, content, keyword, smsid, receiverTime, sign = base64(md5(cpid + smsid +
 *   content + receiverTime + private key)), cpid) — and answers with the request it made and the
 *   app's answer, so a test can replay it.
 * Test hooks under `/__sim`: `GET /__sim/messages[?channel=zns|sms]`, `DELETE /__sim/messages`,
 * `POST /__sim/faults {channel: zns|sms, status?: HTTP status, error?: the provider's code, count?}`,
 * `POST /__sim/no-zalo {phone}` (that phone has no Zalo account: ZNS answers -118).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import express from 'express';
import pino, { type Logger } from 'pino';
import { listenSimulator } from '../sim-http';

export interface CustomerSimulatorOptions {
  /** HTTP port (default 4030; 0 picks a free one). */
  port?: number;
  host?: string;
  /** A port in use: take a free one instead of failing. */
  anyPortIfTaken?: boolean;
  /** The OA access token ZNS accepts. */
  zaloAccessToken: string;
  /** The eSMS account it accepts. */
  esms: { apiKey: string; secretKey: string; brandname: string };
  /** Where Zalo's webhooks go (the app's POST /webhooks/zalo), and what signs them. */
  zaloWebhook?: { url: string; appId: string; oaId: string; oaSecret: string };
  /** Where eSMS's inbound SMS go (the app's GET /webhooks/sms/esms), and what signs them. */
  smsWebhook?: { url: string; cpId: string; privateKey: string; serviceNumber?: string; keyword?: string };
  log?: Logger;
}

/** One message as a provider received it. */
export interface SimulatedMessage {
  channel: 'zns' | 'sms';
  /** The phone as the provider got it (`84…` for ZNS). */
  phone: string;
  templateId?: string;
  params?: Record<string, string>;
  text?: string;
  /** ZNS tracking_id / eSMS RequestId. */
  trackingId?: string;
  /** Zalo msg_id / eSMS SMSID. */
  providerId: string;
  at: string;
}

interface Fault {
  channel: 'zns' | 'sms';
  status?: number;
  error?: number | string;
  count: number;
}

export interface CustomerSimulator {
  url: string;
  messages(channel?: 'zns' | 'sms'): SimulatedMessage[];
  /** Configures where webhooks go once the app listens. */
  setWebhooks(hooks: { zalo?: CustomerSimulatorOptions['zaloWebhook']; sms?: CustomerSimulatorOptions['smsWebhook'] }): void;
  close(): Promise<void>;
}

/** The Zalo user id a phone has for the simulated OA (stable, like a real one). */
export const simulatedZaloUserId = (phone: string) =>
  `${BigInt(`0x${crypto.createHash('sha256').update(phone).digest('hex').slice(0, 15)}`)}`.padStart(18, '1');

/** `yyyyMMddHHmmss` in Vietnam's time, as eSMS writes receiverTime. */
function esmsTime(at: Date): string {
  const local = new Date(at.getTime() + 7 * 3600_000).toISOString();
  return local.slice(0, 19).replace(/[-T:]/g, '');
}

const toLocalPhone = (p: string) => (p.startsWith('84') ? `0${p.slice(2)}` : p);
const toIntlPhone = (p: string) => (p.startsWith('0') ? `84${p.slice(1)}` : p);

export async function createCustomerSimulator(options: CustomerSimulatorOptions): Promise<CustomerSimulator> {
  const log = options.log ?? pino({ level: 'silent' });
  const messages: SimulatedMessage[] = [];
  let faults: Fault[] = [];
  const noZalo = new Set<string>();
  const requestIds = new Set<string>();
  let zaloWebhook = options.zaloWebhook;
  let smsWebhook = options.smsWebhook;

  const takeFault = (channel: Fault['channel']) => {
    const f = faults.find((x) => x.channel === channel && x.count > 0);
    if (f) f.count -= 1;
    return f;
  };

  /** Posts a Zalo OA webhook event, signed as Zalo signs them. */
  async function postZalo(event: Record<string, unknown>) {
    if (!zaloWebhook) throw new Error('the simulator has no Zalo webhook URL');
    const timestamp = String(Date.now());
    const body = JSON.stringify({ app_id: zaloWebhook.appId, timestamp, ...event });
    const mac = crypto.createHash('sha256').update(`${zaloWebhook.appId}${body}${timestamp}${zaloWebhook.oaSecret}`).digest('hex');
    const headers = { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` };
    const res = await fetch(zaloWebhook.url, { method: 'POST', headers, body });
    return { request: { method: 'POST', url: zaloWebhook.url, headers, body }, status: res.status, answer: await res.text() };
  }

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok', messages: messages.length }));

  // ── Zalo ZNS ───────────────────────────────────────────────────────────────
  app.post('/message/template', express.json({ limit: '64kb' }), (req, res) => {
    const fault = takeFault('zns');
    if (fault?.status) return void res.status(fault.status).json({ error: -100, message: 'Internal error' });
    if (fault?.error !== undefined) return void res.json({ error: Number(fault.error), message: 'Simulated failure' });
    if (req.get('access_token') !== options.zaloAccessToken) return void res.json({ error: -124, message: 'Access token is invalid' });
    const body = (req.body ?? {}) as { phone?: unknown; template_id?: unknown; template_data?: unknown; tracking_id?: unknown };
    if (typeof body.phone !== 'string' || !/^84\d{9,10}$/.test(body.phone))
      return void res.json({ error: -108, message: 'Phone number is invalid' });
    if (typeof body.template_id !== 'string' || !/^\d+$/.test(body.template_id))
      return void res.json({ error: -109, message: 'Template ID is invalid' });
    if (!body.template_data || typeof body.template_data !== 'object' || Array.isArray(body.template_data))
      return void res.json({ error: -112, message: 'Template data is invalid' });
    if (noZalo.has(body.phone)) return void res.json({ error: -118, message: 'Zalo account not existed or disabled' });
    const msgId = crypto.randomBytes(16).toString('hex');
    const sentTime = String(Date.now());
    const phone = body.phone;
    const trackingId = typeof body.tracking_id === 'string' ? body.tracking_id : undefined;
    messages.push({
      channel: 'zns',
      phone,
      templateId: body.template_id,
      params: body.template_data as Record<string, string>,
      ...(trackingId && { trackingId }),
      providerId: msgId,
      at: new Date().toISOString(),
    });
    res.json({
      error: 0,
      message: 'Success',
      data: { msg_id: msgId, sent_time: sentTime, quota: { dailyQuota: '500', remainingQuota: '499' } },
    });
    // Zalo then reports that the user's phone received it: which Zalo user the phone is.
    if (zaloWebhook) {
      const oaId = zaloWebhook.oaId;
      setTimeout(() => {
        postZalo({
          event_name: 'user_received_message',
          sender: { id: oaId },
          recipient: { id: simulatedZaloUserId(phone) },
          message: { msg_id: msgId, ...(trackingId && { tracking_id: trackingId }), delivery_time: String(Date.now()) },
        }).catch((err: unknown) => log.warn({ err }, 'customer simulator: could not post user_received_message'));
      }, 50);
    }
  });

  // ── eSMS ───────────────────────────────────────────────────────────────────
  app.post('/MainService.svc/json/SendMultipleMessage_V4_post_json/', express.json({ limit: '64kb' }), (req, res) => {
    const fault = takeFault('sms');
    if (fault?.status) return void res.status(fault.status).send('Service Unavailable');
    if (fault?.error !== undefined) return void res.json({ CodeResult: String(fault.error), ErrorMessage: 'Simulated failure' });
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (b.ApiKey !== options.esms.apiKey || b.SecretKey !== options.esms.secretKey)
      return void res.json({ CodeResult: '101', ErrorMessage: 'Authorize Failed' });
    if (b.Brandname !== options.esms.brandname) return void res.json({ CodeResult: '104', ErrorMessage: 'Brandname code is not exist' });
    if (typeof b.Phone !== 'string' || !/^(0|84)\d{9,10}$/.test(b.Phone))
      return void res.json({ CodeResult: '108', ErrorMessage: 'Phone is invalid' });
    if (typeof b.Content !== 'string' || !b.Content.trim()) return void res.json({ CodeResult: '146', ErrorMessage: 'Content is empty' });
    if (typeof b.RequestId === 'string' && b.RequestId) {
      if (requestIds.has(b.RequestId)) return void res.json({ CodeResult: '124', ErrorMessage: 'Duplicate RequestId' });
      requestIds.add(b.RequestId);
    }
    const smsId = crypto.randomUUID();
    messages.push({
      channel: 'sms',
      phone: b.Phone,
      text: b.Content,
      ...(typeof b.RequestId === 'string' && { trackingId: b.RequestId }),
      providerId: smsId,
      at: new Date().toISOString(),
    });
    res.json({ CodeResult: '100', CountRegenerate: 0, SMSID: smsId });
  });

  // ── Test hooks ─────────────────────────────────────────────────────────────
  app.get('/__sim/messages', (req, res) => {
    const channel = req.query.channel;
    res.json({ messages: messages.filter((m) => !channel || m.channel === channel) });
  });
  app.delete('/__sim/messages', (_req, res) => {
    messages.length = 0;
    res.status(204).end();
  });
  app.post('/__sim/faults', express.json({ limit: '4kb' }), (req, res) => {
    const { channel, status, error, count } = (req.body ?? {}) as Record<string, unknown>;
    if (channel !== 'zns' && channel !== 'sms') return void res.status(400).json({ error: 'channel must be zns or sms' });
    if (status !== undefined && (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599))
      return void res.status(400).json({ error: 'status must be an HTTP error status (400-599)' });
    if (status === undefined && typeof error !== 'number' && typeof error !== 'string')
      return void res.status(400).json({ error: 'give status (HTTP) or error (the provider’s code)' });
    const n = count === undefined ? 1 : count;
    if (!Number.isInteger(n) || (n as number) < 0) return void res.status(400).json({ error: 'count must be an integer ≥ 0' });
    faults = faults
      .filter((f) => f.channel !== channel)
      .concat({
        channel,
        count: n as number,
        ...(status !== undefined && { status: status as number }),
        ...(error !== undefined && { error: error as number | string }),
      });
    res.json({ faults });
  });
  app.post('/__sim/no-zalo', express.json({ limit: '4kb' }), (req, res) => {
    const phone = (req.body as { phone?: unknown } | undefined)?.phone;
    if (typeof phone !== 'string' || !/^(0|84)\d{9,10}$/.test(phone))
      return void res.status(400).json({ error: 'phone must be a Vietnamese number' });
    noZalo.add(toIntlPhone(phone));
    res.json({ noZalo: [...noZalo] });
  });
  app.post('/__sim/replies', express.json({ limit: '4kb' }), async (req, res) => {
    const { phone, text, via } = (req.body ?? {}) as { phone?: unknown; text?: unknown; via?: unknown };
    if (typeof phone !== 'string' || !/^(0|84)\d{9,10}$/.test(phone))
      return void res.status(400).json({ error: 'phone must be a Vietnamese number' });
    if (typeof text !== 'string' || !text) return void res.status(400).json({ error: 'text is required' });
    try {
      if (via === 'sms') {
        if (!smsWebhook) return void res.status(409).json({ error: 'the simulator has no inbound SMS webhook URL' });
        const smsid = crypto.randomUUID().replace(/-/g, '');
        const receiverTime = esmsTime(new Date());
        const content = smsWebhook.keyword ? `${smsWebhook.keyword} ${text}` : text;
        const sign = crypto
          .createHash('md5')
          .update(`${smsWebhook.cpId}${smsid}${content}${receiverTime}${smsWebhook.privateKey}`)
          .digest('base64');
        const query = new URLSearchParams({
          sender: toIntlPhone(phone),
          content,
          serviceNumber: smsWebhook.serviceNumber ?? '8079',
          keyword: smsWebhook.keyword ?? '',
          sign,
          cpid: smsWebhook.cpId,
          smsid,
          receiverTime,
        });
        const url = `${smsWebhook.url}?${query}`;
        const answer = await fetch(url);
        return void res.json({ request: { method: 'GET', url }, status: answer.status, answer: await answer.text() });
      }
      if (!zaloWebhook) return void res.status(409).json({ error: 'the simulator has no Zalo webhook URL' });
      const sent = await postZalo({
        event_name: 'user_send_text',
        user_id_by_app: simulatedZaloUserId(`app:${toLocalPhone(phone)}`),
        sender: { id: simulatedZaloUserId(toIntlPhone(phone)) },
        recipient: { id: zaloWebhook.oaId },
        message: { text, msg_id: crypto.randomBytes(16).toString('hex') },
      });
      res.json(sent);
    } catch (err) {
      res.status(502).json({ error: `could not deliver the reply: ${(err as Error).message}` });
    }
  });
  app.use((req, res) => void res.status(404).json({ error: `the customer simulator has no ${req.method} ${req.path}` }));

  const server = http.createServer(app);
  const url = await listenSimulator(server, { ...options, port: options.port ?? 4030 }, log, 'customer simulator');
  log.info({ url }, 'customer simulator listening (Zalo ZNS and eSMS API shapes)');
  return {
    url,
    messages: (channel) => messages.filter((m) => !channel || m.channel === channel),
    setWebhooks(hooks) {
      if (hooks.zalo) zaloWebhook = hooks.zalo;
      if (hooks.sms) smsWebhook = hooks.sms;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Simulator credentials for the providers the configuration leaves unset (npm start with CHANNELS=simulator). */
export const SIMULATED_ESMS = { apiKey: 'sim-esms-api-key', secretKey: 'sim-esms-secret-key', brandname: 'SHOPFLOW' };
export const SIMULATED_ZALO_APP = { appId: '1234567890123456789', oaId: '4097311281936189049', oaSecret: 'sim-zalo-oa-secret' };
export const SIMULATED_ESMS_MO = { cpId: 'sim-cp', privateKey: 'sim-esms-mo-private-key', keyword: 'XN' };
