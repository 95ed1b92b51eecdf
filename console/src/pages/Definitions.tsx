/**
 * Definitions (admin): the shop's and processes' YAML, their immutable versions with diffs,
 * activation, and an editor that asks the server to validate as you type and marks each
 * error at its line. Uploading stores a new version; activating is a separate, explicit step.
 */
import { useEffect, useMemo, useRef, useState, type ChangeEvent } from 'react';
import {
  api,
  ApiError,
  get,
  post,
  type DefinitionError,
  type DefinitionSummary,
  type DefinitionVersion,
  type DefinitionVersionDetail,
} from '../api';
import { Card, ErrorNote, Loading, PageTitle } from '../components';
import { diffLines, withContext } from '../diff';
import { useLoad } from '../hooks';
import { formatDateTime, useI18n } from '../i18n';
import { ShopTemplates } from './ShopTemplates';
import { SimulationPanel } from './Simulation';

const VALIDATE_DELAY_MS = 400;

export function DefinitionsPage() {
  const { t } = useI18n();
  const list = useLoad(() => get<{ definitions: DefinitionSummary[] }>('/definitions').then((r) => r.definitions), []);
  const [selected, setSelected] = useState<string | null>(null);
  const [editorText, setEditorText] = useState<{ text: string; key: number } | null>(null);
  const editorRef = useRef<HTMLDivElement>(null);

  const edit = (text: string) => {
    setEditorText({ text, key: Date.now() });
    setTimeout(() => editorRef.current?.querySelector('textarea')?.focus(), 0);
  };

  return (
    <>
      <PageTitle>{t('navDefinitions')}</PageTitle>
      <ShopTemplates onApplied={() => void list.reload()} />
      <Card id="defs-title" title={t('definitions')}>
        <ErrorNote error={list.error} />
        {!list.data ? (
          <Loading />
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('name')}</th>
                  <th scope="col">{t('kind')}</th>
                  <th scope="col">{t('latest')}</th>
                  <th scope="col">{t('active')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('versions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((d) => (
                  <tr key={d.name} aria-selected={selected === d.name}>
                    <td>
                      <strong>{d.name}</strong>
                      <br />
                      <span className="muted small">{d.title}</span>
                    </td>
                    <td>{d.kind}</td>
                    <td className="num">v{d.latestVersion}</td>
                    <td className="num">{d.activeVersion ? `v${d.activeVersion}` : t('none')}</td>
                    <td>
                      <button type="button" className="secondary" onClick={() => setSelected(d.name)} aria-pressed={selected === d.name}>
                        {t('versions')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <button
          type="button"
          onClick={() =>
            edit('apiVersion: shopflow/v1\nkind: OrderProcess\nmetadata:\n  name: \n  title: ""\nspec:\n  start: \n  stages: []\n')
          }
        >
          {t('newDefinition')}
        </button>
      </Card>
      {selected && <Versions key={selected} name={selected} onEdit={edit} onActivated={() => void list.reload()} />}
      <div ref={editorRef}>
        <Editor key={editorText?.key ?? 0} initial={editorText?.text ?? ''} onStored={() => void list.reload()} />
      </div>
    </>
  );
}

function Versions({ name, onEdit, onActivated }: { name: string; onEdit: (yaml: string) => void; onActivated: () => void }) {
  const { t, lang } = useI18n();
  const versions = useLoad(
    () => get<{ versions: DefinitionVersion[] }>(`/definitions/${encodeURIComponent(name)}/versions`).then((r) => r.versions),
    [name],
  );
  const [shown, setShown] = useState<{ version: number; mode: 'view' | 'diff'; yaml: string; previous?: string } | null>(null);
  const [message, setMessage] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();

  const yamlOf = (v: number) => get<DefinitionVersionDetail>(`/definitions/${encodeURIComponent(name)}/versions/${v}`).then((d) => d.yaml);
  const show = async (version: number, mode: 'view' | 'diff') => {
    try {
      const yaml = await yamlOf(version);
      const previous = mode === 'diff' && version > 1 ? await yamlOf(version - 1) : undefined;
      setShown({ version, mode, yaml, previous });
    } catch (err) {
      setError(err);
    }
  };
  const activate = async (version: number) => {
    try {
      await post(`/definitions/${encodeURIComponent(name)}/versions/${version}/activate`);
      setMessage(t('activated', { v: version }));
      setError(undefined);
      void versions.reload();
      onActivated();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Card id="versions-title" title={`${t('versions')}: ${name}`}>
      <ErrorNote error={versions.error ?? error} />
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
      {!versions.data ? (
        <Loading />
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('version')}</th>
                <th scope="col">{t('active')}</th>
                <th scope="col">{t('author')}</th>
                <th scope="col">{t('createdAt')}</th>
                <th scope="col">
                  <span className="sr-only">{t('view')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.data.map((v) => (
                <tr key={v.version}>
                  <td>
                    v{v.version} <code className="muted small">{v.hash.slice(7, 15)}</code>
                  </td>
                  <td>{v.active ? <strong className="ok">{t('active')}</strong> : ''}</td>
                  <td>
                    {v.author ?? '—'}
                    {v.source && v.source !== 'api' ? <span className="muted small"> ({v.source})</span> : null}
                  </td>
                  <td>{formatDateTime(v.createdAt, lang)}</td>
                  <td className="buttons">
                    <button type="button" className="secondary small" onClick={() => void show(v.version, 'view')}>
                      {t('view')}
                    </button>
                    <button type="button" className="secondary small" onClick={() => void show(v.version, 'diff')}>
                      {t('diff')}
                    </button>
                    <button type="button" className="secondary small" onClick={() => void yamlOf(v.version).then(onEdit, setError)}>
                      {t('editFrom')}
                    </button>
                    {!v.active && (
                      <button type="button" className="small" onClick={() => void activate(v.version)}>
                        {t('activate')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {shown && (
        <section aria-label={`${name} v${shown.version}`}>
          <h3>
            {name} v{shown.version} — {shown.mode === 'diff' ? t('diff') : t('view')}
          </h3>
          {shown.mode === 'view' ? (
            <pre className="code">{shown.yaml}</pre>
          ) : shown.previous === undefined ? (
            <p className="muted">{t('firstVersion')}</p>
          ) : (
            <Diff before={shown.previous} after={shown.yaml} />
          )}
        </section>
      )}
    </Card>
  );
}

function Diff({ before, after }: { before: string; after: string }) {
  const { t } = useI18n();
  const lines = useMemo(() => withContext(diffLines(before, after)), [before, after]);
  if (!lines.some((l) => l && l.kind !== 'same')) return <p className="muted">{t('noDiff')}</p>;
  return (
    <pre className="code diff">
      {lines.map((l, i) =>
        l === null ? (
          <span key={i} className="skip-lines">
            …{'\n'}
          </span>
        ) : (
          <span key={i} className={`diff-${l.kind}`}>
            {l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '- ' : '  '}
            {String(l.newLine ?? l.oldLine).padStart(4)} {l.text}
            {'\n'}
          </span>
        ),
      )}
    </pre>
  );
}

type Check =
  | { state: 'idle' | 'checking' }
  | { state: 'valid'; summary: string }
  | { state: 'invalid'; errors: DefinitionError[] }
  | { state: 'failed'; message: string };

function Editor({ initial, onStored }: { initial: string; onStored: () => void }) {
  const { t } = useI18n();
  const [text, setText] = useState(initial);
  const [check, setCheck] = useState<Check>({ state: 'idle' });
  const [stored, setStored] = useState<{ name: string; version: number; created: boolean; active: boolean } | null>(null);
  const [storeError, setStoreError] = useState<unknown>();
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const seq = useRef(0);

  // Validate on the server as the admin types (debounced; only the latest answer counts).
  useEffect(() => {
    if (!text.trim()) return setCheck({ state: 'idle' });
    const mine = ++seq.current;
    setCheck({ state: 'checking' });
    const timer = setTimeout(() => {
      api<{ valid: true; summary: { text: string } }>('POST', '/definitions/validate', text, { yaml: true }).then(
        (r) => mine === seq.current && setCheck({ state: 'valid', summary: r.summary.text }),
        (err: unknown) => {
          if (mine !== seq.current) return;
          const errors = err instanceof ApiError ? (err.details as { errors?: DefinitionError[] } | undefined)?.errors : undefined;
          if (errors) setCheck({ state: 'invalid', errors });
          else setCheck({ state: 'failed', message: err instanceof Error ? err.message : String(err) });
        },
      );
    }, VALIDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const errors = check.state === 'invalid' ? check.errors : [];
  const errorLines = new Map<number, string[]>();
  for (const e of errors) errorLines.set(e.line, [...(errorLines.get(e.line) ?? []), e.message]);
  const lineCount = text.split('\n').length;

  const goTo = (line: number, col: number) => {
    const el = area.current;
    if (!el) return;
    const lines = text.split('\n');
    const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + Math.max(0, col - 1);
    el.focus();
    el.setSelectionRange(offset, offset);
    const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 20;
    el.scrollTop = Math.max(0, (line - 3) * lineHeight);
  };

  const upload = async () => {
    setStoreError(undefined);
    setStored(null);
    try {
      const saved = await api<{ name: string; version: number; created: boolean; active: boolean }>('POST', '/definitions', text, {
        yaml: true,
      });
      setStored(saved);
      onStored();
    } catch (err) {
      const errs = err instanceof ApiError ? (err.details as { errors?: DefinitionError[] } | undefined)?.errors : undefined;
      if (errs) setCheck({ state: 'invalid', errors: errs });
      setStoreError(err);
    }
  };
  const activate = async () => {
    if (!stored) return;
    try {
      await post(`/definitions/${encodeURIComponent(stored.name)}/versions/${stored.version}/activate`);
      setStored({ ...stored, active: true });
      onStored();
    } catch (err) {
      setStoreError(err);
    }
  };
  const loadFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (file) setText(await file.text());
  };

  return (
    <Card id="editor-title" title={t('editor')}>
      <div className="toolbar">
        <label htmlFor="yaml-file">{t('loadFile')}</label>
        <input id="yaml-file" type="file" accept=".yaml,.yml,text/yaml,application/yaml" onChange={(e) => void loadFile(e)} />
      </div>
      <div className="editor">
        <div className="gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => (
            <div
              key={i}
              className={errorLines.has(i + 1) ? 'gutter-line error-line' : 'gutter-line'}
              data-line={i + 1}
              title={errorLines.get(i + 1)?.join('\n')}
            >
              {errorLines.has(i + 1) ? '● ' : ''}
              {i + 1}
            </div>
          ))}
        </div>
        <label htmlFor="yaml" className="sr-only">
          YAML
        </label>
        <textarea
          id="yaml"
          ref={area}
          value={text}
          spellCheck={false}
          wrap="off"
          rows={18}
          aria-describedby="yaml-keys yaml-status"
          aria-invalid={errors.length ? true : undefined}
          onChange={(e) => setText(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          onKeyDown={(e) => {
            // Tab indents (YAML needs spaces); Escape then Tab leaves the editor, for keyboard users.
            if (e.key === 'Tab' && !e.shiftKey && !(e.currentTarget.dataset.escaped === '1')) {
              e.preventDefault();
              const el = e.currentTarget;
              const { selectionStart: s, selectionEnd: end } = el;
              setText(text.slice(0, s) + '  ' + text.slice(end));
              requestAnimationFrame(() => el.setSelectionRange(s + 2, s + 2));
            }
            e.currentTarget.dataset.escaped = e.key === 'Escape' ? '1' : '';
          }}
        />
      </div>
      <p id="yaml-keys" className="muted small">
        {t('editorKeys')}
      </p>
      <div id="yaml-status" className="check-status" aria-live="polite">
        {check.state === 'checking' && <p className="muted">{t('validating')}</p>}
        {check.state === 'valid' && <p className="ok">{t('valid', { summary: check.summary })}</p>}
        {check.state === 'failed' && <p className="error">{t('error', { message: check.message })}</p>}
        {check.state === 'invalid' && (
          <>
            <p className="error">{t('invalid', { n: check.errors.length })}</p>
            <ul className="def-errors">
              {check.errors.map((e, i) => (
                <li key={i} data-line={e.line}>
                  <button type="button" className="link" onClick={() => goTo(e.line, e.col)}>
                    {t('lineCol', { line: e.line, col: e.col })}
                  </button>
                  {': '}
                  {e.message}
                  {e.path ? <span className="muted small"> ({e.path})</span> : null}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {/* What-if beside the validation: the draft on the shop's own history before it is stored or activated. */}
      <SimulationPanel yaml={text} />
      <div className="actions">
        <button type="button" onClick={() => void upload()} disabled={!text.trim()}>
          {t('upload')}
        </button>
        {stored && !stored.active && (
          <button type="button" onClick={() => void activate()}>
            {t('activateUploaded')}
          </button>
        )}
      </div>
      {stored && (
        <p className="notice" role="status">
          {stored.created ? t('uploaded', { name: stored.name, v: stored.version }) : t('uploadedSame', { v: stored.version })}
          {stored.active ? ` ${t('activated', { v: stored.version })}` : ''}
        </p>
      )}
      {storeError && !(storeError instanceof ApiError && storeError.status === 422) ? <ErrorNote error={storeError} /> : null}
    </Card>
  );
}
