/**
 * The shipping fee the customer pays, from shop.yaml `shippingFee`: a flat fee, a fee per province
 * (the address's province as written, or its old name before the 2025 merger if the shop wrote
 * that), and free shipping from an order total up. The close form's fee field
 * (`x-shopflow: { fee: { address, total } }`) starts from it and stays editable; COD adds it.
 * Pure: the console computes the same figure live as the rep picks the address and items.
 */

/** shop.yaml `shippingFee`, compiled. */
export interface ShippingFeeRules {
  /** VND when no province rule applies. */
  flat: number;
  /** Province → VND (matched ignoring case, accents kept, "TP." / "Thành phố" prefixes aside). */
  provinces: Record<string, number>;
  /** From this order total (VND) up, shipping is free. Absent: never free. */
  freeOver?: number;
}

const provinceKey = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/^(tp\.?|thành phố|tỉnh)\s*/u, '')
    .replace(/\s+/g, ' ');

/** The fee for an order going to `province` worth `total` VND (total unknown: the free-over rule waits). */
export function shippingFeeFor(rules: ShippingFeeRules, province: string | undefined, total: number | undefined): number {
  if (rules.freeOver !== undefined && total !== undefined && total >= rules.freeOver) return 0;
  if (province) {
    const wanted = provinceKey(province);
    for (const [name, fee] of Object.entries(rules.provinces)) if (provinceKey(name) === wanted) return fee;
  }
  return rules.flat;
}
