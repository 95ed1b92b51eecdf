/**
 * The local Facebook simulator: what Meta's platform looks like to shopflow, in its real shapes.
 * - Webhooks to the app (`POST {webhookUrl}`), signed as Meta signs them: `X-Hub-Signature-256:
 *   sha256=<hex HMAC-SHA256 of the raw body with the app secret>`, body `{"object": "page",
 *   "entry": [{"id": <page id>, "time", "messaging": [{sender: {id: <PSID>}, recipient: {id: <page>},
 *   timestamp, message: {mid, text}}]}]}` for Messenger, `message.is_echo: true` for the page's
 *   replies, and `"changes": [{"field": "leadgen", "value": {ad_id, form_id, leadgen_id,
 *   created_time, page_id, adgroup_id}}]` for a lead-ads form.
 * - The subscription handshake (`GET {webhookUrl}?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`).
 * - The Graph API's lead read: `GET /v19.0/{leadgen_id}?access_token=<page token>` → `{id,
 *   created_time, field_data: [{name, values}]}`; a wrong token is 400 `OAuthException` code 190,
 *   an unknown id 400 `GraphMethodException` code 100, as Graph answers.
 * Test hooks under `/__sim` (each answers the request it made and the app's answer, so a test can
 * replay it): `POST /__sim/messages {psid?, text}` or `{messages: [{psid?, text}, …]}` (one
 * webhook carrying them all), `POST /__sim/echo {psid, text}`, `POST /__sim/leadgen {fields}`,
 * `POST /__sim/verify` (the handshake), `GET /__sim/leads`.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import express from 'express';
import pino, { type Logger } from 'pino';
import { listenSimulator } from '../sim-http';

export interface FacebookSimulatorOptions {
  port?: number;
  host?: string;
  anyPortIfTaken?: boolean;
  appSecret: string;
  verifyToken: string;
  pageAccessToken: string;
  pageId?: string;
  /** The app's `POST /webhooks/facebook` (settable later with setWebhookUrl). */
  webhookUrl?: string;
  log?: Logger;
}

/** What a hook sent and what the app answered. */
export interface SentWebhook {
  request: { method: 'POST'; url: string; headers: Record<string, string>; body: string };
  status: number;
  answer: string;
}

export interface FacebookSimulator {
  url: string;
  /** The Graph API root shopflow's FACEBOOK_GRAPH_URL points at (`{url}/v19.0`). */
  graphUrl: string;
  pageId: string;
  setWebhookUrl(url: string): void;
  /** A customer writes to the page (a new PSID unless given); one webhook may carry several. */
  sendMessages(messages: Array<{ psid?: string; text: string }>): Promise<SentWebhook & { psids: string[]; mids: string[] }>;
  /** The page answers a customer (Messenger's echo). */
  sendEcho(psid: string, text: string): Promise<SentWebhook>;
  /** A customer submits a lead-ads form with these answers. */
  submitLeadForm(fields: Record<string, string>): Promise<SentWebhook & { leadgenId: string }>;
  /** The subscription handshake Meta runs when the webhook is set up; answers what the app said. */
  verify(token?: string): Promise<{ status: number; answer: string; challenge: string }>;
  close(): Promise<void>;
}

/** `sha256=<hex>`: what Meta puts in X-Hub-Signature-256 for these exact bytes. */
export const facebookSignature = (body: string | Buffer, appSecret: string) =>
  `sha256=${crypto.createHmac('sha256', appSecret).update(body).digest('hex')}`;

/** A page-scoped id: 16 digits, like Messenger's. */
const newPsid = () => `${24}${crypto.randomInt(10 ** 13, 10 ** 14 - 1)}`;

export async function createFacebookSimulator(options: FacebookSimulatorOptions): Promise<FacebookSimulator> {
  const log = options.log ?? pino({ level: 'silent' });
  const pageId = options.pageId ?? SIMULATED_FACEBOOK.pageId;
  let webhookUrl = options.webhookUrl;
  const leads = new Map<
    string,
    { id: string; created_time: string; form_id: string; ad_id: string; field_data: Array<{ name: string; values: string[] }> }
  >();

  async function post(body: Record<string, unknown>): Promise<SentWebhook> {
    if (!webhookUrl) throw new Error('the Facebook simulator has no webhook URL');
    const raw = JSON.stringify(body);
    const headers = { 'content-type': 'application/json', 'x-hub-signature-256': facebookSignature(raw, options.appSecret) };
    const res = await fetch(webhookUrl, { method: 'POST', headers, body: raw });
    return { request: { method: 'POST', url: webhookUrl, headers, body: raw }, status: res.status, answer: await res.text() };
  }

  const entry = (fields: Record<string, unknown>) => ({ object: 'page', entry: [{ id: pageId, time: Date.now(), ...fields }] });

  async function sendMessages(messages: Array<{ psid?: string; text: string }>) {
    const items = messages.map((m) => ({
      sender: { id: m.psid ?? newPsid() },
      recipient: { id: pageId },
      timestamp: Date.now(),
      message: { mid: `m_${crypto.randomBytes(24).toString('base64url')}`, text: m.text },
    }));
    const sent = await post(entry({ messaging: items }));
    return { ...sent, psids: items.map((i) => i.sender.id), mids: items.map((i) => i.message.mid) };
  }

  async function sendEcho(psid: string, text: string) {
    return post(
      entry({
        messaging: [
          {
            sender: { id: pageId },
            recipient: { id: psid },
            timestamp: Date.now(),
            message: { mid: `m_${crypto.randomBytes(24).toString('base64url')}`, text, is_echo: true, app_id: 1517776481860111 },
          },
        ],
      }),
    );
  }

  async function submitLeadForm(fields: Record<string, string>) {
    const leadgenId = `${crypto.randomInt(1, 10)}${String(crypto.randomInt(0, 10 ** 14)).padStart(14, '0')}`;
    const formId = '551111744595541';
    const adId = '6045235577421';
    const createdTime = Math.floor(Date.now() / 1000);
    leads.set(leadgenId, {
      id: leadgenId,
      created_time: new Date(createdTime * 1000).toISOString().replace(/\.\d{3}Z$/, '+0000'),
      form_id: formId,
      ad_id: adId,
      field_data: Object.entries(fields).map(([name, value]) => ({ name, values: [value] })),
    });
    const sent = await post(
      entry({
        changes: [
          {
            field: 'leadgen',
            value: { ad_id: adId, form_id: formId, leadgen_id: leadgenId, created_time: createdTime, page_id: pageId, adgroup_id: adId },
          },
        ],
      }),
    );
    return { ...sent, leadgenId };
  }

  async function verify(token = options.verifyToken) {
    if (!webhookUrl) throw new Error('the Facebook simulator has no webhook URL');
    const challenge = String(crypto.randomInt(10 ** 9));
    const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': challenge });
    const res = await fetch(`${webhookUrl}?${query}`);
    return { status: res.status, answer: await res.text(), challenge };
  }

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok', leads: leads.size }));

  app.get('/__sim/leads', (_req, res) => void res.json([...leads.values()]));

  // ── Graph API: a lead-ads lead ─────────────────────────────────────────────
  app.get('/:version/:id', (req, res) => {
    const token = typeof req.query.access_token === 'string' ? req.query.access_token : req.get('authorization')?.replace(/^Bearer /, '');
    if (token !== options.pageAccessToken)
      return void res.status(400).json({
        error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: 'Asim' },
      });
    const lead = leads.get(req.params.id);
    if (!lead)
      return void res.status(400).json({
        error: {
          message: `Unsupported get request. Object with ID '${req.params.id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
          type: 'GraphMethodException',
          code: 100,
          error_subcode: 33,
          fbtrace_id: 'Asim',
        },
      });
    res.json(lead);
  });

  // ── Test hooks ─────────────────────────────────────────────────────────────
  const hook = (fn: (body: Record<string, unknown>) => Promise<unknown>) => async (req: express.Request, res: express.Response) => {
    try {
      res.json(await fn((req.body ?? {}) as Record<string, unknown>));
    } catch (err) {
      res.status(502).json({ error: `could not deliver: ${(err as Error).message}` });
    }
  };
  app.post(
    '/__sim/messages',
    express.json({ limit: '1mb' }),
    hook(async (b) => {
      const list = Array.isArray(b.messages) ? b.messages : [b];
      return sendMessages(list.map((m) => ({ psid: typeof m.psid === 'string' ? m.psid : undefined, text: String(m.text ?? '') })));
    }),
  );
  app.post(
    '/__sim/echo',
    express.json(),
    hook((b) => sendEcho(String(b.psid), String(b.text ?? ''))),
  );
  app.post(
    '/__sim/leadgen',
    express.json(),
    hook((b) =>
      submitLeadForm(Object.fromEntries(Object.entries((b.fields ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]))),
    ),
  );
  app.post(
    '/__sim/verify',
    express.json(),
    hook(() => verify()),
  );
  app.use((req, res) => void res.status(404).json({ error: `the Facebook simulator has no ${req.method} ${req.path}` }));

  const server = http.createServer(app);
  const url = await listenSimulator(server, { ...options, port: options.port ?? 4040 }, log, 'Facebook simulator');
  log.info({ url }, 'Facebook simulator listening (Messenger and lead-ads webhooks, Graph API leads)');
  return {
    url,
    graphUrl: `${url}/v19.0`,
    pageId,
    setWebhookUrl(next) {
      webhookUrl = next;
    },
    sendMessages,
    sendEcho,
    submitLeadForm,
    verify,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Simulator credentials for `npm start` when the Facebook settings are unset. */
export const SIMULATED_FACEBOOK = {
  appSecret: 'sim-facebook-app-secret',
  verifyToken: 'sim-facebook-verify-token',
  pageAccessToken: 'sim-facebook-page-token',
  pageId: '104857394857123',
};
