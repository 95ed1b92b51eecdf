/**
 * `npm run bench:cluster -- [bench:orders flags]`: `bench:orders` (same load, same figures, same
 * baseline in the same run) on the production shape instead of the dev server — the Temporal
 * server built from its Go module (`npm run temporal-server:install`) running the frontend,
 * history, matching and worker services on PostgreSQL persistence and visibility, set up fresh
 * for the run and dropped at the end. The "Temporal dev server" CPU line of bench:orders is then
 * the temporal-server process.
 */
import { spawn } from 'node:child_process';
import { projectRoot } from '../../server/platform/paths';
import { startTemporalCluster } from '../../tests/cluster/support/cluster';
import { note, runBench } from './support';

runBench(async () => {
  const cluster = await startTemporalCluster({ progress: note });
  const stopOnSignal = () => {
    void cluster.destroy().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    process.stdout.write(
      `bench:cluster — bench:orders on a Temporal ${cluster.address} cluster (temporal-server: frontend, history, matching, worker; PostgreSQL persistence and visibility; 4 history shards)\n`,
    );
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/orders.ts', ...process.argv.slice(2)], {
        cwd: projectRoot(),
        // Couriers on the run's simulator: with TEMPORAL_ADDRESS set a worker defaults to live couriers.
        env: {
          ...process.env,
          COURIERS: 'simulator',
          BENCH_TEMPORAL_ADDRESS: cluster.address,
          BENCH_TEMPORAL_SERVER_PID: String(cluster.serverPid() ?? ''),
        },
        stdio: 'inherit',
      });
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode));
    });
    if (code !== 0) throw new Error(`bench:orders on the cluster exited with code ${code}`);
  } finally {
    await cluster.destroy();
  }
});
