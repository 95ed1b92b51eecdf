import express, { Router } from 'express';
import {
  codMismatches,
  getRemittance,
  importRemittance,
  listRemittances,
  remittanceLines,
  settleRemittance,
  unpaidCodOrders,
  type RemittanceLineInput,
} from '../../db/books/cod';
import type { Db } from '../../db/client';
import { requirePermission } from '../http/auth';
import { CsvError, parseRemittanceCsv, toCsv } from './csv-export';
import { conflict, notFound, unprocessable } from '../http/errors';
import { badCursor } from '../http/pagination';
import type { ShopCache } from '../shop/shop-cache';
import { fieldErrors } from '../http/validate';
import { requestLang } from '../http/lang';
import { queryOf, queryValues } from '../http/contract';
import { sharedAjv } from '../../definitions/loading/ajv';
import { hasOwnEntry } from '../../definitions/rules/own';
import { MismatchesQuery, RemittanceBody, RemittanceImportQuery, RemittancesQuery, UnpaidQuery } from './contract';

const validateRemittance = sharedAjv().compile(RemittanceBody);

/** COD reconciliation (đối soát COD): courier remittances, mismatches, unpaid delivered orders. */
export function codRouter(deps: { db: Db; shop: ShopCache }): Router {
  const router = Router();
  router.use(requirePermission('books.manage'));
  const remittanceId = (raw: unknown): number => {
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 1) throw notFound(`no remittance "${String(raw)}"`);
    return n;
  };

  router.get('/remittances', queryOf(RemittancesQuery), async (req, res) => {
    const q = queryValues(req, RemittancesQuery);
    const limit = q.limit;
    let before: { createdAt: Date; id: number } | undefined;
    if (q.cursor) {
      try {
        const [at, rid] = JSON.parse(Buffer.from(q.cursor, 'base64url').toString()) as [string, string];
        before = { createdAt: new Date(at), id: Number(rid) };
        if (Number.isNaN(before.createdAt.getTime()) || !Number.isSafeInteger(before.id)) throw new Error('bad');
      } catch {
        throw badCursor();
      }
    }
    const rows = await listRemittances(deps.db, { limit: limit + 1, before });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    res.json({
      remittances: page.map(remittanceView),
      nextCursor:
        rows.length > limit && last
          ? Buffer.from(JSON.stringify([last.createdAt.toISOString(), String(last.id)])).toString('base64url')
          : null,
    });
  });

  const csvBody = express.text({ type: ['text/csv', 'application/csv'], limit: '5mb' });
  router.post('/remittances', queryOf(RemittanceImportQuery), csvBody, async (req, res) => {
    const shop = await deps.shop.get();
    let body: { courier: string; reference: string; lines: RemittanceLineInput[] };
    if (typeof req.body === 'string') {
      const q = queryValues(req, RemittanceImportQuery);
      if (!q.courier || !q.reference)
        throw unprocessable('a CSV remittance needs ?courier= and ?reference= in the URL', {
          fields: [
            ...(!q.courier ? [{ field: 'courier', message: 'is required' }] : []),
            ...(!q.reference ? [{ field: 'reference', message: 'is required' }] : []),
          ],
        });
      try {
        body = { courier: q.courier, reference: q.reference, lines: parseRemittanceCsv(req.body) };
      } catch (err) {
        if (err instanceof CsvError)
          throw unprocessable(`the CSV cannot be read: ${err.message}`, { fields: [{ field: 'body', message: err.message }] });
        throw err;
      }
    } else {
      if (!validateRemittance(req.body ?? {}))
        throw unprocessable('the request body is invalid', { fields: fieldErrors(validateRemittance, '(body)', requestLang(req)) });
      body = req.body;
    }
    if (!hasOwnEntry(shop.couriers, body.courier))
      throw unprocessable(`unknown courier "${body.courier}"`, {
        fields: [{ field: 'courier', message: `must be one of: ${Object.keys(shop.couriers).join(', ')}` }],
      });
    if (body.reference.startsWith('webhook:'))
      throw unprocessable('references starting with "webhook:" are kept for COD reported by courier webhooks', {
        fields: [{ field: 'reference', message: 'is reserved' }],
      });
    const imported = await importRemittance(deps.db, {
      ...body,
      lines: body.lines.map((l) => ({ ...l, fee: l.fee ?? 0 })),
      actor: req.principal!.staffId,
    });
    const remittance = (await getRemittance(deps.db, imported.id))!;
    res.status(imported.created ? 201 : 200).json({
      ...remittanceView(remittance),
      created: imported.created,
      mismatches: await codMismatches(deps.db, { remittanceId: imported.id }),
    });
  });

  router.get('/remittances/:id', async (req, res) => {
    const rid = remittanceId(req.params.id);
    const remittance = await getRemittance(deps.db, rid);
    if (!remittance) throw notFound(`no remittance "${req.params.id}"`);
    res.json({ ...remittanceView(remittance), parcels: await remittanceLines(deps.db, rid) });
  });

  router.post('/remittances/:id/settle', async (req, res) => {
    const rid = remittanceId(req.params.id);
    const outcome = await settleRemittance(deps.db, rid, req.principal!.staffId);
    if (outcome === 'missing') throw notFound(`no remittance "${req.params.id}"`);
    if (outcome === 'already') throw conflict(`remittance ${rid} is already settled`);
    res.json(remittanceView((await getRemittance(deps.db, rid))!));
  });

  const mismatchesOf = async (remittanceId: number | undefined) =>
    remittanceId === undefined ? codMismatches(deps.db) : codMismatches(deps.db, { remittanceId });
  router.get('/mismatches', queryOf(MismatchesQuery), async (req, res) => {
    res.json({ mismatches: await mismatchesOf(queryValues(req, MismatchesQuery).remittance) });
  });
  router.get('/mismatches/export.csv', queryOf(MismatchesQuery), async (req, res) => {
    const rows = await mismatchesOf(queryValues(req, MismatchesQuery).remittance);
    res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', 'attachment; filename="cod-mismatches.csv"');
    res.send(
      toCsv(
        ['kind', 'order', 'order_code', 'tracking_code', 'courier', 'expected_cod', 'collected', 'difference', 'remittances'],
        rows.map((m) => [
          m.kind,
          m.orderId,
          m.orderCode,
          m.trackingCode,
          m.courier,
          m.expectedCod,
          m.collected,
          m.difference,
          m.remittances.join(' '),
        ]),
      ),
    );
  });
  router.get('/unpaid', queryOf(UnpaidQuery), async (req, res) => {
    const courier = queryValues(req, UnpaidQuery).courier || undefined;
    const orders = await unpaidCodOrders(deps.db, { courier });
    res.json({ orders, total: orders.reduce((sum, o) => sum + o.expectedCod, 0) });
  });
  return router;
}

function remittanceView(r: Awaited<ReturnType<typeof getRemittance>> & object) {
  return { ...r, createdAt: r.createdAt.toISOString(), settledAt: r.settledAt?.toISOString() ?? null };
}
