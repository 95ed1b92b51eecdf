/**
 * A new shop in the console: the first-run checklist (GET /setup) on the home page, and the two
 * pages its steps lead to that used to be API-only — staff with their tokens (GET/POST /staff,
 * tokens, deactivation) and products with their stock (GET/POST /products, stock adjustments).
 * Their words are in the two dictionaries below (Vietnamese first), like i18n.tsx's.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, get, post, type Me } from '../api';
import { can, Card, ErrorNote, Loading } from '../components';
import { useLoad } from '../hooks';
import { formatDateTime, formatVnd, useI18n } from '../i18n';
import { Link } from '../router';

const words = {
  vi: {
    setupTitle: 'Bắt đầu với cửa hàng của bạn',
    setupProgress: 'Đã xong {done}/{total} bước',
    setupDo: 'Làm ngay',
    setupHide: 'Ẩn danh sách',
    setupShow: 'Hiện danh sách bắt đầu',
    setupDone: 'Đã xong',
    setupTodo: 'Chưa xong',
    staffTitle: 'Nhân viên',
    staffNew: 'Thêm nhân viên',
    staffName: 'Họ tên',
    staffPhone: 'Số điện thoại',
    staffEmail: 'E-mail',
    staffRoles: 'Vai trò',
    staffChannels: 'Kênh bán phụ trách',
    staffAdd: 'Thêm nhân viên',
    staffAdding: 'Đang thêm…',
    staffActive: 'Đang làm',
    staffInactive: 'Đã khóa',
    staffNewToken: 'Cấp mã mới',
    staffDeactivate: 'Khóa tài khoản',
    staffDeactivateConfirm: 'Khóa tài khoản của {name}? Mọi mã truy cập của người này sẽ ngừng hoạt động.',
    staffTokenShown: 'Mã truy cập của {name} — chỉ hiện một lần, hãy gửi riêng cho người đó:',
    staffTokenCopy: 'Sao chép',
    staffTokenCopied: 'Đã sao chép',
    staffNoRoleGrantable: '(bạn không cấp được vai trò này)',
    staffNone: 'Chưa có nhân viên nào.',
    staffContractEnds: 'Ngày kết thúc hợp đồng (thuê ngoài)',
    staffContractEndsHelp:
      'Cộng tác viên làm đến hết ngày này; sau đó mã truy cập ngừng hoạt động và việc đang mở chuyển lại cho nhóm nội bộ.',
    staffOutsourced: 'Thuê ngoài',
    staffContractUntil: 'hợp đồng đến {when}',
    staffContractEnded: 'hợp đồng đã kết thúc {when}; việc đã chuyển lại cho {role}',
    staffContractNoEnd: 'chưa có ngày kết thúc hợp đồng',
    staffPayCommissionOnly: 'chỉ hưởng hoa hồng (không lương cứng)',
    staffPayBaseAndCommission: 'lương cứng và hoa hồng',
    productsTitle: 'Sản phẩm và tồn kho',
    productNew: 'Thêm sản phẩm',
    productSku: 'Mã SKU',
    productName: 'Tên sản phẩm',
    productBarcode: 'Mã vạch',
    productPrice: 'Giá bán (VND)',
    productThreshold: 'Báo sắp hết khi còn',
    productOpening: 'Tồn đầu (số lượng)',
    productAdd: 'Thêm sản phẩm',
    productAdding: 'Đang thêm…',
    productStock: 'Tồn kho (có thể bán)',
    productNone: 'Danh mục còn trống.',
    productAdjust: 'Điều chỉnh tồn',
    productAdjustQty: 'Số lượng (+ nhập thêm, − bớt đi)',
    productAdjustReason: 'Lý do',
    productAdjustSave: 'Lưu điều chỉnh',
    openingStock: 'Tồn đầu kỳ',
    more: 'Xem thêm',
    fixFields: 'Vui lòng sửa các ô được đánh dấu.',
    required: 'bắt buộc',
    mustBeWhole: 'Nhập một số nguyên, ví dụ 150000 hoặc 150.000.',
  },
  en: {
    setupTitle: 'Getting your shop started',
    setupProgress: '{done} of {total} steps done',
    setupDo: 'Do it now',
    setupHide: 'Hide the list',
    setupShow: 'Show the getting-started list',
    setupDone: 'Done',
    setupTodo: 'To do',
    staffTitle: 'Staff',
    staffNew: 'Add a staff member',
    staffName: 'Full name',
    staffPhone: 'Phone',
    staffEmail: 'E-mail',
    staffRoles: 'Roles',
    staffChannels: 'Sales channels',
    staffAdd: 'Add staff member',
    staffAdding: 'Adding…',
    staffActive: 'Active',
    staffInactive: 'Deactivated',
    staffNewToken: 'New token',
    staffDeactivate: 'Deactivate',
    staffDeactivateConfirm: "Deactivate {name}? All of this person's access tokens stop working.",
    staffTokenShown: "{name}'s access token — shown once only, send it to them privately:",
    staffTokenCopy: 'Copy',
    staffTokenCopied: 'Copied',
    staffNoRoleGrantable: '(you cannot grant this role)',
    staffNone: 'No staff yet.',
    staffContractEnds: 'Contract end (outsourced)',
    staffContractEndsHelp:
      'The contractor works through this day; then their token stops and their open work goes back to the in-house team.',
    staffOutsourced: 'Outsourced',
    staffContractUntil: 'contract until {when}',
    staffContractEnded: 'contract ended {when}; work handed back to {role}',
    staffContractNoEnd: 'no contract end set',
    staffPayCommissionOnly: 'commission only (no base salary)',
    staffPayBaseAndCommission: 'base salary and commission',
    productsTitle: 'Products and stock',
    productNew: 'Add a product',
    productSku: 'SKU',
    productName: 'Product name',
    productBarcode: 'Barcode',
    productPrice: 'Price (VND)',
    productThreshold: 'Low-stock warning at',
    productOpening: 'Opening stock (quantity)',
    productAdd: 'Add product',
    productAdding: 'Adding…',
    productStock: 'Stock (available)',
    productNone: 'The catalogue is empty.',
    productAdjust: 'Adjust stock',
    productAdjustQty: 'Quantity (+ received, − removed)',
    productAdjustReason: 'Reason',
    productAdjustSave: 'Save adjustment',
    openingStock: 'Opening stock',
    more: 'More',
    fixFields: 'Please fix the marked fields.',
    required: 'required',
    mustBeWhole: 'Enter a whole number, e.g. 150000 or 150.000.',
  },
} as const;
type Word = keyof (typeof words)['vi'];

function useWords() {
  const { lang } = useI18n();
  return (key: Word, vars: Record<string, string | number> = {}) =>
    (words[lang][key] as string).replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
}

/** "150.000", "150000" or "150 000" → 150000; undefined when it is not a whole number. */
export function wholeNumber(text: string): number | undefined {
  const digits = text.trim().replace(/[.\s,_]/g, '');
  if (!/^-?\d+$/.test(digits)) return undefined;
  return Number(digits);
}

/** The server's field errors (`roles.0`, `barcode`…) by field; a dotted sub-field also marks its parent. */
function fieldErrors(err: unknown): Record<string, string> | undefined {
  if (!(err instanceof ApiError) || !err.fields.length) return undefined;
  const out: Record<string, string> = {};
  for (const f of err.fields) {
    out[f.field] ??= f.message;
    const parent = f.field.split('.')[0]!;
    out[parent] ??= f.message;
  }
  return out;
}

/**
 * A form's sending: busy while it runs, the server's field errors at their fields (a 422/409
 * naming them) with one note above the button, any other failure as that note.
 */
function useSubmit() {
  const w = useWords();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const refuse = (fields: Record<string, string>) => {
    setErrors(fields);
    setError(new Error(w('fixFields')));
  };
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setErrors({});
    setError(undefined);
    try {
      await work();
    } catch (err) {
      const fields = fieldErrors(err);
      if (fields) refuse(fields);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { errors, error, busy, run, refuse };
}

function Field(props: {
  id: string;
  label: string;
  error?: string;
  required?: boolean;
  children: (a: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}) {
  const w = useWords();
  return (
    <div className={props.error ? 'field invalid' : 'field'}>
      <label htmlFor={props.id}>
        {props.label}
        {props.required && <span className="req"> * ({w('required')})</span>}
      </label>
      {props.children({
        id: props.id,
        ...(props.error ? { 'aria-invalid': true as const, 'aria-describedby': `${props.id}-error` } : {}),
      })}
      {props.error && (
        <p id={`${props.id}-error`} className="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

interface SetupStep {
  id: string;
  title: string;
  done: boolean;
  detail: string;
  href: string;
}

const HIDDEN_KEY = 'shopflow.setup.hidden';

/** The first-run checklist, for whoever sets the shop up; it goes away once every step is done (or when hidden). */
export function FirstRun({ me }: { me: Me }) {
  const w = useWords();
  const allowed = can(me, 'definitions.manage');
  const [hidden, setHidden] = useState(() => localStorage.getItem(HIDDEN_KEY) === '1');
  const setup = useLoad(
    () => (allowed ? get<{ done: boolean; completed: number; total: number; steps: SetupStep[] }>('/setup') : Promise.resolve(undefined)),
    [allowed],
  );
  if (!allowed || !setup.data || setup.data.done) return null;
  if (hidden)
    return (
      <p>
        <button
          type="button"
          className="secondary small"
          onClick={() => {
            localStorage.removeItem(HIDDEN_KEY);
            setHidden(false);
          }}
        >
          {w('setupShow')}
        </button>
      </p>
    );
  return (
    <Card
      id="setup-title"
      title={w('setupTitle')}
      actions={
        <button
          type="button"
          className="secondary small"
          onClick={() => {
            localStorage.setItem(HIDDEN_KEY, '1');
            setHidden(true);
          }}
        >
          {w('setupHide')}
        </button>
      }
    >
      <p>
        <progress
          max={setup.data.total}
          value={setup.data.completed}
          aria-label={w('setupProgress', { done: setup.data.completed, total: setup.data.total })}
        />{' '}
        {w('setupProgress', { done: setup.data.completed, total: setup.data.total })}
      </p>
      <ol className="setup-steps">
        {setup.data.steps.map((step) => (
          <li key={step.id} className={step.done ? 'done' : undefined} data-step={step.id}>
            <strong>
              <span aria-hidden="true">{step.done ? '✓ ' : '○ '}</span>
              {step.title}
            </strong>{' '}
            <span className="muted small">({step.done ? w('setupDone') : w('setupTodo')})</span>
            <p className="small">{step.detail}</p>
            {!step.done && <Link href={step.href}>{w('setupDo')}</Link>}
          </li>
        ))}
      </ol>
    </Card>
  );
}

interface StaffMember {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  roles: string[];
  channels: string[];
  active: boolean;
  /** Set when one of their roles is outsourced. */
  contract?: { role: string; handBackTo: string; pay: string; endsAt: string | null; ended: boolean; endedAt: string | null } | null;
}
interface RolesAnswer {
  roles: Array<{ id: string; title: string; scope: string; grantable: boolean; outsourced?: { handBackTo: string; pay: string } }>;
  channels: Array<{ id: string; title: string }>;
}

/** Staff and their tokens (`staff.manage`): add, issue a new token (shown once), deactivate. */
export function StaffPage() {
  const w = useWords();
  const list = useLoad(() => get<{ staff: StaffMember[] }>('/staff').then((r) => r.staff), []);
  const roles = useLoad(() => get<RolesAnswer>('/staff/roles'), []);
  const [shownToken, setShownToken] = useState<{ name: string; token: string } | undefined>();
  const [error, setError] = useState<unknown>();
  const roleTitle = (id: string) => roles.data?.roles.find((r) => r.id === id)?.title ?? id;
  const channelTitle = (id: string) => roles.data?.channels.find((c) => c.id === id)?.title ?? id;

  const newToken = async (m: StaffMember) => {
    setError(undefined);
    try {
      const issued = await post<{ token: string }>(`/staff/${encodeURIComponent(m.id)}/tokens`, { label: 'console' });
      setShownToken({ name: m.name, token: issued.token });
    } catch (err) {
      setError(err);
    }
  };
  const deactivate = async (m: StaffMember) => {
    if (!window.confirm(w('staffDeactivateConfirm', { name: m.name }))) return;
    setError(undefined);
    try {
      await post(`/staff/${encodeURIComponent(m.id)}/deactivate`);
      await list.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <h1>{w('staffTitle')}</h1>
      {shownToken && <TokenOnce {...shownToken} onDone={() => setShownToken(undefined)} />}
      <NewStaff
        roles={roles.data}
        onAdded={(name, token) => {
          if (token) setShownToken({ name, token });
          void list.reload();
        }}
      />
      <Card id="staff-list-title" title={w('staffTitle')}>
        <ErrorNote error={list.error ?? roles.error ?? error} />
        {!list.data ? (
          <Loading />
        ) : list.data.length === 0 ? (
          <p className="muted">{w('staffNone')}</p>
        ) : (
          <ul className="cards staff-list">
            {list.data.map((m) => (
              <li key={m.id} className="card-row">
                <div>
                  <strong>{m.name}</strong> <span className="muted small">{m.active ? w('staffActive') : w('staffInactive')}</span>
                  <p className="small">
                    {m.roles.map(roleTitle).join(', ')}
                    {m.channels.length ? ` · ${m.channels.map(channelTitle).join(', ')}` : ''}
                    {m.phone ? ` · ${m.phone}` : ''}
                  </p>
                  {m.contract && <ContractLine contract={m.contract} roleTitle={roleTitle} />}
                </div>
                {m.active && (
                  <div className="row-actions">
                    <button type="button" className="secondary small" onClick={() => void newToken(m)}>
                      {w('staffNewToken')}
                    </button>
                    <button type="button" className="secondary small" onClick={() => void deactivate(m)}>
                      {w('staffDeactivate')}
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}

/** An outsourced member's terms on the staff list: until when, or ended and handed back; how they are paid. */
function ContractLine({ contract, roleTitle }: { contract: NonNullable<StaffMember['contract']>; roleTitle: (id: string) => string }) {
  const w = useWords();
  const { lang } = useI18n();
  const when = (iso: string | null) => formatDateTime(iso, lang);
  return (
    <p className="small" data-contract>
      <strong>{w('staffOutsourced')}</strong> ·{' '}
      {contract.ended
        ? w('staffContractEnded', { when: when(contract.endsAt ?? contract.endedAt), role: roleTitle(contract.handBackTo) })
        : contract.endsAt
          ? w('staffContractUntil', { when: when(contract.endsAt) })
          : w('staffContractNoEnd')}{' '}
      · {contract.pay === 'commission-only' ? w('staffPayCommissionOnly') : w('staffPayBaseAndCommission')}
    </p>
  );
}

function TokenOnce({ name, token, onDone }: { name: string; token: string; onDone: () => void }) {
  const w = useWords();
  const [copied, setCopied] = useState(false);
  return (
    <div className="card token-once" role="status">
      <p>{w('staffTokenShown', { name })}</p>
      <p>
        <code data-token>{token}</code>{' '}
        <button
          type="button"
          className="secondary small"
          onClick={() =>
            void navigator.clipboard?.writeText(token).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? w('staffTokenCopied') : w('staffTokenCopy')}
        </button>{' '}
        <button type="button" className="small" onClick={onDone}>
          OK
        </button>
      </p>
    </div>
  );
}

function NewStaff({ roles, onAdded }: { roles?: RolesAnswer; onAdded: (name: string, token?: string) => void }) {
  const w = useWords();
  const [draft, setDraft] = useState({ name: '', phone: '', email: '' });
  const [picked, setPicked] = useState<string[]>([]);
  const [channels, setChannels] = useState<string[]>([]);
  const [contractEnds, setContractEnds] = useState('');
  const { errors, error, busy, run } = useSubmit();
  const outsourced = picked.some((id) => roles?.roles.find((r) => r.id === id)?.outsourced);
  const toggle = (list: string[], id: string) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const added = await post<{ staff: StaffMember; token?: string }>('/staff', {
        name: draft.name.trim(),
        ...(draft.phone.trim() ? { phone: draft.phone.trim() } : {}),
        ...(draft.email.trim() ? { email: draft.email.trim() } : {}),
        roles: picked,
        ...(channels.length ? { channels } : {}),
        ...(outsourced && contractEnds ? { contractEnds } : {}),
      });
      setDraft({ name: '', phone: '', email: '' });
      setContractEnds('');
      setPicked([]);
      setChannels([]);
      onAdded(added.staff.name, added.token);
    });
  };

  return (
    <Card id="staff-new-title" title={w('staffNew')}>
      <form className="stack-form" onSubmit={submit} noValidate>
        <Field id="s-name" label={w('staffName')} required error={errors.name}>
          {(a) => <input {...a} value={draft.name} autoComplete="off" onChange={(e) => setDraft({ ...draft, name: e.target.value })} />}
        </Field>
        <Field id="s-phone" label={w('staffPhone')} error={errors.phone}>
          {(a) => <input {...a} type="tel" value={draft.phone} onChange={(e) => setDraft({ ...draft, phone: e.target.value })} />}
        </Field>
        <Field id="s-email" label={w('staffEmail')} error={errors.email}>
          {(a) => <input {...a} type="email" value={draft.email} onChange={(e) => setDraft({ ...draft, email: e.target.value })} />}
        </Field>
        <fieldset className={errors.roles ? 'invalid' : undefined} aria-describedby={errors.roles ? 's-roles-error' : undefined}>
          <legend>
            {w('staffRoles')} <span className="req">* ({w('required')})</span>
          </legend>
          {!roles ? (
            <Loading />
          ) : (
            roles.roles.map((r) => (
              <label key={r.id} className="check">
                <input
                  type="checkbox"
                  name="roles"
                  value={r.id}
                  checked={picked.includes(r.id)}
                  disabled={!r.grantable}
                  onChange={() => setPicked(toggle(picked, r.id))}
                />{' '}
                {r.title} {!r.grantable && <span className="muted small">{w('staffNoRoleGrantable')}</span>}
              </label>
            ))
          )}
          {errors.roles && (
            <p id="s-roles-error" className="field-error">
              {errors.roles}
            </p>
          )}
        </fieldset>
        {outsourced && (
          <Field id="s-contract-ends" label={w('staffContractEnds')} error={errors.contractEnds}>
            {(a) => (
              <>
                <input {...a} type="date" value={contractEnds} onChange={(e) => setContractEnds(e.target.value)} />
                <span className="muted small">{w('staffContractEndsHelp')}</span>
              </>
            )}
          </Field>
        )}
        {roles && roles.channels.length > 0 && (
          <fieldset className={errors.channels ? 'invalid' : undefined}>
            <legend>{w('staffChannels')}</legend>
            {roles.channels.map((c) => (
              <label key={c.id} className="check">
                <input
                  type="checkbox"
                  name="channels"
                  value={c.id}
                  checked={channels.includes(c.id)}
                  onChange={() => setChannels(toggle(channels, c.id))}
                />{' '}
                {c.title}
              </label>
            ))}
            {errors.channels && <p className="field-error">{errors.channels}</p>}
          </fieldset>
        )}
        <ErrorNote error={error} />
        <div>
          <button type="submit" disabled={busy}>
            {busy ? w('staffAdding') : w('staffAdd')}
          </button>
        </div>
      </form>
    </Card>
  );
}

interface Product {
  sku: string;
  name: string;
  barcode: string | null;
  price: number;
  lowStockThreshold: number;
  active: boolean;
  stock: Array<{ warehouse: string; available: number; low: boolean }>;
}

/** The catalogue with its stock (`stock.manage`): add a product with its opening stock, adjust stock with a reason. */
export function ProductsPage() {
  const w = useWords();
  const { lang } = useI18n();
  const [cursor, setCursor] = useState<string | undefined>();
  const list = useLoad(
    () =>
      get<{ products: Product[]; nextCursor: string | null }>(`/products?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    [cursor],
  );
  const [adjusting, setAdjusting] = useState<string | undefined>();
  return (
    <>
      <h1>{w('productsTitle')}</h1>
      <NewProduct onAdded={() => void list.reload()} />
      <Card id="products-list-title" title={w('productsTitle')}>
        <ErrorNote error={list.error} />
        {!list.data ? (
          <Loading />
        ) : list.data.products.length === 0 ? (
          <p className="muted">{w('productNone')}</p>
        ) : (
          <ul className="cards product-list">
            {list.data.products.map((p) => (
              <li key={p.sku} className="card-row">
                <div>
                  <strong>{p.name}</strong> <span className="muted small">{p.sku}</span>
                  <p className="small">
                    {formatVnd(p.price, lang)}
                    {p.barcode ? ` · ${w('productBarcode')} ${p.barcode}` : ''} · {w('productStock')}:{' '}
                    {p.stock.length ? p.stock.map((s) => `${s.warehouse} ${s.available}${s.low ? ' ⚠' : ''}`).join(', ') : '0'}
                  </p>
                  {adjusting === p.sku && (
                    <AdjustStock
                      sku={p.sku}
                      onDone={() => {
                        setAdjusting(undefined);
                        void list.reload();
                      }}
                    />
                  )}
                </div>
                {adjusting !== p.sku && (
                  <div className="row-actions">
                    <button type="button" className="secondary small" onClick={() => setAdjusting(p.sku)}>
                      {w('productAdjust')}
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
        {list.data?.nextCursor && (
          <button type="button" className="secondary" onClick={() => setCursor(list.data!.nextCursor ?? undefined)}>
            {w('more')}
          </button>
        )}
      </Card>
    </>
  );
}

function NewProduct({ onAdded }: { onAdded: () => void }) {
  const w = useWords();
  const empty = { sku: '', name: '', barcode: '', price: '', lowStockThreshold: '', opening: '' };
  const [draft, setDraft] = useState(empty);
  const { errors, error, busy, run, refuse } = useSubmit();
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    const price = draft.price.trim() ? wholeNumber(draft.price) : undefined;
    if (draft.price.trim() && price === undefined) local.price = w('mustBeWhole');
    const threshold = draft.lowStockThreshold.trim() ? wholeNumber(draft.lowStockThreshold) : undefined;
    if (draft.lowStockThreshold.trim() && threshold === undefined) local.lowStockThreshold = w('mustBeWhole');
    const opening = draft.opening.trim() ? wholeNumber(draft.opening) : undefined;
    if (draft.opening.trim() && (opening === undefined || opening < 0)) local.opening = w('mustBeWhole');
    if (Object.keys(local).length) return refuse(local);
    void run(async () => {
      const sku = draft.sku.trim();
      await post('/products', {
        sku,
        name: draft.name.trim(),
        ...(draft.barcode.trim() ? { barcode: draft.barcode.trim() } : {}),
        ...(price !== undefined ? { price } : {}),
        ...(threshold !== undefined ? { lowStockThreshold: threshold } : {}),
      });
      if (opening) await post('/stock/adjustments', { sku, qty: opening, reason: w('openingStock') });
      setDraft(empty);
      onAdded();
    });
  };

  return (
    <Card id="product-new-title" title={w('productNew')}>
      <form className="stack-form" onSubmit={submit} noValidate>
        <Field id="p-sku" label={w('productSku')} required error={errors.sku}>
          {(a) => <input {...a} value={draft.sku} autoComplete="off" onChange={set('sku')} />}
        </Field>
        <Field id="p-name" label={w('productName')} required error={errors.name}>
          {(a) => <input {...a} value={draft.name} onChange={set('name')} />}
        </Field>
        <Field id="p-barcode" label={w('productBarcode')} error={errors.barcode}>
          {(a) => <input {...a} value={draft.barcode} inputMode="numeric" autoComplete="off" onChange={set('barcode')} />}
        </Field>
        <div className="row-fields">
          <Field id="p-price" label={w('productPrice')} error={errors.price}>
            {(a) => <input {...a} value={draft.price} inputMode="numeric" onChange={set('price')} />}
          </Field>
          <Field id="p-threshold" label={w('productThreshold')} error={errors.lowStockThreshold}>
            {(a) => <input {...a} value={draft.lowStockThreshold} inputMode="numeric" onChange={set('lowStockThreshold')} />}
          </Field>
          <Field id="p-opening" label={w('productOpening')} error={errors.opening ?? errors.qty}>
            {(a) => <input {...a} value={draft.opening} inputMode="numeric" onChange={set('opening')} />}
          </Field>
        </div>
        <ErrorNote error={error} />
        <div>
          <button type="submit" disabled={busy}>
            {busy ? w('productAdding') : w('productAdd')}
          </button>
        </div>
      </form>
    </Card>
  );
}

function AdjustStock({ sku, onDone }: { sku: string; onDone: () => void }) {
  const w = useWords();
  const [qty, setQty] = useState('');
  const [reason, setReason] = useState('');
  const { errors, error, run, refuse } = useSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = wholeNumber(qty);
    if (n === undefined || n === 0) return refuse({ qty: w('mustBeWhole') });
    void run(async () => {
      await post('/stock/adjustments', { sku, qty: n, reason: reason.trim() });
      onDone();
    });
  };
  return (
    <form className="stack-form" onSubmit={submit} noValidate aria-label={`${w('productAdjust')} ${sku}`}>
      <div className="row-fields">
        <Field id={`a-${sku}-qty`} label={w('productAdjustQty')} required error={errors.qty}>
          {(a) => <input {...a} value={qty} inputMode="numeric" onChange={(e) => setQty(e.target.value)} />}
        </Field>
        <Field id={`a-${sku}-reason`} label={w('productAdjustReason')} required error={errors.reason}>
          {(a) => <input {...a} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
      </div>
      <ErrorNote error={error} />
      <button type="submit">{w('productAdjustSave')}</button>
    </form>
  );
}
