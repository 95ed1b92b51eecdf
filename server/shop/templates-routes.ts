import { Router } from 'express';
import { requirePermission } from '../http/auth';
import { notFound, unprocessable } from '../http/errors';
import type { Db } from '../../db/client';
import { applyDefinitionSet } from './definition-set';
import { InvalidDefinition } from './definitions';
import type { ShopCache } from './shop-cache';
import { listTemplates, TEMPLATE_NAMES, templateFiles } from './templates';

/** Shop-size templates: list them, apply one (the console's first-run checklist; `shopflow init` does the same). */
export function templatesRouter(deps: { db: Db; shop: ShopCache }): Router {
  const router = Router();
  router.use(requirePermission('definitions.manage'));

  router.get('/', (_req, res) => {
    res.json({ templates: listTemplates() });
  });

  router.post('/:name/apply', async (req, res) => {
    const name = String(req.params.name);
    const files = templateFiles(name);
    if (!files) throw notFound(`không có mẫu cửa hàng "${name}" — các mẫu: ${TEMPLATE_NAMES.join(', ')}`);
    try {
      const applied = await applyDefinitionSet(deps.db, files, { author: req.principal!.staffId, source: `template:${name}` });
      deps.shop.invalidate();
      req.log.info({ template: name, by: req.principal!.staffId }, 'shop template applied');
      res.json({ template: name, changed: applied.some((a) => a.created || !a.wasActive), definitions: applied });
    } catch (err) {
      // A shipped template that does not validate is a bug of the release, said as a 422 with every error.
      if (err instanceof InvalidDefinition)
        throw unprocessable(`mẫu "${name}" không hợp lệ`, {
          errors: err.errors.map(({ file, path, line, col, message }) => ({ file, path, line, col, message })),
        });
      throw err;
    }
  });
  return router;
}
