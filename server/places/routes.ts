import { Router } from 'express';
import { requirePermission } from '../http/auth';
import { queryOf, queryValues } from '../http/contract';
import { notFound, unprocessable } from '../http/errors';
import { PROVINCE_CODE, WardsQuery } from './contract';
import { places, PLACES_SOURCE } from './places';

/** Provinces and wards for address pickers (read-only reference data, the same for every shop). */
export function placesRouter(): Router {
  const router = Router();
  router.use(requirePermission('orders.read'));
  router.get('/provinces', (_req, res) => {
    res.json({ provinces: places().provinces, source: PLACES_SOURCE });
  });
  router.get('/provinces/:code/wards', queryOf(WardsQuery), (req, res) => {
    const code = String(req.params.code);
    if (!PROVINCE_CODE.test(code))
      throw unprocessable(`mã tỉnh "${code}" không hợp lệ: mã tỉnh gồm 2 chữ số, ví dụ 01 (Hà Nội), 79 (Hồ Chí Minh)`, {
        fields: [{ field: 'code', message: 'mã tỉnh gồm 2 chữ số (a province code is two digits)' }],
      });
    const province = places().province(code);
    if (!province) throw notFound(`không có tỉnh/thành nào mã ${code} (no province ${code})`);
    res.json({ province, wards: places().wards(code, queryValues(req, WardsQuery).q), source: PLACES_SOURCE });
  });
  return router;
}
