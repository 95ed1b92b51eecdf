import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { CompiledShop, Permission } from '../definitions/types';
import { forbidden, HttpError, unauthorized } from './errors';
import type { StaffStore } from './staff-store';

/** The authenticated caller of a request, with permissions resolved from the active shop's roles. */
export interface Principal {
  staffId: string;
  name: string;
  roles: string[];
  channels: string[];
  permissions: ReadonlySet<string>;
  /** `all` if any of the caller's roles sees all records, else `own`. */
  scope: 'own' | 'all';
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** Resolves a staff member's roles against the shop: permissions are the union of their roles'. */
export function principalFor(member: { id: string; name: string; roles: string[]; channels: string[] }, shop: CompiledShop): Principal {
  const permissions = new Set<string>();
  let scope: 'own' | 'all' = 'own';
  for (const roleId of member.roles) {
    const role = shop.roles[roleId];
    if (!role) continue; // a role removed from shop.yaml grants nothing
    for (const p of role.permissions) permissions.add(p);
    if (role.scope === 'all') scope = 'all';
  }
  return { staffId: member.id, name: member.name, roles: member.roles, channels: member.channels, permissions, scope };
}

export function can(principal: Principal, permission: Permission): boolean {
  return principal.permissions.has('*') || principal.permissions.has(permission);
}

/**
 * Limits failed authentications per client address (guessing tokens must be slow); successful
 * requests are not counted. In memory: each API replica limits on its own.
 */
function failedAuthLimiter(maxFailures: number, windowMs: number) {
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
export function authenticate(deps: { staff: StaffStore; shop: () => Promise<CompiledShop> }, limits = { maxFailures: 20, windowMs: 60_000 }): RequestHandler {
  const limiter = failedAuthLimiter(limits.maxFailures, limits.windowMs);
  return async (req: Request, res: Response, next: NextFunction) => {
    const client = req.ip ?? 'unknown';
    const retryAfter = limiter.blocked(client);
    if (retryAfter) {
      res.setHeader('Retry-After', String(retryAfter));
      return next(new HttpError(429, 'too_many_failed_logins', `too many failed authentications from this address; retry in ${retryAfter} s`));
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
      req.principal = principalFor(member, await deps.shop());
      next();
    } catch (err) {
      next(err);
    }
  };
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
