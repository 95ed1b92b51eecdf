/**
 * Compiles a checked StoreSaleProcess into the plain snapshot the point of sale reads. Only called
 * when the schema and semantic checks found nothing, so shapes can be trusted here.
 */
import type { CompiledShop, LoadSummary } from '../types';
import { API_VERSION } from '../types';
import { stockSettings } from '../types';
import type { CompiledStoreBank, CompiledStorePayment, CompiledStoreSaleProcess } from './types';

interface RawStoreSaleProcess {
  metadata: { name: string; title: string; description?: string };
  spec: {
    role: string;
    warehouse?: string;
    payments: CompiledStorePayment[];
    bank?: CompiledStoreBank;
    receipt?: { header?: string; footer?: string };
    returns?: { withinDays?: number };
  };
}

export function compileStoreSaleProcess(data: unknown, shop: CompiledShop): CompiledStoreSaleProcess {
  const raw = data as RawStoreSaleProcess;
  const { spec } = raw;
  return {
    apiVersion: API_VERSION,
    kind: 'StoreSaleProcess',
    name: raw.metadata.name,
    title: raw.metadata.title,
    ...(raw.metadata.description !== undefined && { description: raw.metadata.description }),
    role: spec.role,
    warehouse: spec.warehouse ?? stockSettings(shop).defaultWarehouse,
    payments: spec.payments.map((p) => ({ method: p.method, title: p.title })),
    ...(spec.bank !== undefined && {
      bank: { bin: spec.bank.bin, bankName: spec.bank.bankName, account: spec.bank.account, accountName: spec.bank.accountName },
    }),
    receipt: {
      ...(spec.receipt?.header !== undefined && { header: spec.receipt.header }),
      footer: spec.receipt?.footer ?? 'Cảm ơn quý khách!',
    },
    returnWithinDays: spec.returns?.withinDays ?? 7,
  };
}

export function summarizeStoreSaleProcess(process: CompiledStoreSaleProcess): LoadSummary {
  return {
    kind: process.kind,
    name: process.name,
    title: process.title,
    roles: [process.role],
    text: `${process.kind} ${process.name} (${process.title}): sold by ${process.role} from warehouse ${process.warehouse}; payments: ${process.payments.map((p) => p.method).join(', ')}; returns within ${process.returnWithinDays} days`,
  };
}
