/**
 * What outsourced staff may not do, in one place on the API: take data out (CSV and PDF exports
 * answer 403), or read a customer's phone they hold no open task for (every JSON answer passes
 * through the phone mask). Mounted once, right after authentication, so no route can forget it.
 */
import type { RequestHandler } from 'express';
import type { Db } from '../../db/client';
import type { Principal } from '../http/auth';
import { HttpError } from '../http/errors';
import type { Logger } from '../platform/logger';
import { maskPhonesIn } from './phones';
import { phonesVisibleTo } from './visible-phones';

/** Paths that hand data out as files: CSV exports, printed labels, slips and pick lists. */
const EXPORT_PATH = /(\.(csv|pdf)$)|((^|\/)exports?(\/|$))/i;

/** Whether a request takes data out of shopflow as a file. */
export function isExportPath(path: string): boolean {
  return EXPORT_PATH.test(path);
}

/** The 403 an outsourced caller gets for an export. */
export function exportRefused(p: Principal): HttpError {
  return new HttpError(
    403,
    'exports_not_allowed',
    'Nhân viên thuê ngoài (cộng tác viên) không được xuất dữ liệu ra tệp (CSV, PDF): dữ liệu khách hàng ở lại trong shopflow.',
    { role: p.outsourced?.role },
  );
}

/**
 * The phone mask for one person: a function from an answer body to what they may read. Phones
 * visible are read when the answer is sent, so a task claimed a moment ago already shows its
 * customer's number. If that read fails, everything is masked (never shown by mistake).
 */
export function phoneMaskFor(db: Db, p: Principal, log?: Logger): (body: unknown) => Promise<unknown> {
  return async (body) => {
    let visible: Set<string>;
    try {
      visible = await phonesVisibleTo(db, p.staffId);
    } catch (err) {
      log?.warn({ err, staffId: p.staffId }, 'could not read the phones an outsourced member may see; masking all');
      visible = new Set();
    }
    return maskPhonesIn(body, visible);
  };
}

/** The API's guard for outsourced callers: exports refused, phones masked in every JSON answer. */
export function outsourcedLimits(deps: { db: Db; log?: Logger }): RequestHandler {
  return (req, res, next) => {
    const p = req.principal;
    if (!p?.outsourced) return next();
    if (isExportPath(req.path)) return next(exportRefused(p));
    const mask = phoneMaskFor(deps.db, p, deps.log);
    const send = res.json.bind(res);
    res.json = (body: unknown) => {
      void mask(body).then(send, () => send(maskPhonesIn(body, new Set())));
      return res;
    };
    next();
  };
}
