import type { Db } from '../db/client';
import type { Logger } from 'pino';
import type { CourierDirectory } from './shipping/couriers/directory';
import { createNotifyActivities } from './notifications/notify';
import { createShipmentActivities } from './shipping/shipments';
import { createStockActivities } from './books/stock';
import { createBooksActivities } from './books/books';
import { createOrderActivities } from './orders/orders';
import { createTaskActivities } from './tasks/tasks';
import { createKpiActivities } from './kpi/kpi';
import { createCustomerActivities } from './customers/customers';
import { createComplaintActivities } from './complaints/complaints';
import { createFixItActivities } from './tasks/fix-it';
import { createLeadActivities, type InboundServices } from './leads/leads';
import { createContractActivities } from './staff/contracts';

/** Everything activities may touch, wired by the worker (tests may pass other parts). */
export interface ActivityDeps {
  db: Db;
  log: Logger;
  couriers: CourierDirectory;
  /** Leads from the shop's channels: how an order starts and the Facebook Graph API (server/platform/worker.ts wires them). */
  inbound?: InboundServices;
}

/** All activities registered on the `shopflow` task queue. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createOrderActivities(deps),
    ...createTaskActivities(deps),
    ...createNotifyActivities(deps),
    ...createShipmentActivities(deps),
    ...createStockActivities(deps),
    ...createBooksActivities(deps),
    ...createKpiActivities(deps),
    ...createCustomerActivities(deps),
    ...createComplaintActivities(deps),
    ...createFixItActivities(deps),
    ...createLeadActivities(deps),
    ...createContractActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
