import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Database } from '../../db/client';
import type { Config } from './config';
import { stuckWorkflowsOf } from './stuck-workflows';

const started = Date.now();
const version: string = require('../../package.json').version;

/** What the health probe asks: Temporal, the database, and the stuck workflows of the task queue (the app passes its own deps). */
export interface HealthDeps {
  config: Pick<Config, 'temporal'>;
  database: Pick<Database, 'ping' | 'db' | 'driver'>;
  temporal: Client;
}

/**
 * `GET /healthz`: 200 when Temporal and the database answer, else 503 naming the failing part;
 * `stuck` lists the workflows failing anyway (server/platform/stuck-workflows.ts) with their ids.
 */
export function healthRouter(deps: HealthDeps): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const [temporal, db] = await Promise.all([
      probe(() => deps.temporal.workflowService.getSystemInfo({})),
      probe(() => deps.database.ping()),
    ]);
    const ok = temporal === 'ok' && db === 'ok';
    // Stuck workflows are listed, not a reason for 503: the service itself answers.
    const stuck =
      temporal === 'ok' && db === 'ok'
        ? await stuckWorkflowsOf({ temporal: deps.temporal, db: deps.database.db, taskQueue: deps.config.temporal.taskQueue }).read()
        : undefined;
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'unavailable',
      temporal,
      db,
      dbDriver: deps.database.driver,
      namespace: deps.config.temporal.namespace,
      taskQueue: deps.config.temporal.taskQueue,
      version,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
      ...(stuck
        ? {
            stuck: {
              count: stuck.count,
              workflows: stuck.workflows.map((w) => ({ workflowId: w.workflowId, kind: w.kind, reason: w.reason, since: w.since })),
              checkedAt: stuck.checkedAt,
              ...(stuck.error ? { error: stuck.error } : {}),
            },
          }
        : {}),
    });
  });
  return router;
}

/** "ok", or the reason in a few words; never hangs longer than the timeout. */
async function probe(check: () => Promise<unknown>, timeoutMs = 3_000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return 'ok';
  } catch (err) {
    return `error: ${(err as Error).message.split('\n')[0]}`;
  } finally {
    clearTimeout(timer);
  }
}
