import express, { Router } from 'express';
import { requirePermission } from '../http/auth';
import { InvalidDefinition, toVersionView, type DefinitionsStore } from './definitions';
import { badRequest, HttpError } from '../http/errors';
import type { ShopCache } from './shop-cache';
import type { Db } from '../../db/client';
import { body, queryOf, queryValues } from '../http/contract';
import { createSimulationService, SimulateBody, SimulateQuery } from './simulate';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'text/plain'];

/** Admin API over definition versions: list, read, validate, simulate, upload, activate. */
export function definitionsRouter(deps: { definitions: DefinitionsStore; shop: ShopCache; db: Db }): Router {
  const { definitions } = deps;
  const simulation = createSimulationService({ db: deps.db, definitions });
  const router = Router();
  router.use(requirePermission('definitions.manage'));
  // Larger than the definition limit, so an oversized file gets the loader's own clear message.
  const yamlBody = express.text({ type: YAML_TYPES, limit: '1mb' });
  const requireYaml: express.RequestHandler = (req, _res, next) => {
    if (typeof req.body !== 'string')
      return next(new HttpError(415, 'unsupported_media_type', `send the YAML as the body with Content-Type: application/yaml`));
    if (!req.body.trim()) return next(badRequest('the body is empty: send the YAML definition'));
    next();
  };
  const versionParam = (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw badRequest(`"${raw}" is not a version number`);
    return n;
  };
  const errorList = (err: InvalidDefinition) => err.errors.map(({ path, line, col, message }) => ({ path, line, col, message }));

  router.get('/', async (_req, res) => {
    res.json({ definitions: await definitions.list() });
  });

  router.post('/validate', yamlBody, requireYaml, async (req, res) => {
    const result = await definitions.validate(req.body, 'request.yaml');
    if (result.ok) res.json({ valid: true, summary: result.summary });
    else
      res.status(422).json({ valid: false, errors: result.errors.map(({ path, line, col, message }) => ({ path, line, col, message })) });
  });

  // What-if: the candidate and the active version over the shop's own history (server/shop/simulate.ts).
  // The candidate as the YAML body (like validate), its window and seed in the query; or all of it as JSON.
  const simulateFromYaml: express.RequestHandler = (req, _res, next) => {
    if (typeof req.body === 'string') {
      if (!req.body.trim()) return next(badRequest('the body is empty: send the YAML definition'));
      req.body = { definition: req.body, ...queryValues(req, SimulateQuery) };
    } else if (req.body && typeof req.body === 'object' && !Array.isArray(req.body)) {
      req.body = { ...queryValues(req, SimulateQuery), ...req.body }; // the body's own fields win
    }
    next();
  };
  router.post('/simulate', queryOf(SimulateQuery), yamlBody, simulateFromYaml, body(SimulateBody), async (req, res) => {
    res.json(await simulation.simulate(req.body));
  });

  router.post('/', yamlBody, requireYaml, async (req, res) => {
    try {
      const { row, created, summary } = await definitions.save({
        yaml: req.body,
        file: 'request.yaml',
        author: req.principal!.staffId,
        source: 'api',
      });
      res
        .status(created ? 201 : 200)
        .json({ name: row.name, kind: row.kind, version: row.version, hash: row.hash, created, active: row.active, summary });
    } catch (err) {
      if (err instanceof InvalidDefinition) {
        res.status(422).json({
          error: {
            code: 'invalid_definition',
            message: `the definition has ${err.errors.length} error(s)`,
            details: { errors: errorList(err) },
          },
        });
        return;
      }
      throw err;
    }
  });

  router.get('/:name', async (req, res) => {
    const versions = await definitions.versions(req.params.name);
    const active = versions.find((v) => v.active);
    res.json({
      name: req.params.name,
      kind: versions[0]!.kind,
      latestVersion: versions[0]!.version,
      activeVersion: active?.version ?? null,
      active: active ? { ...toVersionView(active), yaml: active.yaml, compiled: active.compiled } : null,
    });
  });

  router.get('/:name/versions', async (req, res) => {
    res.json({ versions: (await definitions.versions(req.params.name)).map(toVersionView) });
  });

  router.get('/:name/versions/:version', async (req, res) => {
    const row = await definitions.version(req.params.name, versionParam(req.params.version));
    if (req.accepts(['json', 'application/yaml']) === 'application/yaml') {
      res.type('application/yaml').send(row.yaml);
      return;
    }
    res.json({ ...toVersionView(row), yaml: row.yaml, compiled: row.compiled });
  });

  router.post('/:name/versions/:version/activate', async (req, res) => {
    const row = await definitions.activate(req.params.name, versionParam(req.params.version));
    if (row.kind === 'Shop') deps.shop.invalidate();
    req.log.info({ name: row.name, version: row.version, by: req.principal!.staffId }, 'definition activated');
    res.json(toVersionView(row));
  });

  return router;
}
