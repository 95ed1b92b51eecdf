import { Router, type Request } from 'express';
import type { Client } from '@temporalio/client';
import type { CompiledShop } from '../../definitions/types';
import { missingPermissions, principalFor, requirePermission, roleOf, type Principal } from '../http/auth';
import { conflict, forbidden, HttpError, notFound, unprocessable } from '../http/errors';
import type { ShopCache } from '../shop/shop-cache';
import { toStaffView, type StaffRow, type StaffStore } from './staff';
import { body, queryOf, queryValues } from '../http/contract';
import { CreateStaffBody, PatchStaffBody, StaffQuery, TokenBody } from './contract';
import { holdsOutsourcedRole } from '../../definitions/shop/outsourcing';
import { watchContract } from '../outsourcing/contract-timers';
import { checkContract, contractView, parseContractEnds } from '../outsourcing/staff-contract';

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
export function staffRouter(deps: {
  staff: StaffStore;
  shop: ShopCache;
  /** Where outsourced members' contract-end workflows run (server/outsourcing); absent: not watched from here. */
  contracts?: { temporal: Client; taskQueue: string };
}): Router {
  const { staff } = deps;
  const router = Router();
  router.use(requirePermission('staff.manage'));

  /** A member as the API shows them, with their contract when one of their roles is outsourced. */
  const viewOf = (row: StaffRow, shop: CompiledShop) => ({
    ...toStaffView(row),
    contractEnds: row.contractEnds?.toISOString() ?? null,
    contract: contractView(row, shop),
  });
  const view = async (row: StaffRow) => viewOf(row, await deps.shop.get());
  /** An outsourced member's contract-end timer is started, or told the contract changed. */
  const watch = async (req: Request, row: StaffRow, shop: CompiledShop) => {
    if (!deps.contracts || !holdsOutsourcedRole(row.roles, shop)) return;
    try {
      await watchContract(deps.contracts, row.id);
    } catch (err) {
      // Start-up watches every outsourced member again (ensureContractTimers); the change itself is saved.
      req.log.warn({ err, staffId: row.id }, 'could not start the contract-end workflow; it starts with the next start-up');
    }
  };

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
        ...(role.outsourced && {
          outsourced: {
            handBackTo: role.outsourced.handBackTo,
            pay: role.outsourced.pay,
            contractEnds: role.outsourced.contractEnds ?? null,
          },
        }),
        grantable:
          missingPermissions(req.principal!, principalFor({ id: '', name: '', roles: [id], channels: [] }, shop).permissions).length === 0,
      })),
      channels: Object.entries(shop.channels).map(([id, channel]) => ({ id, title: channel.title })),
    });
  });

  router.get('/', queryOf(StaffQuery), async (req, res) => {
    const { role, active } = queryValues(req, StaffQuery);
    const shop = await deps.shop.get();
    res.json({ staff: (await staff.list({ role, active })).map((row) => viewOf(row, shop)) });
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
      contractEnds?: string | null;
    };
    const shop = await deps.shop.get();
    checkGrant(req.principal!, shop, fields.roles, fields.channels);
    const contractEnds = parseContractEnds(fields.contractEnds, shop);
    checkContract(shop, fields.roles, contractEnds, { creating: true });
    const row = await staff.create({ ...fields, contractEnds });
    await watch(req, row, shop);
    const token = issueToken ? await staff.issueToken(row.id, 'initial') : undefined;
    req.log.info({ staffId: row.id, by: req.principal!.staffId }, 'staff member created');
    res.status(201).json({ staff: viewOf(row, shop), ...(token ? { token: token.token, tokenId: token.id } : {}) });
  });

  router.get('/:id', async (req, res) => {
    const row = await existing(String(req.params.id));
    res.json({ staff: await view(row), tokens: await staff.listTokens(row.id) });
  });

  router.patch('/:id', body(PatchStaffBody), async (req, res) => {
    const row = await existing(String(req.params.id));
    const shop = await deps.shop.get();
    checkPowerOver(req.principal!, shop, row, 'change');
    checkGrant(req.principal!, shop, req.body.roles, req.body.channels);
    const { contractEnds: givenEnd, ...patch } = req.body as PatchStaffBody;
    const given = parseContractEnds(givenEnd, shop);
    // Taken on in-house (no outsourced role left): their own contract end goes with the old roles.
    const contractEnds = given === undefined && patch.roles && !holdsOutsourcedRole(patch.roles, shop) && row.contractEnds ? null : given;
    checkContract(shop, patch.roles ?? row.roles, contractEnds === undefined ? row.contractEnds : contractEnds, { creating: false });
    // A new end in the future renews an ended contract: tokens work again and a new timer waits for it.
    // So does taking them on in-house.
    const inHouseNow = patch.roles !== undefined && !holdsOutsourcedRole(patch.roles, shop);
    const renewed = row.contractEndedAt !== null && ((contractEnds instanceof Date && contractEnds.getTime() > Date.now()) || inHouseNow);
    const changed = (await staff.update(row.id, {
      ...patch,
      ...(contractEnds !== undefined && { contractEnds }),
      ...(renewed && { contractEndedAt: null }),
    }))!;
    if (contractEnds !== undefined || patch.roles) await watch(req, changed, shop);
    res.json({ staff: viewOf(changed, shop) });
  });

  router.post('/:id/deactivate', async (req, res) => {
    const row = await existing(String(req.params.id));
    if (row.id === req.principal!.staffId) throw forbidden('you cannot deactivate yourself');
    checkPowerOver(req.principal!, await deps.shop.get(), row, 'deactivate');
    const deactivated = await staff.deactivate(row.id);
    req.log.info({ staffId: row.id, by: req.principal!.staffId }, 'staff member deactivated');
    res.json({ staff: await view(deactivated!) });
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
