/**
 * `npm run build` step: bundle workflows/ once into dist/workflow-bundle.js, so production
 * workers start in a second (set WORKFLOW_BUNDLE_PATH to it) instead of bundling at start-up.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { projectRoot } from '../server/platform/paths';

export async function bundleWorkflows(outFile: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(projectRoot(), 'workflows', 'index.ts'), logger: quietLogger });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, code);
  return outFile;
}

const noop = () => undefined;
const quietLogger = {
  log: noop,
  trace: noop,
  debug: noop,
  info: noop,
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};

if (require.main === module) {
  const out = path.join(projectRoot(), process.argv[2] ?? 'dist/workflow-bundle.js');
  bundleWorkflows(out).then(
    (file) => console.log(`workflow bundle written to ${file}`),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
