/**
 * Outsourced members through the staff API: their own contract end as given (a local day or an
 * instant), the checks a shop expects (only outsourced members have one; each outsourced member
 * has an end, theirs or the firm's), and the contract as the staff page shows it.
 */
import type { CompiledShop } from '../../definitions/types';
import { contractEnded, isCalendarDay, memberContract, type MemberContract } from '../../definitions/shop/outsourcing';
import { localMidnight, shopOffsetMinutes } from '../../definitions/rules/local-day';
import { unprocessable } from '../http/errors';
import type { StaffRow } from '../staff/staff';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const invalid = (message: string) => unprocessable('the request body is invalid', { fields: [{ field: 'contractEnds', message }] });

/**
 * `contractEnds` from a request as the instant the contract stops: a local day is in force
 * through that day (its end is the next local midnight); null clears it; undefined: not sent.
 */
export function parseContractEnds(value: unknown, shop: CompiledShop): Date | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') throw invalid('must be a date (YYYY-MM-DD), a date-time with offset, or null');
  if (DAY.test(value)) {
    if (!isCalendarDay(value)) throw invalid(`"${value}" is not a calendar date`);
    return localMidnight(value, shopOffsetMinutes(shop), 1);
  }
  const ms = INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms))
    throw invalid(`"${value}" is neither a date (YYYY-MM-DD) nor a date-time with offset (2026-12-31T18:00:00+07:00)`);
  return new Date(ms);
}

/**
 * A member's roles and own end make sense together: an end only on an outsourced member, and
 * every outsourced member's contract has an end (theirs, or the firm's in shop.yaml).
 */
export function checkContract(
  shop: CompiledShop,
  roles: string[],
  contractEnds: Date | null | undefined,
  opts: { creating: boolean },
): void {
  const contract = memberContract({ roles, contractEnds }, shop);
  if (!contract) {
    if (contractEnds)
      throw invalid(`only outsourced members have a contract end — none of their roles (${roles.join(', ')}) is outsourced in shop.yaml`);
    return;
  }
  if (contract.endsAt === null) {
    throw invalid(
      `role "${contract.role}" is outsourced and its firm's contract has no end in shop.yaml (outsourced.contractEnds), so the member needs their own contractEnds`,
    );
  }
  if (opts.creating && Date.parse(contract.endsAt) <= Date.now()) {
    throw invalid(`the contract already ended (${contract.endsAt}) — a new outside member needs an end in the future`);
  }
}

/** The contract as the staff page shows it. */
export interface StaffContractView extends MemberContract {
  ended: boolean;
  endedAt: string | null;
}

export function contractView(row: StaffRow, shop: CompiledShop | undefined): StaffContractView | null {
  const contract = memberContract(row, shop);
  if (!contract) return null;
  return { ...contract, ended: contractEnded(row, contract, Date.now()), endedAt: row.contractEndedAt?.toISOString() ?? null };
}
