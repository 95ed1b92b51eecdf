/**
 * Semantic checks of a StoreSaleProcess beyond its JSON Schema: the selling role exists and may
 * sell (`store.sell`), the warehouse is one of the shop's, payment methods are offered once, and
 * a transfer names the account its VietQR code pays. Runs on data that may not match the schema.
 */
import type { Issue } from '../loading/errors';
import { listNames } from '../loading/errors';
import { listOf, recordOf } from '../loading/plain';
import { checkRole } from '../loading/references';
import { ownEntry } from '../rules/own';
import type { CompiledShop } from '../types';
import { stockSettings } from '../types';

export function checkStoreSaleProcess(data: unknown, shop: CompiledShop | null): Issue[] {
  const spec = recordOf(recordOf(data).spec);
  const issues: Issue[] = [...checkRole(shop, spec.role, ['spec', 'role'], false)];
  const role = shop && typeof spec.role === 'string' ? ownEntry(shop.roles, spec.role) : undefined;
  if (role && !role.permissions.includes('*') && !role.permissions.includes('store.sell'))
    issues.push({
      path: ['spec', 'role'],
      message: `role "${spec.role}" cannot sell at the counter: give it the permission store.sell in shop.yaml`,
    });
  if (shop && typeof spec.warehouse === 'string') {
    const warehouses = stockSettings(shop).warehouses;
    if (!ownEntry(warehouses, spec.warehouse))
      issues.push({
        path: ['spec', 'warehouse'],
        message: `unknown warehouse "${spec.warehouse}" — the shop's warehouses (shop.yaml stock.warehouses): ${listNames(Object.keys(warehouses))}`,
      });
  }
  const seen = new Set<unknown>();
  listOf(spec.payments).forEach((raw, i) => {
    const method = recordOf(raw).method;
    if (seen.has(method))
      issues.push({ path: ['spec', 'payments', i, 'method'], message: `payment method "${String(method)}" is listed twice` });
    seen.add(method);
  });
  if (seen.has('transfer') && spec.bank === undefined)
    issues.push({
      path: ['spec'],
      message: 'payment by transfer needs the account it goes to: add spec.bank (bin, bankName, account, accountName)',
    });
  return issues;
}
