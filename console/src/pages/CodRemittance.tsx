/**
 * Uploading a courier's COD remittance (đối soát COD): the CSV the courier sends (POST
 * /cod/remittances as text/csv with the courier and the remittance reference), then each line
 * matched against its order — matched, short, over, unknown order, not delivered. A malformed
 * file is refused whole, with the lines named.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, get, session } from '../api';
import { Card, ErrorNote } from '../components';
import { useLoad } from '../hooks';
import { formatVnd, useI18n, usePageWords } from '../i18n';
import { Link } from '../router';
import { loadOrderChoices } from './ManualOrder';

const TEXT = {
  vi: {
    title: 'Tải lên bảng đối soát COD',
    intro:
      'Tệp CSV của hãng vận chuyển, dòng đầu là tên cột: order_code và/hoặc tracking_code, cod_collected, fee, transferred_at (không bắt buộc). Tệp Excel: lưu thành CSV (UTF-8) trước khi tải lên.',
    courier: 'Hãng vận chuyển',
    reference: 'Mã bảng đối soát',
    referenceHelp: 'Mã hãng ghi trên bảng đối soát; tải lại cùng mã không nhập hai lần.',
    file: 'Tệp CSV',
    upload: 'Tải lên và đối chiếu',
    reading: 'Đang đọc tệp…',
    sending: 'Đang tải lên…',
    matching: 'Đang đối chiếu với đơn hàng…',
    chooseFile: 'Chọn tệp CSV.',
    notCsv: 'Chỉ nhận tệp CSV (.csv). Tệp Excel: mở và lưu thành CSV UTF-8.',
    imported: 'Đã nhập bảng {ref}: {lines} dòng, thu {cod}, phí {fees}, chuyển về {net}.',
    again: 'Bảng {ref} đã được nhập trước đó; đây là kết quả lần đầu.',
    matched: 'Khớp: {n}',
    unmatched: 'Không khớp: {n}',
    line: 'Dòng',
    order: 'Đơn',
    collected: 'Hãng thu',
    expected: 'Phải thu',
    fee: 'Phí',
    result: 'Kết quả',
    m_matched: 'Khớp',
    m_short: 'Thu thiếu',
    m_over: 'Thu thừa',
    m_unknown_order: 'Không có đơn',
    m_not_delivered: 'Đơn chưa giao',
    problems: 'Tệp có lỗi, chưa nhập gì:',
  },
  en: {
    title: 'Upload a COD remittance',
    intro:
      "The courier's CSV file, with a header row: order_code and/or tracking_code, cod_collected, fee, transferred_at (optional). An Excel file: save it as CSV (UTF-8) first.",
    courier: 'Courier',
    reference: 'Remittance reference',
    referenceHelp: "The courier's reference on the remittance; uploading the same one again imports nothing twice.",
    file: 'CSV file',
    upload: 'Upload and match',
    reading: 'Reading the file…',
    sending: 'Uploading…',
    matching: 'Matching against orders…',
    chooseFile: 'Choose a CSV file.',
    notCsv: 'Only CSV files (.csv). An Excel file: open it and save as CSV UTF-8.',
    imported: 'Imported {ref}: {lines} lines, collected {cod}, fees {fees}, paid over {net}.',
    again: '{ref} was imported before; this is the first import.',
    matched: 'Matched: {n}',
    unmatched: 'Not matched: {n}',
    line: 'Line',
    order: 'Order',
    collected: 'Collected',
    expected: 'Expected',
    fee: 'Fee',
    result: 'Result',
    m_matched: 'Matched',
    m_short: 'Short',
    m_over: 'Over',
    m_unknown_order: 'No such order',
    m_not_delivered: 'Not delivered',
    problems: 'The file has errors; nothing was imported:',
  },
} as const;
type Word = keyof (typeof TEXT)['vi'];

const useText = () => usePageWords(TEXT);

interface Parcel {
  lineNo: number;
  orderId: string | null;
  orderCode: string | null;
  trackingCode: string | null;
  codCollected: number;
  fee: number;
  expectedCod: number | null;
  match: 'matched' | 'short' | 'over' | 'unknown_order' | 'not_delivered';
}
interface Remittance {
  id: number;
  reference: string;
  lines: number;
  codCollected: number;
  fees: number;
  net: number;
  created?: boolean;
  parcels?: Parcel[];
}

/** Sends the CSV as it is (the API's JSON helper would quote it). */
async function uploadCsv(courier: string, reference: string, text: string): Promise<Remittance> {
  const res = await fetch(`/api/v1/cod/remittances?courier=${encodeURIComponent(courier)}&reference=${encodeURIComponent(reference)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.token() ?? ''}`, 'content-type': 'text/csv; charset=utf-8', accept: 'application/json' },
    body: text,
  }).catch(() => {
    throw new ApiError(0, 'network', 'network');
  });
  const body = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string; details?: unknown } } | undefined;
  if (!res.ok)
    throw new ApiError(res.status, body?.error?.code ?? 'http', body?.error?.message ?? String(res.status), body?.error?.details);
  return body as unknown as Remittance;
}

export function CodUploadPage() {
  const x = useText();
  const { lang } = useI18n();
  const choices = useLoad(loadOrderChoices, []);
  const [courier, setCourier] = useState('');
  const [reference, setReference] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [step, setStep] = useState<Word | null>(null);
  const [error, setError] = useState<unknown>();
  const [problems, setProblems] = useState<Array<{ field: string; message: string }>>([]);
  const [result, setResult] = useState<Remittance | null>(null);
  const couriers = choices.data?.couriers ?? [];
  const chosen = courier || couriers[0]?.id || '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setProblems([]);
    setResult(null);
    if (!file) return setError(new Error(x('chooseFile')));
    if (!/\.csv$/i.test(file.name) && file.type !== 'text/csv') return setError(new Error(x('notCsv')));
    try {
      setStep('reading');
      const text = await file.text();
      setStep('sending');
      const ref = reference.trim() || file.name.replace(/\.[^.]+$/, '');
      const imported = await uploadCsv(chosen, ref, text);
      setStep('matching');
      const detail = await get<Remittance>(`/cod/remittances/${imported.id}`);
      setResult({ ...detail, created: imported.created });
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) setProblems(err.fields);
      setError(err);
    } finally {
      setStep(null);
    }
  };

  const parcels = result?.parcels ?? [];
  const matched = parcels.filter((p) => p.match === 'matched').length;
  return (
    <>
      <Card level={1} id="cod-upload-title" title={x('title')}>
        <p className="muted">{x('intro')}</p>
        <form className="form" onSubmit={submit}>
          <div className="field">
            <label htmlFor="cod-courier">{x('courier')}</label>
            {couriers.length ? (
              <select id="cod-courier" value={chosen} onChange={(e) => setCourier(e.target.value)}>
                {couriers.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.title}
                  </option>
                ))}
              </select>
            ) : (
              <input id="cod-courier" value={courier} onChange={(e) => setCourier(e.target.value)} />
            )}
          </div>
          <div className="field">
            <label htmlFor="cod-reference">{x('reference')}</label>
            <input
              id="cod-reference"
              value={reference}
              onChange={(e) => setReference(e.target.value)}
              aria-describedby="cod-reference-help"
            />
            <p id="cod-reference-help" className="muted small">
              {x('referenceHelp')}
            </p>
          </div>
          <div className="field">
            <label htmlFor="cod-file">{x('file')}</label>
            <input id="cod-file" type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </div>
          <button type="submit" disabled={step !== null}>
            {x('upload')}
          </button>
          <p aria-live="polite" className="muted">
            {step ? x(step) : ''}
          </p>
          <ErrorNote error={error} />
          {problems.length > 0 && (
            <>
              <p>{x('problems')}</p>
              <ul className="plain cod-problems">
                {problems.map((p, i) => (
                  <li key={i} className="overdue">
                    {p.field}: {p.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </form>
      </Card>
      {result && (
        <Card id="cod-result-title" title={result.reference}>
          <p role="status">
            {result.created === false
              ? x('again', { ref: result.reference })
              : x('imported', {
                  ref: result.reference,
                  lines: result.lines,
                  cod: formatVnd(result.codCollected, lang),
                  fees: formatVnd(result.fees, lang),
                  net: formatVnd(result.net, lang),
                })}
          </p>
          <p>
            <strong>{x('matched', { n: matched })}</strong> ·{' '}
            <strong className={parcels.length > matched ? 'overdue' : ''}>{x('unmatched', { n: parcels.length - matched })}</strong>
          </p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{x('line')}</th>
                  <th scope="col">{x('order')}</th>
                  <th scope="col">{x('collected')}</th>
                  <th scope="col">{x('expected')}</th>
                  <th scope="col">{x('fee')}</th>
                  <th scope="col">{x('result')}</th>
                </tr>
              </thead>
              <tbody>
                {parcels.map((p) => (
                  <tr key={p.lineNo} data-match={p.match}>
                    <td className="num">{p.lineNo}</td>
                    <td>
                      {p.orderId ? (
                        <Link href={`/orders/${encodeURIComponent(p.orderId)}`}>{p.orderId}</Link>
                      ) : (
                        (p.orderCode ?? p.trackingCode ?? '—')
                      )}
                    </td>
                    <td className="num">{formatVnd(p.codCollected, lang)}</td>
                    <td className="num">{formatVnd(p.expectedCod, lang)}</td>
                    <td className="num">{formatVnd(p.fee, lang)}</td>
                    <td className={p.match === 'matched' ? '' : 'overdue'}>{x(`m_${p.match}` as Word)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      )}
    </>
  );
}
