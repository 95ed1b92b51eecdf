/**
 * Packing in the console: print buttons (label, packing slip, batch labels, pick list) and scan to
 * pack on the pack task — a USB scanner types into the scan box and presses Enter, or the phone
 * camera reads the barcode (BarcodeDetector, where the browser has it). Every scan goes to the
 * server, which checks it against the order; the server also refuses "Đã đóng gói" until the box
 * matches or the warehouse lead overrides it, so this panel only shows what it says.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, api, session, type Me } from '../api';
import type { components } from '../api-types.gen';
import { ErrorNote } from '../components';
import { useI18n, type Lang } from '../i18n';
import './packing.css';

export type PackingState = components['schemas']['PackingState'];
type Scan = PackingState['scans'][number];

const TEXT = {
  vi: {
    print: 'In',
    printLabel: 'In nhãn vận chuyển',
    printSlip: 'In phiếu đóng gói',
    paper: 'Khổ giấy',
    printSelected: 'In nhãn các đơn đã chọn',
    pickList: 'Danh sách lấy hàng',
    selectOrder: 'Chọn đơn {id}',
    selectedCount: 'Đã chọn {n} đơn',
    scanTitle: 'Quét mã vạch để đóng gói',
    scanHelp: 'Quét bằng máy quét (con trỏ ở ô bên dưới) hoặc camera. Mỗi sản phẩm quét một lần.',
    scanBox: 'Mã vạch hoặc SKU',
    scanButton: 'Ghi nhận',
    camera: 'Quét bằng camera',
    stopCamera: 'Tắt camera',
    cameraUnsupported: 'Trình duyệt này không đọc được mã vạch bằng camera — dùng máy quét hoặc gõ mã.',
    product: 'Sản phẩm',
    needed: 'Cần',
    scanned: 'Đã quét',
    ok: 'Khớp',
    'wrong-item': 'Sai hàng',
    'too-many': 'Thừa',
    remove: 'Lấy ra',
    removed: 'đã lấy ra',
    matched: 'Đủ hàng, đúng số lượng — có thể bấm "Đã đóng gói".',
    notMatched: 'Chưa khớp — chưa được đóng gói:',
    overridden: 'Trưởng kho đã duyệt bỏ qua: {reason}',
    overrideTitle: 'Trưởng kho duyệt bỏ qua',
    overrideReason: 'Lý do (bắt buộc)',
    overrideButton: 'Duyệt giao như hiện tại',
    lastScan: 'Vừa quét {code}: {result}',
    history: 'Các lần quét',
    blocked: 'Chưa thể "Đã đóng gói": hàng quét chưa khớp với đơn. Quét đủ, lấy hàng sai ra, hoặc nhờ trưởng kho duyệt.',
  },
  en: {
    print: 'Print',
    printLabel: 'Print shipping label',
    printSlip: 'Print packing slip',
    paper: 'Paper',
    printSelected: 'Print labels of selected orders',
    pickList: 'Pick list',
    selectOrder: 'Select order {id}',
    selectedCount: '{n} orders selected',
    scanTitle: 'Scan to pack',
    scanHelp: 'Scan with a barcode scanner (cursor in the box below) or the camera. One scan per item.',
    scanBox: 'Barcode or SKU',
    scanButton: 'Record',
    camera: 'Scan with camera',
    stopCamera: 'Stop camera',
    cameraUnsupported: 'This browser cannot read barcodes with the camera — use a scanner or type the code.',
    product: 'Product',
    needed: 'Needed',
    scanned: 'Scanned',
    ok: 'Matches',
    'wrong-item': 'Wrong item',
    'too-many': 'Too many',
    remove: 'Take out',
    removed: 'taken out',
    matched: 'Everything scanned in its quantity — "Packed" can be sent.',
    notMatched: 'Not matching — cannot be packed yet:',
    overridden: 'Overridden by the warehouse lead: {reason}',
    overrideTitle: 'Warehouse lead override',
    overrideReason: 'Reason (required)',
    overrideButton: 'Let it go as it is',
    lastScan: 'Scanned {code}: {result}',
    history: 'Scans',
    blocked:
      'Cannot send "Packed" yet: the scans do not match the order. Scan what is missing, take wrong items out, or ask the warehouse lead.',
  },
} as const;
type PackingKey = keyof (typeof TEXT)['vi'];
/** The packing words in the chosen language (kept here, beside the only screens that use them). */
export function usePackingText() {
  const { lang } = useI18n();
  return (key: PackingKey, vars: Record<string, string | number> = {}) =>
    String(TEXT[lang as Lang][key]).replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

/**
 * Opens a PDF the API prints in a new tab (fetched with the token, which a plain link would not
 * carry); where the browser blocks the tab, it is downloaded instead.
 */
export async function openPdf(path: string, filename: string, body?: unknown): Promise<void> {
  const token = session.token();
  const res = await fetch(`/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    const error = (
      (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string; details?: unknown } } | undefined
    )?.error;
    throw new ApiError(res.status, error?.code ?? 'http', error?.message ?? `${res.status} ${res.statusText}`, error?.details);
  }
  const url = URL.createObjectURL(await res.blob());
  const tab = window.open(url, '_blank');
  if (!tab) {
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    document.body.append(link);
    link.click();
    link.remove();
  }
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const SIZES = ['A6', 'A5', 'K80'] as const;

/** The print buttons of one order: shipping label and packing slip, on the paper chosen. */
export function PrintButtons({ orderId }: { orderId: string }) {
  const p = usePackingText();
  const [size, setSize] = useState<(typeof SIZES)[number]>('A6');
  const [error, setError] = useState<unknown>();
  const print = (kind: 'label' | 'packing-slip') => {
    setError(undefined);
    openPdf(`/orders/${encodeURIComponent(orderId)}/${kind}.pdf?size=${size}`, `${kind}-${orderId}.pdf`).catch(setError);
  };
  return (
    <div className="toolbar print-buttons">
      <label htmlFor={`paper-${orderId}`}>{p('paper')}</label>
      <select id={`paper-${orderId}`} value={size} onChange={(e) => setSize(e.target.value as (typeof SIZES)[number])}>
        {SIZES.map((s) => (
          <option key={s} value={s}>
            {s === 'K80' ? 'K80 (80 mm)' : s}
          </option>
        ))}
      </select>
      <button type="button" className="secondary" onClick={() => print('label')}>
        {p('printLabel')}
      </button>
      <button type="button" className="secondary" onClick={() => print('packing-slip')}>
        {p('printSlip')}
      </button>
      <ErrorNote error={error} />
    </div>
  );
}

/** Bulk print from the orders list: the selected orders' labels in one PDF, and their pick list. */
export function BulkPrint({ orderIds }: { orderIds: string[] }) {
  const p = usePackingText();
  const [error, setError] = useState<unknown>();
  const run = (path: string, name: string) => {
    setError(undefined);
    openPdf(path, name, { orderIds }).catch(setError);
  };
  return (
    <div className="toolbar bulk-print" role="group" aria-label={p('selectedCount', { n: orderIds.length })}>
      <span className="muted">{p('selectedCount', { n: orderIds.length })}</span>
      <button type="button" disabled={!orderIds.length} onClick={() => run('/orders/labels.pdf', 'nhan.pdf')}>
        {p('printSelected')}
      </button>
      <button type="button" className="secondary" disabled={!orderIds.length} onClick={() => run('/orders/pick-list.pdf', 'lay-hang.pdf')}>
        {p('pickList')}
      </button>
      <ErrorNote error={error} />
    </div>
  );
}

/** The browser's BarcodeDetector, where it has one (Chrome on Android, Edge, Safari 17+ partly). */
interface Detector {
  detect(source: HTMLVideoElement): Promise<Array<{ rawValue: string }>>;
}
const detectorClass = (): (new (options: { formats: string[] }) => Detector) | undefined =>
  (globalThis as unknown as { BarcodeDetector?: new (options: { formats: string[] }) => Detector }).BarcodeDetector;

/** Reads barcodes from the back camera until stopped; the same code is not sent twice within 1.5 s. */
function CameraScanner({ onCode, onStop }: { onCode: (code: string) => void; onStop: () => void }) {
  const p = usePackingText();
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<unknown>();
  // The latest handler, so a re-render does not restart the camera.
  const handler = useRef(onCode);
  handler.current = onCode;
  useEffect(() => {
    const Detector = detectorClass();
    if (!Detector) return;
    let stream: MediaStream | undefined;
    let timer: number | undefined;
    let last = { code: '', at: 0 };
    const detector = new Detector({ formats: ['code_128', 'ean_13', 'ean_8', 'upc_a', 'upc_e', 'qr_code', 'code_39'] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then(async (s) => {
        stream = s;
        if (!video.current) return;
        video.current.srcObject = s;
        await video.current.play();
        timer = window.setInterval(() => {
          if (!video.current) return;
          detector.detect(video.current).then((codes) => {
            const code = codes[0]?.rawValue;
            if (!code || (code === last.code && Date.now() - last.at < 1500)) return;
            last = { code, at: Date.now() };
            handler.current(code);
          }, setError);
        }, 300);
      })
      .catch(setError);
    return () => {
      if (timer) clearInterval(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, []);
  if (!detectorClass()) return <p className="muted">{p('cameraUnsupported')}</p>;
  return (
    <div className="camera">
      <video ref={video} muted playsInline aria-label={p('camera')} />
      <button type="button" className="secondary" onClick={onStop}>
        {p('stopCamera')}
      </button>
      <ErrorNote error={error} />
    </div>
  );
}

/**
 * Scan to pack on a task. Renders nothing for a task whose stage does not check scans. `onState`
 * tells the task form whether the gated outcome may be sent (it shows why not).
 */
export function PackingPanel({ taskId, me, onState }: { taskId: string; me: Me; onState: (state: PackingState | undefined) => void }) {
  const p = usePackingText();
  const [state, setState] = useState<PackingState | undefined>();
  const [error, setError] = useState<unknown>();
  const [code, setCode] = useState('');
  const [last, setLast] = useState<Scan | undefined>();
  const [camera, setCamera] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const input = useRef<HTMLInputElement>(null);

  const show = useCallback(
    (s: PackingState) => {
      setState(s);
      onState(s);
    },
    [onState],
  );
  useEffect(() => {
    api<PackingState>('GET', `/tasks/${taskId}/packing`).then(show, setError);
  }, [taskId, show]);

  const send = useCallback(
    async (barcode: string) => {
      setError(undefined);
      try {
        const answer = await api<{ scan: Scan; state: PackingState }>('POST', `/tasks/${taskId}/scans`, { barcode });
        setLast(answer.scan);
        show(answer.state);
      } catch (err) {
        setError(err);
      }
    },
    [taskId, show],
  );
  if (!state?.required) return error ? <ErrorNote error={error} /> : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const barcode = code.trim();
    setCode('');
    input.current?.focus();
    if (barcode) void send(barcode);
  };
  const remove = async (scanId: number) => {
    try {
      show(await api<PackingState>('DELETE', `/tasks/${taskId}/scans/${scanId}`));
    } catch (err) {
      setError(err);
    }
  };
  const override = async (e: FormEvent) => {
    e.preventDefault();
    setReasonError(undefined);
    try {
      show(await api<PackingState>('POST', `/tasks/${taskId}/packing-override`, { reason }));
      setReason('');
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) setReasonError(err.fields.map((f) => f.message).join('; '));
      else setError(err);
    }
  };
  const mayOverride = me.permissions.includes('packing.override') || me.permissions.includes('*');
  const resultText = (r: Scan['result']) => p(r);

  return (
    <section className="packing" aria-labelledby={`packing-${taskId}`}>
      <PrintButtons orderId={state.orderId} />
      <h4 id={`packing-${taskId}`}>{p('scanTitle')}</h4>
      <p className="muted small">{p('scanHelp')}</p>
      <form className="toolbar scan-form" onSubmit={submit}>
        <label htmlFor={`scan-${taskId}`}>{p('scanBox')}</label>
        <input
          id={`scan-${taskId}`}
          ref={input}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          enterKeyHint="done"
          autoFocus
        />
        <button type="submit">{p('scanButton')}</button>
        {!camera && (
          <button type="button" className="secondary" onClick={() => setCamera(true)}>
            {p('camera')}
          </button>
        )}
      </form>
      {camera && <CameraScanner onCode={(c) => void send(c)} onStop={() => setCamera(false)} />}
      {last && (
        <p className={last.result === 'ok' ? 'notice' : 'error'} role="status" data-scan-result={last.result}>
          {p('lastScan', { code: last.barcode, result: `${resultText(last.result)}${last.name ? ` — ${last.name}` : ''}` })}
        </p>
      )}
      <ErrorNote error={error} />
      <div className="table-wrap">
        <table className="packing-lines">
          <thead>
            <tr>
              <th scope="col">{p('product')}</th>
              <th scope="col" className="num">
                {p('needed')}
              </th>
              <th scope="col" className="num">
                {p('scanned')}
              </th>
            </tr>
          </thead>
          <tbody>
            {state.lines.map((l) => (
              <tr key={l.sku} className={l.scanned === l.qty ? 'ok' : 'warn'}>
                <td>
                  {l.name ?? l.sku}
                  <br />
                  <span className="muted small">{l.sku}</span>
                </td>
                <td className="num">{l.qty}</td>
                <td className="num">{l.scanned}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {state.matched ? (
        <p className="notice" role="status">
          {p('matched')}
        </p>
      ) : (
        <div className="error packing-problems" role="alert">
          <p>{p('notMatched')}</p>
          <ul>
            {state.problems.map((pr, i) => (
              <li key={i}>{pr.message}</li>
            ))}
          </ul>
        </div>
      )}
      {state.override && (
        <p className="notice" role="status">
          {p('overridden', { reason: state.override.reason })}
        </p>
      )}
      {state.scans.length > 0 && (
        <>
          <h5>
            {p('history')} ({state.scans.length})
          </h5>
          <ul className="scan-list">
            {state.scans.map((s) => (
              <li key={s.id} className={s.removedAt ? 'muted' : s.result === 'ok' ? '' : 'warn'}>
                <code>{s.barcode}</code> {s.name ?? s.sku ?? '—'} · {resultText(s.result)}
                {s.removedAt ? (
                  ` · ${p('removed')}`
                ) : (
                  <button type="button" className="secondary small" onClick={() => void remove(s.id)}>
                    {p('remove')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {mayOverride && !state.matched && !state.override && (
        <form className="override" onSubmit={override}>
          <label htmlFor={`override-${taskId}`}>
            {p('overrideTitle')} — {p('overrideReason')}
          </label>
          <textarea id={`override-${taskId}`} value={reason} onChange={(e) => setReason(e.target.value)} rows={2} />
          {reasonError && (
            <p className="field-error" role="alert">
              {reasonError}
            </p>
          )}
          <button type="submit" className="secondary">
            {p('overrideButton')}
          </button>
        </form>
      )}
    </section>
  );
}
