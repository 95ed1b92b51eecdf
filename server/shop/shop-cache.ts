import type { CompiledShop } from '../../definitions/types';
import type { DefinitionsStore } from './definitions';

/**
 * The active shop (roles, permissions, channels) for request handling, re-read at most every
 * `ttlMs` so an activation on another replica takes effect within that time.
 */
export function createShopCache(definitions: DefinitionsStore, ttlMs = 2_000) {
  let cached: { shop: CompiledShop; at: number } | undefined;
  return {
    async get(): Promise<CompiledShop> {
      if (cached && Date.now() - cached.at < ttlMs) return cached.shop;
      const shop = await definitions.activeShop();
      if (!shop) throw new Error('no shop definition is active: start shopflow once with definitions/shop.yaml in place');
      cached = { shop, at: Date.now() };
      return shop;
    },
    invalidate(): void {
      cached = undefined;
    },
  };
}

export type ShopCache = ReturnType<typeof createShopCache>;
