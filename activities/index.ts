import type { Db } from '../db/client';
import type { Logger } from '../server/logger';
import type { CourierDirectory } from './couriers/directory';
import { createNotifyActivities } from './notify';
import { createShipmentActivities } from './shipments';
import { createStockActivities } from './stock';
import { createBooksActivities } from './books';
import { createOrderActivities } from './orders';
import { createTaskActivities } from './tasks';
import { createKpiActivities } from './kpi';
import { createCustomerActivities } from './customers';
import { createComplaintActivities } from './complaints';
import { createFixItActivities } from './fix-it';

/** Everything activities may touch, wired by the worker (tests may pass other parts). */
export interface ActivityDeps {
  db: Db;
  log: Logger;
  couriers: CourierDirectory;
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
  };
}

export type Activities = ReturnType<typeof createActivities>;
