/**
 * Outsourced staff (shop.yaml `roles.<id>.outsourced`): whose contract a member works under and
 * when it ends. The firm's contract has an end (the role's `contractEnds`), a member may have an
 * earlier one of their own (staff `contractEnds`); the earlier counts. Pure: the API (tokens
 * refused, phones masked) and the hand-back activity read the same answer.
 */
import { ownEntry } from '../rules/own';
import type { CompiledOutsourcing, CompiledShop } from '../types';

/** The contract a member works under. */
export interface MemberContract {
  /** The outsourced role it comes from. */
  role: string;
  handBackTo: string;
  pay: CompiledOutsourcing['pay'];
  /** When it ends (ISO 8601): the earlier of the firm's and the member's own; null: no end set. */
  endsAt: string | null;
}

/** A member as this rule needs them: roles, their own contract end, whether their work was handed back. */
export interface ContractMember {
  roles: string[];
  contractEnds?: Date | string | null;
  contractEndedAt?: Date | string | null;
}

const instant = (value: Date | string | null | undefined): number | undefined => {
  if (value === null || value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
};

/** The member's contract if one of their roles is outsourced (the one ending first), else undefined. */
export function memberContract(member: ContractMember, shop: Pick<CompiledShop, 'roles'> | undefined): MemberContract | undefined {
  const own = instant(member.contractEnds);
  let best: { contract: MemberContract; endsMs: number } | undefined;
  for (const roleId of member.roles) {
    const outsourced = ownEntry(shop?.roles, roleId)?.outsourced;
    if (!outsourced) continue;
    const firm = instant(outsourced.contractEndsAt);
    const ends = [firm, own].filter((ms): ms is number => ms !== undefined);
    const endsMs = ends.length ? Math.min(...ends) : Number.POSITIVE_INFINITY;
    if (!best || endsMs < best.endsMs) {
      best = {
        endsMs,
        contract: {
          role: roleId,
          handBackTo: outsourced.handBackTo,
          pay: outsourced.pay,
          endsAt: Number.isFinite(endsMs) ? new Date(endsMs).toISOString() : null,
        },
      };
    }
  }
  return best?.contract;
}

/** Whether the contract is over at `nowMs`: its end has come, or the member's work was already handed back. */
export function contractEnded(member: ContractMember, contract: MemberContract | undefined, nowMs: number): boolean {
  if (!contract) return false;
  if (instant(member.contractEndedAt) !== undefined) return true;
  return contract.endsAt !== null && Date.parse(contract.endsAt) <= nowMs;
}

/** Whether any of these roles is outsourced. */
export function holdsOutsourcedRole(roles: string[], shop: Pick<CompiledShop, 'roles'> | undefined): boolean {
  return roles.some((r) => ownEntry(shop?.roles, r)?.outsourced !== undefined);
}

/** An instant as staff read it in the shop's timezone: `dd/mm/yyyy HH:MM`. */
export function localDateTimeText(iso: string, utcOffsetMinutes: number): string {
  const local = new Date(Date.parse(iso) + utcOffsetMinutes * 60_000).toISOString();
  return `${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)} ${local.slice(11, 16)}`;
}

/** `YYYY-MM-DD` names a day that exists (not 2026-02-30). */
export function isCalendarDay(day: string): boolean {
  const at = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(at) && new Date(at).toISOString().slice(0, 10) === day;
}
