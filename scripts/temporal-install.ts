/** `npm run temporal:install`: find or build the Temporal CLI (the same resolution `npm start` uses). */
import { resolveTemporalCli } from '../server/platform/temporal-cli';

resolveTemporalCli({ explicitPath: process.env.TEMPORAL_CLI, progress: (m) => console.log(m) }).then(
  (cli) => console.log(`Temporal CLI: ${cli.path} (from ${cli.source})`),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
