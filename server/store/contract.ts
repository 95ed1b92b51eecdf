/**
 * The shop's counter (bán hàng tại cửa hàng): scan, sell, receipt, returns and exchanges.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  answer,
  apiOperation,
  failure,
  jsonBody,
  nullable,
  object,
  pathParam,
  schema,
  stringEnum,
  timestamp,
  withDefault,
  type DomainContract,
  type JsonSchema,
  type PathItem,
  type ResponseObject,
} from '../http/contract';

const METHODS = ['cash', 'transfer', 'card'] as const;
const code = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[!-~]+$',
  description: "What the scanner typed: a product's barcode, or its SKU.",
});
const money = (description: string) => Type.Integer({ minimum: 0, maximum: 10_000_000_000, description });

/** A cart line: a barcode or a SKU, how many, and optionally another price than the list price. */
const CartLine = Type.Object(
  {
    barcode: Type.Optional(code),
    sku: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'The SKU, when no barcode was scanned.' })),
    qty: Type.Integer({ minimum: 1, maximum: 10_000, description: 'How many.' }),
    price: Type.Optional(money('Unit price in VND when it differs from the list price (a discount at the counter).')),
  },
  { additionalProperties: false },
);
const lines = Type.Array(CartLine, { minItems: 1, maxItems: 200, description: 'The cart, in the order scanned.' });
const Payment = Type.Object(
  {
    method: stringEnum(METHODS, {
      description: '`cash` (tiền mặt), `transfer` (chuyển khoản, VietQR), `card` (thẻ) — one the process offers.',
    }),
    received: Type.Optional(money('Cash handed over (cash only; default the amount due); the change is given back.')),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Bank transaction or card slip number.' })),
  },
  { additionalProperties: false },
);
const Customer = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    phone: Type.Optional(
      Type.String({ minLength: 1, maxLength: 30, description: 'A Vietnamese phone number; the customer is found or created by it.' }),
    ),
  },
  { additionalProperties: false },
);

export const ScanBody = Type.Object({ barcode: code }, { additionalProperties: false });
export type ScanBody = Static<typeof ScanBody>;
export const OpenSaleBody = Type.Object({ customer: Type.Optional(Customer) }, { additionalProperties: false });
export type OpenSaleBody = Static<typeof OpenSaleBody>;
export const SaleBody = Type.Object({ lines, payment: Payment, customer: Type.Optional(Customer) }, { additionalProperties: false });
export type SaleBody = Static<typeof SaleBody>;
export const CheckoutBody = Type.Object({ lines, payment: Payment }, { additionalProperties: false });
export type CheckoutBody = Static<typeof CheckoutBody>;
export const ReturnBody = Type.Object(
  {
    lines: Type.Array(
      Type.Object(
        {
          sku: Type.String({ minLength: 1, maxLength: 100, description: 'A SKU of the sale.' }),
          qty: Type.Integer({
            minimum: 1,
            maximum: 10_000,
            description: 'How many come back (at most what was sold and not yet returned).',
          }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200, description: 'What comes back.' },
    ),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    refundMethod: Type.Optional(stringEnum(METHODS, { description: 'How the money goes back (default: how the sale was paid).' })),
    exchange: Type.Optional(
      Type.Object(
        { lines, payment: Payment },
        {
          additionalProperties: false,
          description: 'An exchange: the new goods, sold in a new sale paid first by the returned value; `payment` pays any difference.',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ReturnBody = Static<typeof ReturnBody>;
export const SalesQuery = Type.Object({
  status: Type.Optional(stringEnum(['cart', 'paid'] as const, { description: 'Only carts (opened, e.g. by a lead) or paid sales.' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'An order id, a sale number (HD-…) or a phone number.' })),
  limit: withDefault(Type.Integer({ minimum: 1, maximum: 100, description: 'At most this many, newest first.' }), 20),
});
export type SalesQuery = Static<typeof SalesQuery>;

const line = object(['lineNo', 'sku', 'name', 'unit', 'qty', 'price', 'amount', 'returnedQty'], {
  lineNo: { type: 'integer' },
  sku: { type: 'string' },
  name: { type: 'string' },
  barcode: nullable('string'),
  unit: { type: 'string' },
  qty: { type: 'integer' },
  price: { type: 'integer', description: 'VND, as sold.' },
  amount: { type: 'integer' },
  returnedQty: { type: 'integer', description: 'How many came back so far.' },
});
const bank = object(['bin', 'bankName', 'account', 'accountName'], {
  bin: { type: 'string', description: 'NAPAS BIN.' },
  bankName: { type: 'string' },
  account: { type: 'string' },
  accountName: { type: 'string' },
});

export const schemas: Record<string, JsonSchema> = {
  StoreSettings: object(['process', 'warehouse', 'payments', 'bank', 'returnWithinDays', 'shop'], {
    process: object(['name', 'version', 'title'], { name: { type: 'string' }, version: { type: 'integer' }, title: { type: 'string' } }),
    warehouse: object(['id', 'title'], { id: { type: 'string' }, title: { type: 'string' } }),
    payments: {
      type: 'array',
      items: object(['method', 'title'], { method: { type: 'string', enum: [...METHODS] }, title: { type: 'string' } }),
    },
    bank: { anyOf: [bank, { type: 'null' }] },
    returnWithinDays: { type: 'integer' },
    shop: object(['name'], { name: { type: 'string' } }),
  }),
  StoreProduct: object(['sku', 'name', 'barcode', 'unit', 'price', 'available', 'warehouse'], {
    sku: { type: 'string' },
    name: { type: 'string' },
    barcode: nullable('string'),
    unit: { type: 'string' },
    price: { type: 'integer', description: 'List price, VND.' },
    available: { type: 'integer', description: "On hand less reserved in the counter's warehouse." },
    warehouse: { type: 'string' },
  }),
  StoreSale: object(
    [
      'id',
      'status',
      'definition',
      'warehouse',
      'seller',
      'customer',
      'saleNumber',
      'lines',
      'total',
      'payment',
      'transfer',
      'returnedTotal',
      'returns',
      'receipt',
      'createdAt',
      'paidAt',
    ],
    {
      id: { type: 'string', description: 'The order id (the same sale in GET /orders/{id}).' },
      status: { type: 'string', enum: ['cart', 'paid'] },
      definition: object(['name', 'version'], { name: { type: 'string' }, version: { type: 'integer' } }),
      warehouse: { type: 'string' },
      seller: nullable('string'),
      customer: { anyOf: [object([], { name: nullable('string'), phone: nullable('string') }), { type: 'null' }] },
      saleNumber: nullable('string', { description: 'The sales document (HD-<year>-NNNNNN).' }),
      lines: { type: 'array', items: line },
      total: { type: 'integer', description: 'Σ amounts, VND.' },
      payment: {
        anyOf: [
          object(['method', 'title', 'amount', 'received', 'change', 'reference', 'exchangeOf', 'exchangeCredit'], {
            method: { type: 'string', enum: [...METHODS] },
            title: { type: 'string' },
            amount: { type: 'integer', description: 'Paid with money now: the total less any exchange credit.' },
            received: nullable('integer'),
            change: nullable('integer'),
            reference: nullable('string'),
            exchangeOf: nullable('string', { description: 'The return (TH-…) whose value paid part of it.' }),
            exchangeCredit: { type: 'integer' },
          }),
          { type: 'null' },
        ],
      },
      transfer: {
        anyOf: [
          object(['bank', 'amount', 'purpose', 'payload'], {
            bank,
            amount: { type: 'integer' },
            purpose: { type: 'string' },
            payload: { type: 'string', description: 'The VietQR (EMVCo, NAPAS 247) payload to show as a QR code.' },
          }),
          { type: 'null' },
        ],
      },
      returnedTotal: { type: 'integer' },
      returns: {
        type: 'array',
        items: object(
          ['number', 'goods', 'refund', 'refundMethod', 'exchangeOrderId', 'exchangeCredit', 'lines', 'reason', 'actor', 'at'],
          {
            number: { type: 'string', description: 'TH-<year>-NNNNNN.' },
            goods: { type: 'integer' },
            refund: { type: 'integer' },
            refundMethod: nullable('string'),
            exchangeOrderId: nullable('string'),
            exchangeCredit: { type: 'integer' },
            lines: { type: 'array', items: { type: 'object' } },
            reason: nullable('string'),
            actor: { type: 'string' },
            at: timestamp,
          },
        ),
      },
      receipt: object(['footer'], { header: { type: 'string' }, footer: { type: 'string' } }),
      createdAt: timestamp,
      paidAt: nullable('string', { format: 'date-time' }),
    },
  ),
  StoreSaleAnswer: object(['sale', 'created'], {
    sale: schema('StoreSale'),
    created: { type: 'boolean', description: 'false: a retry, answered as the first time.' },
  }),
  StoreReturnAnswer: object(['return', 'sale', 'exchange'], {
    return: object(['number', 'goods', 'refund', 'credit', 'exchangeOrderId'], {
      number: { type: 'string' },
      goods: { type: 'integer' },
      refund: { type: 'integer' },
      credit: { type: 'integer' },
      exchangeOrderId: nullable('string'),
    }),
    sale: schema('StoreSale'),
    exchange: { anyOf: [schema('StoreSale'), { type: 'null' }] },
  }),
  StoreSales: object(['sales'], { sales: { type: 'array', items: schema('StoreSale') } }),
  StoreScanRequest: ScanBody,
  StoreOpenRequest: OpenSaleBody,
  StoreSaleRequest: SaleBody,
  StoreCheckoutRequest: CheckoutBody,
  StoreReturnRequest: ReturnBody,
};

const saleId = pathParam('id', 'The sale (order) id.');
const noSale = failure('No sale at the counter with this id.');
const pdf = (description: string): ResponseObject => ({ description, content: { 'application/pdf': { schema: { type: 'string' } } } });
const keyHeader = {
  name: 'Idempotency-Key',
  in: 'header' as const,
  required: false,
  description: 'A retry with the same key and body gets the first answer and changes nothing.',
  schema: { type: 'string' },
};

export const paths: Record<string, PathItem> = {
  '/api/v1/store/settings': {
    get: apiOperation({
      operationId: 'storeSettings',
      tags: ['store'],
      permission: 'store.sell',
      summary: 'The point of sale: process, warehouse, payment methods, bank account for VietQR',
      responses: { 200: answer('What the counter sells with.', schema('StoreSettings')), 409: failure('No StoreSaleProcess is active.') },
    }),
  },
  '/api/v1/store/scans': {
    post: apiOperation({
      operationId: 'storeScan',
      tags: ['store'],
      permission: 'store.sell',
      bodyIsJson: true,
      summary: 'Look up a scanned barcode (or SKU): product, price, stock',
      requestBody: jsonBody(schema('StoreScanRequest')),
      responses: {
        200: answer('The product.', schema('StoreProduct')),
        422: failure('The body is invalid, or no product has this code (`details.fields`: `barcode`).'),
      },
    }),
  },
  '/api/v1/store/sales': {
    get: apiOperation({
      operationId: 'storeSales',
      tags: ['store'],
      permission: 'store.sell',
      summary: 'Recent sales at the counter (and carts opened by leads)',
      query: SalesQuery,
      responses: { 200: answer('Newest first.', schema('StoreSales')) },
    }),
    post: apiOperation({
      operationId: 'storeSell',
      tags: ['store'],
      permission: 'store.sell',
      bodyIsJson: true,
      summary: 'Sell at the counter: cart → payment → stock issued, in one transaction',
      description:
        'Prices the lines from the catalogue, checks the payment (cash: the change), issues the goods from the process warehouse, writes the sales document (HD) and the order (channel `store`), all at once. Revenue counts on the `store` channel when paid. For a transfer the answer carries the VietQR payload of the amount. With an Idempotency-Key a retry answers the first sale.',
      parameters: [keyHeader],
      requestBody: jsonBody(schema('StoreSaleRequest')),
      responses: {
        201: answer('The sale, paid.', schema('StoreSaleAnswer')),
        200: answer('A retry: the first answer.', schema('StoreSaleAnswer')),
        409: failure('The Idempotency-Key was used for another body, or no StoreSaleProcess is active.'),
        422: failure(
          'A line names no product (`lines.<i>.barcode`), stock is short (`lines.<i>.qty`), or the payment is invalid (`payment.method`, `payment.received`).',
        ),
      },
    }),
  },
  '/api/v1/store/sales/open': {
    post: apiOperation({
      operationId: 'storeOpenSale',
      tags: ['store'],
      permission: 'store.sell',
      bodyIsJson: true,
      summary: 'Open an empty cart at the counter (checked out later)',
      parameters: [keyHeader],
      requestBody: jsonBody(schema('StoreOpenRequest')),
      responses: {
        201: answer('The cart.', schema('StoreSale')),
        200: answer('A retry: the same cart.', schema('StoreSale')),
        422: failure('The body is invalid.'),
      },
    }),
  },
  '/api/v1/store/sales/{id}': {
    get: apiOperation({
      operationId: 'storeSale',
      tags: ['store'],
      permission: 'store.sell',
      summary: 'One sale at the counter',
      parameters: [saleId],
      responses: { 200: answer('The sale.', schema('StoreSale')), 404: noSale },
    }),
  },
  '/api/v1/store/sales/{id}/checkout': {
    post: apiOperation({
      operationId: 'storeCheckout',
      tags: ['store'],
      permission: 'store.sell',
      bodyIsJson: true,
      summary: "Pay an open cart (e.g. a lead's on the store channel)",
      description: 'Paid once: the same lines again answer the payment already made (`created: false`), other lines are 409.',
      parameters: [saleId, keyHeader],
      requestBody: jsonBody(schema('StoreCheckoutRequest')),
      responses: {
        201: answer('The sale, paid.', schema('StoreSaleAnswer')),
        200: answer('Already paid with these lines: the same sale.', schema('StoreSaleAnswer')),
        404: noSale,
        409: failure('Already paid with other lines.'),
        422: failure('A line or the payment is invalid (`details.fields`).'),
      },
    }),
  },
  '/api/v1/store/sales/{id}/returns': {
    post: apiOperation({
      operationId: 'storeReturn',
      tags: ['store'],
      permission: 'store.sell',
      bodyIsJson: true,
      summary: 'Return or exchange at the counter',
      description:
        'The goods go back into stock, a return document (TH) reverses their value, and the money is refunded — or, with `exchange`, credited to a new sale of the new goods (paid for any difference). Revenue on the `store` channel drops by the returned value in the period of the return. At most what was sold and not yet returned, within the process return window.',
      parameters: [saleId, keyHeader],
      requestBody: jsonBody(schema('StoreReturnRequest')),
      responses: {
        201: answer('The return, the sale after it, and the exchange sale.', schema('StoreReturnAnswer')),
        200: answer('A retry with the same Idempotency-Key: the first answer.', schema('StoreReturnAnswer')),
        404: noSale,
        409: failure('The sale is not paid, or is past the return window.'),
        422: failure(
          'A line is not in the sale or more than is left (`lines.<i>.sku`, `lines.<i>.qty`), or the exchange is invalid (`exchange.…`).',
        ),
      },
    }),
  },
  '/api/v1/store/sales/{id}/receipt.pdf': {
    get: apiOperation({
      operationId: 'storeReceiptPdf',
      tags: ['store'],
      permission: 'store.sell',
      summary: 'The K80 receipt of a sale (PDF)',
      description:
        'Shop, sale number as Code 128, lines, total, payment (cash received and change; for a transfer the VietQR code of the amount), returns, footer. Noto Sans embeds Vietnamese.',
      parameters: [saleId],
      responses: { 200: pdf('80 mm wide, as long as the content.'), 404: noSale, 409: failure('The sale is not paid yet.') },
    }),
  },
};

export const contract: DomainContract = {
  tags: [{ name: 'store', description: 'Offline store: the point of sale at the counter, receipts, returns and exchanges.' }],
  schemas,
  paths,
};
