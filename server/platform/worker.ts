import { Context, ApplicationFailure } from '@temporalio/activity';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities';
import type { InboundServices } from '../../activities/leads/leads';
import type { Db } from '../../db/client';
import type { Config, TemporalConfig } from './config';
import { createCustomersStore } from '../customers/customers';
import { HttpError } from '../http/errors';
import { createOrdersService } from '../orders/orders';
import { createDefinitionsStore } from '../shop/definitions';
import { createShopCache } from '../shop/shop-cache';

export interface WorkerOptions {
  connection: NativeConnection;
  temporal: TemporalConfig;
  deps: ActivityDeps;
  /**
   * The whole config: with it, leads from the shop's channels can start orders (the same order
   * service as `POST /leads`) and read Facebook lead-ads leads. Without it those steps wait on a fix-it task.
   */
  config?: Config;
  /** A pre-built workflow bundle (tests, production images); otherwise workflows/ is bundled at start. */
  workflowBundlePath?: string;
  /** Distinguishes workers in the Web UI and in logs. */
  identity?: string;
}

/** The worker of the `shopflow` task queue: every workflow and activity of the product. */
export async function createShopflowWorker(opts: WorkerOptions): Promise<Worker> {
  const inbound = opts.deps.inbound ?? (opts.config ? inboundServices(opts.deps.db, opts.config) : undefined);
  return Worker.create({
    connection: opts.connection,
    namespace: opts.temporal.namespace,
    taskQueue: opts.temporal.taskQueue,
    activities: createActivities({ ...opts.deps, ...(inbound ? { inbound } : {}) }),
    ...(opts.workflowBundlePath
      ? { workflowBundle: { codePath: opts.workflowBundlePath } }
      : { workflowsPath: require.resolve('../../workflows') }),
    ...(opts.identity ? { identity: opts.identity } : {}),
    ...(opts.temporal.maxCachedWorkflows ? { maxCachedWorkflows: opts.temporal.maxCachedWorkflows } : {}),
    // In-flight activities get this long to finish on SIGTERM before they are cancelled.
    shutdownGraceTime: '10 seconds',
  });
}

/**
 * A lead's order starts through the server's order service, the one `POST /leads` uses (same
 * checks, search attributes and order row), with the worker's own Temporal client; a lead it
 * refuses (unknown channel, no active process) is a non-retryable failure in Vietnamese, which
 * the workflow turns into a task for the manager.
 */
function inboundServices(db: Db, config: Config): InboundServices {
  const definitions = createDefinitionsStore(db);
  const shop = createShopCache(definitions);
  const customers = createCustomersStore(db);
  return {
    facebookGraphUrl: config.inbound.facebookGraphUrl,
    ...(config.inbound.facebookPageAccessToken ? { facebookPageAccessToken: config.inbound.facebookPageAccessToken } : {}),
    async startOrder(lead, idempotencyKey) {
      const orders = createOrdersService({ db, temporal: Context.current().client, config, definitions, shop, customers });
      try {
        const started = await orders.startFromLead(lead, { actor: `channel:${lead.channel}`, idempotencyKey });
        return { orderId: started.orderId };
      } catch (err) {
        if (err instanceof HttpError && err.status < 500) {
          const fields = (err.details as { fields?: Array<{ field: string; message: string }> } | undefined)?.fields ?? [];
          const why =
            err.code === 'no_active_process'
              ? 'chưa có quy trình đơn hàng nào đang dùng — hãy kích hoạt một quy trình'
              : fields.length
                ? fields.map((f) => `${f.field}: ${f.message}`).join('; ')
                : err.message;
          throw ApplicationFailure.nonRetryable(`Không tạo được đơn từ lead: ${why}`, 'LeadRefused');
        }
        throw err;
      }
    },
  };
}
