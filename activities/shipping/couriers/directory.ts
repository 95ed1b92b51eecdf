import { activeShop } from '../../../db/active-shop';
import type { Db } from '../../../db/client';
import { createCourierAdapter } from './index';
import type { CourierAdapter } from './types';
import { ownEntry } from '../../../definitions/rules/own';

/** Finds the adapter of a courier id, built from the active shop's courier settings and the environment. */
export interface CourierDirectory {
  get(courierId: string): Promise<CourierAdapter>;
}

/** Adapters are rebuilt when the active shop changes (new base URL, new credentials env names). */
export function createCourierDirectory(db: Db, env: NodeJS.ProcessEnv = process.env): CourierDirectory {
  let cache: { shopJson: string; adapters: Map<string, CourierAdapter> } | undefined;
  return {
    async get(courierId) {
      const shop = await activeShop(db);
      if (!shop) throw new Error('no shop definition is active');
      const shopJson = JSON.stringify(shop.couriers);
      if (cache?.shopJson !== shopJson) cache = { shopJson, adapters: new Map() };
      let adapter = cache.adapters.get(courierId);
      if (!adapter) {
        const courier = ownEntry(shop.couriers, courierId);
        if (!courier) throw new Error(`courier "${courierId}" is not in the active shop definition`);
        if (!courier.enabled) throw new Error(`courier "${courierId}" is disabled in shop.yaml`);
        adapter = createCourierAdapter(courier, env);
        cache.adapters.set(courierId, adapter);
      }
      return adapter;
    },
  };
}
