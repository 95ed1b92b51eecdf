import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { CompiledRole, CompiledShop, Permission } from '../../definitions/types';
import { forbidden, HttpError, unauthorized } from './errors';
import type { StaffStore } from '../staff/staff';
import {
  contractEnded,
  localDateTimeText,
  memberContract,
  type ContractMember,
  type MemberContract,
} from '../../definitions/shop/outsourcing';
import { shopOffsetMinutes } from '../../definitions/rules/local-day';

/** The authenticated caller of a request, with permissions resolved from the active shop's roles. */
export interface Principal {
  staffId: string;
  name: string;
  roles: string[];
  channels: string[];
  permissions: ReadonlySet<string>;
  /** `all` if any of the caller's roles sees all records, else `own` (always `own` for outsourced staff). */
  scope: 'own' | 'all';
  /** Set when one of the caller's roles is outsourced: phones masked, no exports, tokens stop at its end. */
  outsourced?: MemberContract;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** Resolves a staff member's roles against the shop: permissions are the union of their roles'. */
export function principalFor(
  member: { id: string; name: string; roles: string[]; channels: string[] } & Partial<ContractMember>,
  shop: CompiledShop,
): Principal {
  const permissions = new Set<string>();
  let scope: 'own' | 'all' = 'own';
  for (const roleId of member.roles) {
    const role = roleOf(shop, roleId);
    if (!role) continue; // a role removed from shop.yaml grants nothing
    for (const p of role.permissions) permissions.add(p);
    if (role.scope === 'all') scope = 'all';
  }
  const outsourced = memberContract({ roles: member.roles, contractEnds: member.contractEnds }, shop);
  // Outside staff see only their own records, whatever other role they also hold.
  if (outsourced) scope = 'own';
  return {
    staffId: member.id,
    name: member.name,
    roles: member.roles,
    channels: member.channels,
    permissions,
    scope,
    ...(outsourced && { outsourced }),
  };
}

/** The shop's role of this id, never a property of the object prototype (`constructor` is no role). */
export function roleOf(shop: CompiledShop, roleId: string): CompiledRole | undefined {
  return Object.hasOwn(shop.roles, roleId) ? shop.roles[roleId] : undefined;
}

export function can(principal: Principal, permission: Permission): boolean {
  return principal.permissions.has('*') || principal.permissions.has(permission);
}

/**
 * The permissions of `wanted` the caller does not hold, sorted (`*` is held only by `*`). Nobody
 * may hand out, or act on someone holding, a power they lack themselves: this names what is missing.
 */
export function missingPermissions(caller: Principal, wanted: Iterable<string>): string[] {
  return [...new Set(wanted)].filter((p) => !can(caller, p as Permission)).sort();
}

/**
 * Whether the caller leads `role` (one of their roles lists it under `leads` in shop.yaml), so
 * may reassign its tasks; `*` leads every role. Leading is per role, not per permission: a
 * warehouse lead's `tasks.reassign` does not reach the sales team's tasks.
 */
export function leadsRole(caller: Principal, shop: CompiledShop, role: string): boolean {
  if (caller.permissions.has('*')) return true;
  return caller.roles.some((r) => roleOf(shop, r)?.leads?.includes(role) ?? false);
}

/** A limiter of failures per key: `blocked` answers the seconds left when the key used up its failures. */
export interface FailureLimiter {
  blocked(key: string, now?: number): number | undefined;
  fail(key: string, now?: number): void;
}

/**
 * Limits failures per client address (guessing tokens or webhook secrets must be slow); successes
 * are not counted. In memory: each API replica limits on its own. The key is `req.ip`, which only
 * follows X-Forwarded-For when TRUST_PROXY says the proxy in front may set it, so a client cannot
 * reset its count (or spend someone else's) by sending a new header.
 */
export function createFailureLimiter(maxFailures: number, windowMs: number): FailureLimiter {
  const failures = new Map<string, { count: number; resetAt: number }>();
  return {
    blocked(key: string, now = Date.now()): number | undefined {
      const entry = failures.get(key);
      if (!entry || entry.resetAt <= now) return undefined;
      return entry.count >= maxFailures ? Math.ceil((entry.resetAt - now) / 1000) : undefined;
    },
    fail(key: string, now = Date.now()): void {
      const entry = failures.get(key);
      if (!entry || entry.resetAt <= now) failures.set(key, { count: 1, resetAt: now + windowMs });
      else entry.count += 1;
      if (failures.size > 10_000) for (const [k, v] of failures) if (v.resetAt <= now) failures.delete(k);
    },
  };
}

/** Requires `Authorization: Bearer <token>` of an active staff member; sets `req.principal`. */
export function authenticate(
  deps: { staff: StaffStore; shop: () => Promise<CompiledShop> },
  limits = { maxFailures: 20, windowMs: 60_000 },
): RequestHandler {
  const limiter = createFailureLimiter(limits.maxFailures, limits.windowMs);
  return async (req: Request, res: Response, next: NextFunction) => {
    const client = req.ip ?? 'unknown';
    const retryAfter = limiter.blocked(client);
    if (retryAfter) {
      res.setHeader('Retry-After', String(retryAfter));
      return next(
        new HttpError(429, 'too_many_failed_logins', `too many failed authentications from this address; retry in ${retryAfter} s`),
      );
    }
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      limiter.fail(client);
      return next(unauthorized());
    }
    try {
      const member = await deps.staff.findByToken(match[1]!);
      if (!member) {
        limiter.fail(client);
        return next(unauthorized('the API token is unknown, revoked, or belongs to a deactivated staff member'));
      }
      const shop = await deps.shop();
      const principal = principalFor(member, shop);
      // An outsourced member's contract is checked on every request, against the clock: its end stops every token.
      if (contractEnded(member, principal.outsourced, Date.now())) return next(contractOver(principal.outsourced!, shop));
      req.principal = principal;
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** 401 `contract_ended`: the outsourced member's contract is over, so their tokens are refused. */
function contractOver(contract: MemberContract, shop: CompiledShop): HttpError {
  const when = contract.endsAt ? ` lúc ${localDateTimeText(contract.endsAt, shopOffsetMinutes(shop))}` : '';
  return new HttpError(
    401,
    'contract_ended',
    `Hợp đồng cộng tác đã kết thúc${when}: token này không còn dùng được. Nếu hợp đồng được gia hạn, quản lý cập nhật ngày kết thúc trên trang Nhân viên.`,
    { endsAt: contract.endsAt },
  );
}

/** 403 unless the caller holds `permission` (or `*`). */
export function requirePermission(permission: Permission): RequestHandler {
  return (req, _res, next) => {
    if (!req.principal) return next(unauthorized());
    if (!can(req.principal, permission)) {
      return next(forbidden(`your roles (${req.principal.roles.join(', ') || 'none'}) do not allow "${permission}"`));
    }
    next();
  };
}
