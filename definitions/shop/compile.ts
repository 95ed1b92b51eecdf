/**
 * Compiles a checked shop.yaml into {@link CompiledShop}. Only called when the schema and semantic
 * checks found nothing, so shapes can be trusted here.
 */
import { fixedUtcOffsetMinutes, WEEKDAYS, type CompiledWorkingHours, type Weekday } from '../rules/business-time';
import { compileCondition } from '../rules/condition-compile';
import type { CompiledSegment, SegmentMetric } from '../rules/conditions';
import type { PlainRecord } from '../loading/plain';
import {
  API_VERSION,
  stockSettings,
  type CompiledCourier,
  type CompiledOutsourcing,
  type CompiledRole,
  type CompiledShop,
  type CompiledStockSettings,
  type LoadSummary,
} from '../types';
import { expandDates, parseHoursRange, rangesOf } from '../rules/working-hours';
import { localMidnight } from '../rules/local-day';

interface RawShop {
  metadata: { name: string; title: string };
  spec: {
    profile: {
      name: string;
      currency: string;
      timezone: string;
      locale?: string;
      workingHours: Partial<Record<Weekday, string | string[]>>;
      daysOff?: (string | { from: string; to?: string; title?: string })[];
    };
    roles: Record<string, Omit<CompiledRole, 'id' | 'outsourced'> & { description?: string; outsourced?: RawOutsourcing }>;
    channels: Record<string, { title: string; description?: string; process?: string }>;
    couriers: Record<string, Omit<CompiledCourier, 'id' | 'service'> & { service?: CompiledCourier['service'] }>;
    segments: Record<string, { title: string; description?: string; rule: 'otherwise' | PlainRecord }>;
    stock?: { allowNegative?: boolean; warehouses?: Record<string, { title: string }>; lowStockNotify?: string[]; shortageRole?: string };
    defaultProcess?: string;
    shippingFee?: { flat: number; provinces?: Record<string, number>; freeOver?: number };
  };
}

const DEFAULT_LOCALE = 'vi-VN';

type RawOutsourcing = { contractEnds?: string; handBackTo: string; pay?: CompiledOutsourcing['pay'] };

/** The firm's contract ends at the local midnight after its last day, in the shop's timezone. */
function compileOutsourcing(raw: RawOutsourcing, timezone: string): CompiledOutsourcing {
  return {
    ...(raw.contractEnds !== undefined && {
      contractEnds: raw.contractEnds,
      contractEndsAt: localMidnight(raw.contractEnds, fixedUtcOffsetMinutes(timezone)!, 1).toISOString(),
    }),
    handBackTo: raw.handBackTo,
    pay: raw.pay ?? 'commission-only',
  };
}

export function compileShop(data: unknown): CompiledShop {
  const { metadata, spec } = data as RawShop;
  return {
    apiVersion: API_VERSION,
    kind: 'Shop',
    name: metadata.name,
    title: metadata.title,
    profile: {
      name: spec.profile.name,
      currency: spec.profile.currency,
      timezone: spec.profile.timezone,
      locale: spec.profile.locale ?? DEFAULT_LOCALE,
    },
    workingHours: compileWorkingHours(spec.profile),
    roles: mapById(spec.roles, (id, role) => ({
      id,
      title: role.title,
      permissions: role.permissions,
      scope: role.scope,
      leads: role.leads ?? [],
      ...(role.handledBy !== undefined && { handledBy: role.handledBy }),
      ...(role.outsourced !== undefined && { outsourced: compileOutsourcing(role.outsourced, spec.profile.timezone) }),
      ...(role.autoAssign !== undefined && { autoAssign: role.autoAssign }),
    })),
    channels: mapById(spec.channels, (id, channel) => ({
      id,
      title: channel.title,
      ...(channel.process !== undefined && { process: channel.process }),
    })),
    couriers: mapById(spec.couriers, (id, courier) => {
      const { title, api, enabled, baseUrl, baseUrlEnv, tokenEnv, shopIdEnv, webhookSecretEnv, service } = courier;
      return {
        id,
        title,
        api,
        enabled,
        baseUrl,
        ...(baseUrlEnv !== undefined && { baseUrlEnv }),
        ...(tokenEnv !== undefined && { tokenEnv }),
        ...(shopIdEnv !== undefined && { shopIdEnv }),
        ...(webhookSecretEnv !== undefined && { webhookSecretEnv }),
        service: service ?? {},
      };
    }),
    segments: Object.entries(spec.segments).map(([id, segment]): CompiledSegment => ({
      id,
      title: segment.title,
      rule:
        segment.rule === 'otherwise' ? { otherwise: true } : { otherwise: false, condition: compileCondition<SegmentMetric>(segment.rule) },
    })),
    stock: compileStock(spec.stock),
    ...(spec.shippingFee !== undefined && {
      shippingFee: {
        flat: spec.shippingFee.flat,
        provinces: { ...(spec.shippingFee.provinces ?? {}) },
        ...(spec.shippingFee.freeOver !== undefined && { freeOver: spec.shippingFee.freeOver }),
      },
    }),
    ...(spec.defaultProcess !== undefined && { defaultProcess: spec.defaultProcess }),
  };
}

function compileStock(stock: RawShop['spec']['stock']): CompiledStockSettings {
  const defaults = stockSettings(undefined);
  const warehouses = stock?.warehouses ? mapById(stock.warehouses, (id, w) => ({ id, title: w.title })) : defaults.warehouses;
  return {
    allowNegative: stock?.allowNegative ?? defaults.allowNegative,
    warehouses,
    defaultWarehouse: Object.keys(warehouses)[0]!,
    lowStockNotify: stock?.lowStockNotify ?? defaults.lowStockNotify,
    shortageRole: stock?.shortageRole ?? defaults.shortageRole,
  };
}

function compileWorkingHours(profile: RawShop['spec']['profile']): CompiledWorkingHours {
  const weekly = Object.fromEntries(
    WEEKDAYS.map((day) => [
      day,
      rangesOf(profile.workingHours[day])
        .map((text) => parseHoursRange(text)!)
        .sort((a, b) => a.fromMinute - b.fromMinute),
    ]),
  ) as CompiledWorkingHours['weekly'];
  const daysOff = new Set<string>();
  for (const entry of profile.daysOff ?? []) {
    if (typeof entry === 'string') daysOff.add(entry);
    else expandDates(entry.from, entry.to ?? entry.from).forEach((date) => daysOff.add(date));
  }
  return {
    timezone: profile.timezone,
    utcOffsetMinutes: fixedUtcOffsetMinutes(profile.timezone)!,
    weekly,
    daysOff: [...daysOff].sort(),
  };
}

function mapById<R, T>(entries: Record<string, R>, build: (id: string, raw: R) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(entries).map(([id, raw]) => [id, build(id, raw)]));
}

export function summarizeShop(shop: CompiledShop): LoadSummary {
  const roles = Object.keys(shop.roles).sort();
  const count = (record: Record<string, unknown>) => Object.keys(record).length;
  return {
    kind: shop.kind,
    name: shop.name,
    title: shop.title,
    roles,
    text:
      `Shop ${shop.name} (${shop.title}): ${roles.length} roles, ${count(shop.channels)} channels, ` +
      `${count(shop.couriers)} couriers, ${shop.segments.length} segments; timezone ${shop.profile.timezone}`,
  };
}
