/**
 * The dev server's start-up failures: a process that exits before it answers is a
 * DevServerStartError naming the cause line of its output (a Go panic prints the cause first and a
 * long stack after it), and startDevServerOnFreePort tries other ports before giving up.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DevServerStartError, startDevServerOnFreePort } from '../../../server/platform/temporal-dev-server';

/** An executable that fails like the CLI does when a port it binds was taken meanwhile. */
function failingCli(): { path: string; runs: () => number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-cli-'));
  const counter = path.join(dir, 'runs');
  const file = path.join(dir, 'temporal');
  fs.writeFileSync(
    file,
    `#!/bin/sh\necho x >> "${counter}"\necho 'panic: listen tcp 127.0.0.1:41234: bind: address already in use' >&2\nfor i in 1 2 3 4 5; do echo "\tgoroutine frame $i" >&2; done\nexit 2\n`,
    { mode: 0o755 },
  );
  return { path: file, runs: () => (fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8').trim().split('\n').length : 0) };
}

test('When the dev server exits during start-up every time, then it is tried on 3 ports and the error names the panic, not only the stack', async () => {
  const cli = failingCli();
  const retries: string[] = [];
  const started = startDevServerOnFreePort(
    { cliPath: cli.path, ip: '127.0.0.1', namespace: 'default', readyTimeoutMs: 10_000 },
    { onRetry: (m) => retries.push(m) },
  );
  await expect(started).rejects.toBeInstanceOf(DevServerStartError);
  await expect(started).rejects.toThrow(
    /exited during start-up \(code 2\): panic: listen tcp 127\.0\.0\.1:41234: bind: address already in use/,
  );
  expect(cli.runs()).toBe(3);
  expect(retries).toHaveLength(2);
  expect(retries[0]).toMatch(/attempt 1 of 3/);
});
