import { Router } from 'express';
import type { CompiledShop } from '../../definitions/types';
import { missingPermissions, principalFor, requirePermission, roleOf, type Principal } from '../http/auth';
import { conflict, forbidden, HttpError, notFound, unprocessable } from '../http/errors';
import type { ShopCache } from '../shop/shop-cache';
import { toStaffView, type StaffRow, type StaffStore } from './staff';
import { body, queryOf, queryValues } from '../http/contract';
import { CreateStaffBody, PatchStaffBody, StaffQuery, TokenBody } from './contract';

/** Roles and channels must exist in shop.yaml; and nobody grants powers they do not hold themselves. */
function checkGrant(caller: Principal, shop: CompiledShop, roles: string[] | undefined, channels: string[] | undefined): void {
  const fields: Array<{ field: string; message: string }> = [];
  roles?.forEach((r, i) => {
    if (!roleOf(shop, r))
      fields.push({ field: `roles.${i}`, message: `unknown role "${r}" — known roles: ${Object.keys(shop.roles).join(', ')}` });
  });
  channels?.forEach((c, i) => {
    if (!Object.hasOwn(shop.channels, c))
      fields.push({ field: `channels.${i}`, message: `unknown channel "${c}" — known channels: ${Object.keys(shop.channels).join(', ')}` });
  });
  if (fields.length) throw unprocessable('the request body is invalid', { fields });
  const granted = principalFor({ id: '', name: '', roles: roles ?? [], channels: [] }, shop);
  const beyond = missingPermissions(caller, granted.permissions);
  if (beyond.length) {
    throw new HttpError(403, 'forbidden', `you cannot grant roles with permissions you do not hold yourself (${beyond.join(', ')})`, {
      missing: beyond,
    });
  }
}

/**
 * Acting on a member (tokens, roles, deactivation) needs every permission they hold: otherwise a
 * manager could mint a token for the admin and act as `*`, or take an admin's access away.
 */
function checkPowerOver(caller: Principal, shop: CompiledShop, target: StaffRow, action: string): void {
  const missing = missingPermissions(caller, principalFor(target, shop).permissions);
  if (missing.length) {
    throw new HttpError(403, 'forbidden', `you cannot ${action} "${target.id}": they hold permissions you do not (${missing.join(', ')})`, {
      missing,
    });
  }
}

/** Staff management (admin, manager): members, deactivation, API tokens. */
export function staffRouter(deps: { staff: StaffStore; shop: ShopCache }): Router {
  const { staff } = deps;
  const router = Router();
  router.use(requirePermission('staff.manage'));

  const existing = async (id: string) => {
    const row = await staff.get(id);
    if (!row) throw notFound(`no staff member "${id}"`);
    return row;
  };

  // What a member can be given (the console's staff form): the shop's roles — with whether the
  // caller may grant each, holding all its permissions — and its channels, with their titles.
  router.get('/roles', async (req, res) => {
    const shop = await deps.shop.get();
    res.json({
      roles: Object.entries(shop.roles).map(([id, role]) => ({
        id,
        title: role.title,
        scope: role.scope,
        grantable:
          missingPermissions(req.principal!, principalFor({ id: '', name: '', roles: [id], channels: [] }, shop).permissions).length === 0,
      })),
      channels: Object.entries(shop.channels).map(([id, channel]) => ({ id, title: channel.title })),
    });
  });

  router.get('/', queryOf(StaffQuery), async (req, res) => {
    const { role, active } = queryValues(req, StaffQuery);
    res.json({ staff: (await staff.list({ role, active })).map(toStaffView) });
  });

  router.post('/', body(CreateStaffBody), async (req, res) => {
    const { issueToken = true, ...fields } = req.body as {
      name: string;
      roles: string[];
      channels?: string[];
      team?: string | null;
      phone?: string;
      email?: string;
      issueToken?: boolean;
    };
    checkGrant(req.principal!, await deps.shop.get(), fields.roles, fields.channels);
    const row = await staff.create(fields);
    const token = issueToken ? await staff.issueToken(row.id, 'initial') : undefined;
    req.log.info({ staffId: row.id, by: req.principal!.staffId }, 'staff member created');
    res.status(201).json({ staff: toStaffView(row), ...(token ? { token: token.token, tokenId: token.id } : {}) });
  });

  router.get('/:id', async (req, res) => {
    const row = await existing(String(req.params.id));
    res.json({ staff: toStaffView(row), tokens: await staff.listTokens(row.id) });
  });

  router.patch('/:id', body(PatchStaffBody), async (req, res) => {
    const row = await existing(String(req.params.id));
    const shop = await deps.shop.get();
    checkPowerOver(req.principal!, shop, row, 'change');
    checkGrant(req.principal!, shop, req.body.roles, req.body.channels);
    res.json({ staff: toStaffView((await staff.update(String(req.params.id), req.body))!) });
  });

  router.post('/:id/deactivate', async (req, res) => {
    const row = await existing(String(req.params.id));
    if (row.id === req.principal!.staffId) throw forbidden('you cannot deactivate yourself');
    checkPowerOver(req.principal!, await deps.shop.get(), row, 'deactivate');
    const deactivated = await staff.deactivate(row.id);
    req.log.info({ staffId: row.id, by: req.principal!.staffId }, 'staff member deactivated');
    res.json({ staff: toStaffView(deactivated!) });
  });

  router.post('/:id/tokens', body(TokenBody), async (req, res) => {
    const row = await existing(String(req.params.id));
    checkPowerOver(req.principal!, await deps.shop.get(), row, 'issue tokens for');
    if (!row.active) throw conflict(`staff member "${row.id}" is deactivated; tokens are issued only to active staff`);
    const token = await staff.issueToken(row.id, req.body.label);
    res.status(201).json({ tokenId: token.id, token: token.token });
  });

  router.delete('/:id/tokens/:tokenId', async (req, res) => {
    const row = await existing(String(req.params.id));
    checkPowerOver(req.principal!, await deps.shop.get(), row, 'revoke tokens of');
    if (!(await staff.revokeToken(String(req.params.id), String(req.params.tokenId))))
      throw notFound(`no active token "${String(req.params.tokenId)}" for "${String(req.params.id)}"`);
    res.status(204).end();
  });

  return router;
}
