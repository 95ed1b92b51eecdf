/**
 * Compiled shape of a StoreSaleProcess (definitions/processes/store-sale.yaml): how a walk-in sale
 * at the shop's counter runs — who sells, which warehouse the goods leave, how customers may pay,
 * what the receipt says, how long returns are taken back. Plain JSON, no runtime imports.
 */

/** How a customer pays at the counter. */
export type StorePaymentMethod = 'cash' | 'transfer' | 'card';

export interface CompiledStorePayment {
  method: StorePaymentMethod;
  title: string;
}

/** The shop's account a transfer goes to (shown as a VietQR code of the amount). */
export interface CompiledStoreBank {
  /** NAPAS BIN of the bank, 6 digits. */
  bin: string;
  /** Bank name as customers read it (Vietcombank…). */
  bankName: string;
  account: string;
  accountName: string;
}

export interface CompiledStoreSaleProcess {
  apiVersion: 'shopflow/v1';
  kind: 'StoreSaleProcess';
  name: string;
  title: string;
  description?: string;
  /** The role that sells at the counter (its members need `store.sell`). */
  role: string;
  /** Where the goods are issued from (a warehouse of shop.yaml `stock`). */
  warehouse: string;
  /** In the order the point of sale offers them. */
  payments: CompiledStorePayment[];
  /** Present when `transfer` is offered. */
  bank?: CompiledStoreBank;
  receipt: { header?: string; footer: string };
  /** Days after the sale its goods are taken back at the counter. */
  returnWithinDays: number;
}
