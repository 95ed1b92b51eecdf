/** The books' contract: the product catalogue. */
import { Type, type Static } from '@sinclair/typebox';
import {
  apiOperation,
  answer,
  failure,
  jsonBody,
  nullable,
  object,
  pathParam,
  schema,
  type JsonSchema,
  type PathItem,
} from '../../http/contract';
import { pageQuery } from '../../http/pagination';
import { int, level, str, ts } from './shared';

const sku = Type.String({ minLength: 1, maxLength: 60, pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$' });
/** What a scanner types for the goods: EAN-13, UPC or the shop's own code, visible ASCII. */
const barcodeRule = { minLength: 1, maxLength: 64, pattern: '^[!-~]+$' };
export const barcode = Type.String({
  ...barcodeRule,
  description: 'The barcode printed on the goods (EAN-13, UPC, Code 128…), as a scanner types it; one product per barcode.',
});
const productFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  barcode: Type.Union([barcode, Type.Null()], { description: 'The barcode on the goods; null removes it.' }),
  unit: Type.String({ minLength: 1, maxLength: 30, description: 'Unit of sale: cái, hộp, kg…' }),
  price: Type.Integer({ minimum: 0, description: 'List price, VND.' }),
  lowStockThreshold: Type.Integer({
    minimum: 0,
    description: 'Alert warehouse and accounting when available stock falls below this (0: never).',
  }),
  active: Type.Boolean(),
};
const { name: productName, ...otherProductFields } = productFields;
export const CreateProductBody = Type.Object(
  { sku, name: productName, ...Type.Partial(Type.Object(otherProductFields)).properties },
  { additionalProperties: false },
);
export type CreateProductBody = Static<typeof CreateProductBody>;
export const PatchProductBody = Type.Partial(Type.Object(productFields), { additionalProperties: false, minProperties: 1 });
export type PatchProductBody = Static<typeof PatchProductBody>;

/** `GET /products`: active or not, and the page. */
export const ProductsQuery = Type.Object({
  active: Type.Optional(Type.Boolean({ description: 'Only active (`true`) or inactive (`false`) products.' })),
  barcode: Type.Optional(
    Type.String({ ...barcodeRule, description: 'Only the product with this barcode (a scan); an empty page when none has it.' }),
  ),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description:
        'Search: products whose name has every word of it (tone marks optional: `ao thun` finds "Áo thun"), whose SKU contains it, or whose barcode is it. Sizes and colours are separate SKUs (the catalogue has no variant field), so a name search lists them all.',
    }),
  ),
  ...pageQuery,
});
const noProduct = failure('No product of that SKU.');

export const schemas: Record<string, JsonSchema> = {
  Product: object(['sku', 'name', 'barcode', 'unit', 'price', 'lowStockThreshold', 'active', 'createdAt', 'updatedAt', 'stock'], {
    sku: str,
    name: str,
    barcode: { type: ['string', 'null'], description: 'The barcode on the goods, if it has one.' },
    unit: str,
    price: { ...int, description: 'VND.' },
    lowStockThreshold: int,
    active: { type: 'boolean' },
    createdAt: ts,
    updatedAt: ts,
    stock: { type: 'array', items: level, description: 'Per warehouse that has ever held it.' },
  }),
  ProductCreation: CreateProductBody,
  ProductPatch: PatchProductBody,
};

export const paths: Record<string, PathItem> = {
  '/api/v1/products': {
    get: apiOperation({
      operationId: 'listProducts',
      tags: ['books'],
      permission: 'orders.read',
      summary: 'List products with their stock per warehouse',
      query: ProductsQuery,
      responses: {
        200: answer(
          'A page of products, newest first.',
          object(['products', 'nextCursor'], { products: { type: 'array', items: schema('Product') }, nextCursor: nullable('string') }),
        ),
        400: failure('A filter is invalid (active, barcode, limit, cursor).'),
      },
    }),
    post: apiOperation({
      operationId: 'createProduct',
      tags: ['books'],
      permission: 'stock.manage',
      bodyIsJson: true,
      summary: 'Add a product (SKU) to the catalogue',
      description:
        'Stock is checked (reservations never oversell, adjustments never go below zero) and alerted on only for catalogue SKUs.',
      requestBody: jsonBody(schema('ProductCreation')),
      responses: {
        201: answer('The product.', schema('Product')),
        409: failure('A product of that SKU exists, or another product has that barcode (`details.fields`).'),
        422: failure('The body is invalid (`details.fields`).'),
      },
    }),
  },
  '/api/v1/products/{sku}': {
    get: apiOperation({
      operationId: 'getProduct',
      tags: ['books'],
      permission: 'orders.read',
      summary: 'A product with its stock per warehouse',
      parameters: [pathParam('sku', 'SKU.')],
      responses: { 200: answer('The product.', schema('Product')), 404: noProduct },
    }),
    patch: apiOperation({
      operationId: 'updateProduct',
      tags: ['books'],
      permission: 'stock.manage',
      bodyIsJson: true,
      summary: 'Change a product (name, barcode, unit, price, threshold, active)',
      parameters: [pathParam('sku', 'SKU.')],
      requestBody: jsonBody(schema('ProductPatch')),
      responses: {
        200: answer('The product.', schema('Product')),
        404: noProduct,
        409: failure('Another product has that barcode (`details.fields`).'),
        422: failure('The body is invalid (`details.fields`).'),
      },
    }),
  },
};
