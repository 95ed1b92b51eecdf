/**
 * Definitions through the real admin API on real PostgreSQL and Temporal: validate, upload
 * (immutable, content-hashed versions), activate; bad input changes nothing; running orders
 * keep the version they started with.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { definitionVersions } from '../../db/schema';
import { projectRoot } from '../../server/platform/paths';
import { apiClient, eventually, fixture, openTestStack, uniqueId, type TestStack } from '../support/stack';

let stack: TestStack;
let base: string;
let admin: { id: string; token: string };

beforeAll(async () => {
  stack = await openTestStack();
  await stack.startWorker();
  base = await stack.startApp();
  admin = await stack.createStaff(['admin']);
});
afterAll(() => stack?.close());

/** The fast test process under a fresh name, optionally with one edit. */
function processYaml(name: string, edit: (yaml: string) => string = (y) => y): string {
  return edit(fixture('fast-order.yaml').replace(/^(  name:\s*).*$/m, `$1${name}`));
}
const storedVersions = async (name: string) => stack.database.db.select().from(definitionVersions).where(eq(definitionVersions.name, name));

describe('admin definitions API', () => {
  test('When an admin uploads, re-uploads and activates a definition, then versions are immutable, deduplicated by content, and activation is explicit', async () => {
    const api = apiClient(base, admin.token);
    const name = uniqueId('proc');
    const valid = await api.yaml('/api/v1/definitions/validate', processYaml(name));
    expect(valid).toMatchObject({ status: 200, body: { valid: true, summary: { kind: 'OrderProcess', name, stageCount: 5 } } });
    expect(await storedVersions(name)).toHaveLength(0); // validating stores nothing

    const v1 = await api.yaml('/api/v1/definitions', processYaml(name));
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ name, version: 1, created: true, active: false });
    expect(v1.body.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const again = await api.yaml('/api/v1/definitions', processYaml(name));
    expect(again).toMatchObject({ status: 200, body: { name, version: 1, hash: v1.body.hash, created: false } });
    const v2 = await api.yaml(
      '/api/v1/definitions',
      processYaml(name, (y) => y.replace('sla: 1h', 'sla: 2h').replace('after: 1h', 'after: 2h')),
    );
    expect(v2.body).toMatchObject({ version: 2, created: true });

    expect((await api.get(`/api/v1/definitions/${name}`)).body).toMatchObject({
      name,
      kind: 'OrderProcess',
      latestVersion: 2,
      activeVersion: null,
    });
    expect((await api.post(`/api/v1/definitions/${name}/versions/2/activate`)).status).toBe(200);
    const detail = await api.get(`/api/v1/definitions/${name}`);
    expect(detail.body).toMatchObject({ activeVersion: 2, active: { version: 2, compiled: { kind: 'OrderProcess', start: 'close' } } });
    expect((await api.post(`/api/v1/definitions/${name}/versions/1/activate`)).status).toBe(200);
    const versions = await api.get(`/api/v1/definitions/${name}/versions`);
    expect(versions.body.versions.map((v: { version: number; active: boolean }) => [v.version, v.active])).toEqual([
      [2, false],
      [1, true],
    ]);
    const one = await api.get(`/api/v1/definitions/${name}/versions/1`);
    expect(one.body.yaml).toBe(processYaml(name));
    expect((await api.get('/api/v1/definitions')).body.definitions).toEqual(
      expect.arrayContaining([expect.objectContaining({ name, latestVersion: 2, activeVersion: 1 })]),
    );
    expect((await api.get(`/api/v1/definitions/${name}/versions/9`)).status).toBe(404);
    expect((await api.post(`/api/v1/definitions/${name}/versions/9/activate`)).status).toBe(404);
  });

  // Every row has four entries: jest treats a test function with more parameters than the row as callback-style.
  const badInputs: Array<[string, (name: string) => string, RegExp, string | null]> = [
    ['malformed YAML', (n) => processYaml(n).replace('  start: close', '  start: [close'), /./, null],
    ['a wrong type', (n) => processYaml(n).replace('sla: 2s', 'sla: [2s]'), /./, 'spec.stages[0].sla'],
    ['an unknown key', (n) => processYaml(n).replace('      sla: 2s', '      slaa: 2s\n      sla: 2s'), /slaa/, 'spec.stages[0].slaa'],
    ['a dangling target', (n) => processYaml(n).replace('to: confirm', 'to: confrim'), /confrim/, null],
    [
      'an unreachable stage',
      (n) => `${processYaml(n)}    - { id: orphan, kind: end, title: "Mồ côi", result: completed }\n`,
      /orphan|reach/i,
      null,
    ],
    ['an unknown role', (n) => processYaml(n).replace('role: cskh', 'role: warehous'), /unknown role "warehous".*known roles:/, null],
    ['a negative duration', (n) => processYaml(n).replace('sla: 2s', 'sla: -2s'), /./, null],
    ['an unparsable duration', (n) => processYaml(n).replace('sla: 2s', 'sla: soon'), /soon/, null],
    ['a huge file', (n) => `${processYaml(n)}\n#${'x'.repeat(300 * 1024)}\n`, /limit/, null],
  ];
  test.each(badInputs)(
    'When the YAML has %s, then validate and upload answer 422 with positioned errors and nothing is stored',
    async (_what, make, message, errorPath) => {
      const api = apiClient(base, admin.token);
      const name = uniqueId('bad');
      const yaml = make(name);
      const validated = await api.yaml('/api/v1/definitions/validate', yaml);
      expect(validated.status).toBe(422);
      expect(validated.body.valid).toBe(false);
      const errors = validated.body.errors as Array<{ path: string; line: number; col: number; message: string }>;
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) {
        expect(e.line).toBeGreaterThanOrEqual(1);
        expect(e.col).toBeGreaterThanOrEqual(1);
      }
      expect(errors.map((e) => e.message).join('\n')).toMatch(message);
      if (errorPath) expect(errors.map((e) => e.path)).toContain(errorPath);
      const uploaded = await api.yaml('/api/v1/definitions', yaml);
      expect(uploaded.status).toBe(422);
      expect(uploaded.body.error.code).toBe('invalid_definition');
      expect(await storedVersions(name)).toHaveLength(0);
    },
  );

  test('When several things are wrong, then every error is reported at once with its line', async () => {
    const yaml = processYaml(uniqueId('bad'), (y) =>
      y.replace('role: cskh', 'role: warehous').replace('to: confirm', 'to: confrim').replace('sla: 1h', 'sla: later'),
    );
    const res = await apiClient(base, admin.token).yaml('/api/v1/definitions/validate', yaml);
    expect(res.status).toBe(422);
    const lines = yaml.split('\n');
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    const found = (res.body.errors as Array<{ line: number }>).map((e) => e.line);
    expect(found).toEqual(expect.arrayContaining([lineOf('warehous'), lineOf('confrim'), lineOf('sla: later')]));
  });

  test('When the caller has no token, or lacks the admin role, or sends no YAML, then 401, 403 or 415', async () => {
    expect((await apiClient(base).get('/api/v1/definitions')).status).toBe(401);
    const sales = await stack.createStaff(['sales']);
    const forbidden = await apiClient(base, sales.token).yaml('/api/v1/definitions', processYaml(uniqueId('x')));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.message).toContain('definitions.manage');
    expect((await apiClient(base, admin.token).post('/api/v1/definitions', { yaml: 'no' })).status).toBe(415);
  });

  test('When a new version is activated while an order runs, then the running order finishes on its old version and new orders take the new one', async () => {
    const { name } = await stack.activateProcess(fixture('fast-order.yaml'));
    const marketing = await stack.createStaff(['marketing']);
    const leads = apiClient(base, marketing.token);
    const first = await leads.post('/api/v1/leads', {
      channel: 'website',
      process: name,
      customer: { name: 'Khách cũ', phone: '0977000001' },
    });
    expect(first.body.definition).toEqual({ name, version: 1 });

    // v2 renames the confirm outcome: the old order must still offer the old one.
    const v2 = await apiClient(base, admin.token).yaml(
      '/api/v1/definitions',
      processYaml(name, (y) => y.replace('confirmed: { to: done', 'approved: { to: done')),
    );
    expect((await apiClient(base, admin.token).post(`/api/v1/definitions/${name}/versions/${v2.body.version}/activate`)).status).toBe(200);
    const second = await leads.post('/api/v1/leads', {
      channel: 'website',
      process: name,
      customer: { name: 'Khách mới', phone: '0977000002' },
    });
    expect(second.body.definition).toEqual({ name, version: 2 });

    const lead = await stack.createStaff(['sales-lead']);
    const cskh = await stack.createStaff(['cskh']);
    for (const [order, outcome] of [
      [first.body.orderId, 'confirmed'],
      [second.body.orderId, 'approved'],
    ] as const) {
      const close = await eventually(
        async () => (await apiClient(base, lead.token).get(`/api/v1/tasks?order=${order}&status=open`)).body.tasks[0],
        20_000,
        'close task',
      );
      expect(
        (await apiClient(base, lead.token).post(`/api/v1/tasks/${close.id}/complete`, { outcome: 'closed', data: { codAmount: 0 } }))
          .status,
      ).toBe(200);
      const confirm = await eventually(
        async () => (await apiClient(base, admin.token).get(`/api/v1/tasks?order=${order}&status=open`)).body.tasks[0],
        20_000,
        'confirm task',
      );
      const detail = await apiClient(base, admin.token).get(`/api/v1/tasks/${confirm.id}`);
      expect(detail.body.outcomes[0].name).toBe(outcome);
      const token = confirm.assigneeId === cskh.id ? cskh.token : admin.token;
      expect((await apiClient(base, token).post(`/api/v1/tasks/${confirm.id}/complete`, { outcome })).status).toBe(200);
    }
    const result = await stack.temporal.workflow.getHandle(`order:${first.body.orderId}`).result();
    expect(result).toMatchObject({ definition: { name, version: 1 }, result: 'completed' });
    expect(await stack.temporal.workflow.getHandle(`order:${second.body.orderId}`).result()).toMatchObject({
      definition: { name, version: 2 },
      result: 'completed',
    });
  });
});

describe('shopflow definitions CLI', () => {
  // Asynchronous: `apply` calls the API this very process serves, so a blocking spawn would deadlock.
  const cli = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [path.join(projectRoot(), 'bin', 'shopflow.js'), ...args], {
        cwd: projectRoot(),
        env: { ...process.env, ...env },
      });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stdout += d));
      child.on('close', (status) => resolve({ status, stdout }));
    });

  test('When the shipped files are validated, then it exits 0; when a file is invalid, it prints file:line:col: message and exits 1', async () => {
    // Given together, a shop and its processes are one set: the shipped shop's channels run the order process and the store sale.
    const ok = await cli([
      'definitions',
      'validate',
      'definitions/shop.yaml',
      'definitions/processes/order.yaml',
      'definitions/processes/store-sale.yaml',
    ]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('definitions/processes/order.yaml: ok');
    expect(ok.stdout).toContain('definitions/processes/store-sale.yaml: ok');
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sf-cli-')), 'order.yaml');
    fs.writeFileSync(
      bad,
      processYaml('cli-bad', (y) => y.replace('role: cskh', 'role: warehous')),
    );
    const failed = await cli(['definitions', 'validate', bad]);
    expect(failed.status).toBe(1);
    const line =
      processYaml('cli-bad')
        .split('\n')
        .findIndex((l) => l.includes('role: cskh')) + 1;
    expect(failed.stdout).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:\\d+: unknown role "warehous"`));
    expect((await cli(['definitions'])).status).toBe(2);
  });

  test('When a file is applied through the API, then it is stored and activated; an invalid one is refused with its positions', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-cli-'));
    const name = uniqueId('cli');
    const file = path.join(dir, 'p.yaml');
    fs.writeFileSync(file, processYaml(name));
    const env = { SHOPFLOW_URL: base, SHOPFLOW_TOKEN: admin.token };
    const applied = await cli(['definitions', 'apply', file], env);
    expect(applied.stdout).toContain(`${name} v1 stored and activated`);
    expect(applied.status).toBe(0);
    fs.writeFileSync(
      file,
      processYaml(name, (y) => y.replace('to: confirm', 'to: nowhere')),
    );
    const refused = await cli(['definitions', 'apply', file], env);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/p\.yaml:\d+:\d+: .*nowhere/);
    expect((await cli(['definitions', 'apply', file], { SHOPFLOW_URL: base, SHOPFLOW_TOKEN: '' })).status).toBe(2);
  });
});
