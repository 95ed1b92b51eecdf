import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Client } from '@temporalio/client';
import type { Database } from '../../db/client';
import type { Config } from '../platform/config';
import { authenticate } from './auth';
import { outsourcedLimits } from '../outsourcing/limits';
import { createDefinitionsStore } from '../shop/definitions';
import { errorHandler, notFoundRoute } from './errors';
import { limitBodyDepth, singleQueryValues } from './validate';
import { definitionsRouter } from '../shop/definitions-routes';
import { templatesRouter } from '../shop/templates-routes';
import { createGuidesService } from '../guides/guides';
import { scriptsReportRouter } from '../guides/routes';
import { staffRouter } from '../staff/routes';
import { createPayoutsService } from '../kpi/payouts';
import { myPayoutRouter, payoutsRouter } from '../kpi/payouts-routes';
import { leadsRouter } from '../orders/leads-routes';
import { ordersRouter } from '../orders/routes';
import { manualOrdersRouter } from '../orders/manual-routes';
import { taskAssigneesRouter } from '../tasks/assignees-routes';
import { courierWebhooksRouter } from '../shipping/webhook-routes';
import { webShopWebhooksRouter } from '../webshops/routes';
import { customerWebhooksRouter } from '../messaging/routes';
import { embedRouter, facebookWebhookRouter, publicLeadsRouter, zaloLeadHandlers } from '../inbound/routes';
import { createInboundRelay } from '../inbound/relay';
import type { CourierDirectory } from '../../activities/shipping/couriers/directory';
import { tasksRouter } from '../tasks/routes';
import { packingRouter } from '../packing/routes';
import { storeRouter } from '../store/routes';
import { createStoreService } from '../store/store';
import { createPrefill } from '../tasks/prefill';
import { createTaskContext } from '../tasks/context';
import { placesRouter } from '../places/routes';
import { createPackingStore } from '../packing/packing';
import { createOrdersService } from '../orders/orders';
import { createCustomersStore } from '../customers/customers';
import { createTasksStore } from '../tasks/tasks';
import { createShopCache } from '../shop/shop-cache';
import { createStaffStore } from '../staff/staff';
import { healthRouter } from '../platform/health';
import { docsRouter } from './docs-routes';
import { kpiRouter } from '../kpi/routes';
import { createKpiService } from '../kpi/kpi';
import { createBooksStore } from '../books/books';
import { productsRouter } from '../books/products-routes';
import { stockRouter } from '../books/stock-routes';
import { purchasesRouter } from '../books/purchases-routes';
import { booksRouter } from '../books/routes';
import { codRouter } from '../books/cod-routes';
import { createSuppliersStore } from '../../db/suppliers/suppliers';
import { purchaseOrdersRouter, suppliersRouter } from '../suppliers/routes';
import { reportsRouter } from '../reports/routes';
import { redactUrl, type Logger } from '../platform/logger';
import { projectRoot } from '../platform/paths';

import { customersRouter } from '../customers/routes';
import { complaintsRouter } from '../complaints/routes';
import { createComplaintsStore } from '../complaints/complaints';
import { dashboardRouter } from '../shop/dashboard-routes';
import { createDashboardStore } from '../shop/dashboard';
import { stuckWorkflowsOf } from '../platform/stuck-workflows';
import { notificationsRouter } from '../notifications/routes';
import { preferencesRouter } from '../notifications/preferences-routes';
import { setupRouter } from '../setup/routes';
import { createSetupChecklist } from '../setup/setup';
/** What the HTTP app needs; built by the entry points, or by tests with real parts. */
export interface AppDeps {
  config: Config;
  database: Database;
  temporal: Client;
  log: Logger;
  /**
   * Courier adapters for webhooks, built by the entry point (server/main/*, tests/support/stack.ts)
   * with createCourierDirectory: adapters are activity code, so the server only holds the type.
   */
  couriers: CourierDirectory;
}

/** The Express app: health, and the /api/v1 routes. It does not listen; the caller does. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // node:querystring: a repeated key becomes an array (refused below), brackets never build objects.
  app.set('query parser', 'simple');
  // Off unless TRUST_PROXY names the proxies in front: otherwise any client picks its own req.ip
  // with X-Forwarded-For (and with it, its failed-login and webhook limits).
  app.set('trust proxy', deps.config.trustProxy);
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: deps.log.child({ component: 'http' }),
      // Health probes every few seconds would drown the log.
      autoLogging: { ignore: (req) => req.url === '/healthz' },
      // One short line per request: method, path, status, time (headers would be noise and may carry secrets).
      serializers: {
        // Webhook tokens/hashes in the query and customers' phones in the path or query never reach the log.
        req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
          ip: req.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );
  // Every route reads a query parameter as one text value; a repeated one is refused here, once, for all.
  app.use(singleQueryValues);
  app.use(healthRouter(deps));
  app.use(docsRouter()); // public: the OpenAPI document and its docs page

  app.use(
    '/webhooks/couriers',
    courierWebhooksRouter({ db: deps.database.db, couriers: deps.couriers, temporal: deps.temporal, log: deps.log }),
  );
  // Leads from the shop's channels: stored first, their workflows started by the relay (also after Temporal was away).
  const inbound = {
    db: deps.database.db,
    log: deps.log,
    settings: deps.config.inbound,
    relay: createInboundRelay({ db: deps.database.db, temporal: deps.temporal, taskQueue: deps.config.temporal.taskQueue, log: deps.log }),
  };
  app.use('/webhooks', facebookWebhookRouter(inbound));
  app.use('/embed', embedRouter());
  // The website's lead form takes no token: mounted before the authenticated API.
  app.use('/api/v1/public', publicLeadsRouter(inbound));
  // Customers' providers: Zalo OA events (ZNS receipts, replies, and leads from other messages) and eSMS inbound SMS.
  app.use(
    '/webhooks',
    customerWebhooksRouter({
      db: deps.database.db,
      temporal: deps.temporal,
      log: deps.log,
      settings: deps.config.delivery,
      zaloHandlers: zaloLeadHandlers(inbound),
    }),
  );

  const staff = createStaffStore(deps.database.db);
  const definitions = createDefinitionsStore(deps.database.db);
  const shop = createShopCache(definitions);
  const api = Router();
  // Who is asking comes first: an anonymous caller gets 401, whatever body it sent.
  api.use(authenticate({ staff, shop: shop.get }));
  // Outsourced staff: no exports, customers' phones masked in every answer (server/outsourcing).
  api.use(outsourcedLimits({ db: deps.database.db, log: deps.log }));
  api.use(express.json({ limit: '256kb' }));
  api.use(limitBodyDepth);
  api.get('/me', (req, res) => {
    const p = req.principal!;
    res.json({
      staffId: p.staffId,
      name: p.name,
      roles: p.roles,
      channels: p.channels,
      scope: p.scope,
      permissions: [...p.permissions].sort(),
      ...(p.outsourced && { outsourced: p.outsourced }),
    });
  });
  api.use('/me/notifications', notificationsRouter({ db: deps.database.db, listener: deps.database.listener, log: deps.log }));
  api.use(preferencesRouter({ db: deps.database.db, vapidPublicKey: () => deps.config.delivery.vapidPublicKey }));
  // Before /definitions, whose /:name would take `templates` for a definition's name.
  api.use('/definitions/templates', templatesRouter({ db: deps.database.db, shop }));
  api.use(
    '/setup',
    setupRouter({ checklist: createSetupChecklist({ db: deps.database.db, definitions, couriers: deps.config.couriers }) }),
  );
  api.use('/definitions', definitionsRouter({ definitions, shop, db: deps.database.db }));
  api.use('/staff', staffRouter({ staff, shop, contracts: { temporal: deps.temporal, taskQueue: deps.config.temporal.taskQueue } }));
  const tasks = createTasksStore(deps.database.db);
  const packing = createPackingStore(deps.database.db);
  // Before /tasks and /orders: packing's paths (/orders/pick-list.pdf) are not order ids.
  api.use(packingRouter({ packing, tasks, shop }));
  const guides = createGuidesService({ db: deps.database.db, definitions, shop });
  const prefill = createPrefill({ db: deps.database.db, temporal: deps.temporal });
  const taskContext = createTaskContext({ db: deps.database.db, figures: prefill.figures });
  api.use('/tasks', taskAssigneesRouter({ tasks, staff, shop }));
  api.use('/tasks', tasksRouter({ tasks, staff, shop, temporal: deps.temporal, guides, packing, prefill, context: taskContext }));
  api.use('/reports/scripts', scriptsReportRouter({ guides }));
  // Before /orders: `manual` and `choices` are not order ids.
  api.use(
    '/orders',
    manualOrdersRouter({
      orders: createOrdersService({
        db: deps.database.db,
        temporal: deps.temporal,
        config: deps.config,
        definitions,
        shop,
        customers: createCustomersStore(deps.database.db),
      }),
      db: deps.database.db,
      shop,
    }),
  );
  api.use('/orders', ordersRouter({ db: deps.database.db, temporal: deps.temporal, tasks }));
  const customers = createCustomersStore(deps.database.db);
  api.use(
    '/leads',
    leadsRouter({
      orders: createOrdersService({ db: deps.database.db, temporal: deps.temporal, config: deps.config, definitions, shop, customers }),
      db: deps.database.db,
    }),
  );
  api.use('/customers', customersRouter({ customers, shop }));
  api.use(
    '/store',
    storeRouter({
      store: createStoreService({ db: deps.database.db, log: deps.log, shop, definitions, customers }),
      db: deps.database.db,
      shop,
    }),
  );
  api.use(
    '/complaints',
    complaintsRouter({
      complaints: createComplaintsStore({
        db: deps.database.db,
        temporal: deps.temporal,
        taskQueue: deps.config.temporal.taskQueue,
        definitions,
        customers,
      }),
    }),
  );
  api.use(
    '/kpi',
    kpiRouter({
      kpi: createKpiService({ db: deps.database.db, temporal: deps.temporal, taskQueue: deps.config.temporal.taskQueue, definitions }),
    }),
  );
  // Motivation: leaderboards and commission statements of KPI periods.
  const payouts = createPayoutsService({ db: deps.database.db, definitions, shop });
  api.use('/kpi', payoutsRouter({ payouts }));
  api.use(myPayoutRouter({ payouts }));
  const books = createBooksStore(deps.database.db, deps.log);
  api.use('/products', productsRouter({ books }));
  api.use('/places', placesRouter());
  api.use('/stock', stockRouter({ books, shop }));
  api.use('/purchases', purchasesRouter({ db: deps.database.db, log: deps.log, books, shop }));
  api.use('/books', booksRouter({ db: deps.database.db, books, shop }));
  api.use('/cod', codRouter({ db: deps.database.db, shop }));
  const suppliers = createSuppliersStore(deps.database.db, deps.log);
  api.use('/suppliers', suppliersRouter({ suppliers }));
  api.use('/purchase-orders', purchaseOrdersRouter({ suppliers, books, shop }));
  api.use('/reports', reportsRouter({ db: deps.database.db, shop }));
  api.use(
    '/dashboard',
    dashboardRouter({
      dashboard: createDashboardStore({ db: deps.database.db, definitions }),
      shop,
      stuck: stuckWorkflowsOf({ temporal: deps.temporal, db: deps.database.db, taskQueue: deps.config.temporal.taskQueue }),
    }),
  );
  // Web shops' orders (Shopify, Haravan): public, authenticated by the platforms' signatures.
  app.use(
    '/webhooks',
    webShopWebhooksRouter({
      orders: createOrdersService({ db: deps.database.db, temporal: deps.temporal, config: deps.config, definitions, shop, customers }),
      tasks,
      shop,
      temporal: deps.temporal,
      db: deps.database.db,
      log: deps.log,
      settings: deps.config.webshops,
    }),
  );
  app.use('/api/v1', api);
  serveStaffConsole(app);

  app.use(notFoundRoute);
  app.use(errorHandler);
  return app;
}

/** Paths the console's SPA fallback must never answer: the API, probes, webhooks, and missing assets (a 404, not a page). */
const NOT_CONSOLE = /^\/(api|healthz|webhooks|assets)(\/|$)/;

/**
 * The staff web console (built into console/dist by `npm run build:console`) at `/`: hashed
 * assets under `/assets/`, and index.html for any other page a browser asks for (the console
 * routes in the browser). Its CSP is helmet's default less `upgrade-insecure-requests`, so it
 * also works over plain HTTP on a LAN address (phones in the shop).
 */
function serveStaffConsole(app: Express): void {
  const dir = path.join(projectRoot(), 'console', 'dist');
  const csp = helmet.contentSecurityPolicy({ directives: { upgradeInsecureRequests: null } });
  app.use('/assets', csp, express.static(path.join(dir, 'assets'), { index: false, immutable: true, maxAge: '1y' }));
  const page: RequestHandler = (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_CONSOLE.test(req.path) || !req.accepts('html')) return next();
    const index = path.join(dir, 'index.html');
    if (!fs.existsSync(index))
      return void res.status(503).type('text/plain').send('The staff console is not built yet: run `npm run build:console`.');
    res.set('Cache-Control', 'no-cache');
    res.sendFile(index, (err) => err && next(err));
  };
  app.use(csp, page);
}
