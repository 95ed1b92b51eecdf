/**
 * The books' part of the contract: products, stock, purchases, the sales book, summaries and
 * COD reconciliation, one file per part; this index puts them together in the document's order.
 */
import type { DomainContract } from '../../http/contract';
import * as products from './products';
import * as stock from './stock';
import * as purchases from './purchases';
import * as sales from './sales';
import * as cod from './cod';

export { CreateProductBody, PatchProductBody, ProductsQuery } from './products';
export { AdjustmentBody, MOVEMENT_KINDS, StockLevelsQuery, StockMovementsQuery } from './stock';
export { PurchaseBody, PurchasesExportQuery, PurchasesQuery } from './purchases';
export { SalesExportQuery, SalesQuery, SalesReturnBody, SummaryQuery } from './sales';
export { MismatchesQuery, RemittanceBody, RemittanceImportQuery, RemittancesQuery, UnpaidQuery } from './cod';

const parts = [products, stock, purchases, sales, cod];

export const schemas = Object.assign({}, ...parts.map((p) => p.schemas)) as DomainContract['schemas'];
export const paths = Object.assign({}, ...parts.map((p) => p.paths)) as DomainContract['paths'];

export const contract: DomainContract = {
  tags: [{ name: 'books', description: 'Products, stock ledger, purchase and sales documents, summaries, COD reconciliation.' }],
  schemas,
  paths,
};
