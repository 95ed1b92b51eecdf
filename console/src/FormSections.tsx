/**
 * A long form in sections (SchemaForm's top level): each group of fields (a list or a group such
 * as the items or the address) is one collapsible section, and the plain fields between them are
 * one section each run. On a phone a section whose required fields are already filled in (the
 * lead's name and phone, its address read from the lead) starts folded, showing what it holds in
 * one line; the sections still to fill start open. On a desktop every section starts open. A
 * section with a field error from the server opens. Short forms (under three sections, or no
 * groups) are drawn as before, without sections.
 */
import { useState, type ReactNode } from 'react';
import type { JsonSchema } from './api';
import { useI18n } from './i18n';

type Raw = unknown;

/** Where the phone layout starts (styles.css uses the same width). */
export const PHONE_QUERY = '(max-width: 640px)';

const typeOf = (schema: JsonSchema): string =>
  Array.isArray(schema.type)
    ? (schema.type.find((x) => x !== 'null') ?? 'string')
    : (schema.type ?? (schema.properties ? 'object' : 'string'));

const isGroup = (schema: JsonSchema) => ['object', 'array'].includes(typeOf(schema));

export interface Section {
  keys: string[];
  title: string;
}

/**
 * The form's top-level fields, in the order they are drawn, cut into sections: a group field is
 * a section of its own, titled with its title; a run of plain fields is one, titled with theirs.
 */
export function sectionsOf(schema: JsonSchema, ordered: Array<[string, JsonSchema]>, title: (key: string) => string): Section[] {
  const sections: Section[] = [];
  let run: string[] = [];
  const flush = () => {
    // A long run is titled by its first two fields and how many more it holds.
    if (run.length)
      sections.push({ keys: run, title: [...run.slice(0, 2).map(title), ...(run.length > 2 ? [`+${run.length - 2}`] : [])].join(' · ') });
    run = [];
  };
  for (const [key, child] of ordered) {
    if (isGroup(child)) {
      flush();
      sections.push({ keys: [key], title: title(key) });
    } else run.push(key);
  }
  flush();
  const groups = ordered.filter(([, child]) => isGroup(child)).length;
  return groups > 0 && sections.length >= 3 ? sections : [];
}

const empty = (v: Raw) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** True when every required field under `schema` has a value (a list: at least one row). */
export function filledIn(schema: JsonSchema, value: Raw): boolean {
  const type = typeOf(schema);
  if (type === 'object') {
    const values = (value ?? {}) as Record<string, Raw>;
    return (schema.required ?? []).every((key) => {
      const child = schema.properties?.[key];
      return child ? !empty(values[key]) && filledIn(child, values[key]) : true;
    });
  }
  if (type === 'array') return Array.isArray(value) && value.every((row) => filledIn(schema.items ?? {}, row));
  return true;
}

/** What a folded section holds, in one line: its plain values, a list's row count. */
function preview(schema: JsonSchema, keys: string[], values: Record<string, Raw>): string {
  const parts: string[] = [];
  const add = (s: JsonSchema | undefined, v: Raw) => {
    if (!s || empty(v)) return;
    const type = typeOf(s);
    if (type === 'array') parts.push(`${(v as Raw[]).length} ×`);
    else if (type === 'object') for (const [k, child] of Object.entries(s.properties ?? {})) add(child, (v as Record<string, Raw>)[k]);
    else if (s.enum) {
      const option = s.enum[Number(v)];
      const titles = s['x-shopflow']?.titles;
      parts.push(titles && Object.hasOwn(titles, String(option)) ? titles[String(option)]! : String(option));
    } else if (typeof v === 'boolean') {
      if (v) parts.push(s.title ?? '✓');
    } else parts.push(String(v));
  };
  for (const key of keys) add(schema.properties?.[key], values[key]);
  return parts.join(' · ');
}

/**
 * Draws `sections` of the form as `<details>`; `render(keys)` draws the fields of one. `errors`
 * are field paths (`items.0.qty`): a section holding one is open.
 */
export function FormSections({
  schema,
  sections,
  value,
  errors,
  idPrefix,
  render,
}: {
  schema: JsonSchema;
  sections: Section[];
  value: Raw;
  errors: Record<string, string>;
  idPrefix: string;
  render: (keys: string[]) => ReactNode;
}) {
  const { t } = useI18n();
  const values = (value ?? {}) as Record<string, Raw>;
  const required = schema.required ?? [];
  // A figure adding up its siblings (COD) counts as filled once one of them is.
  const summed = (child: JsonSchema) => (child['x-shopflow']?.sum ?? []).some((p) => !empty(values[p.replace(/^-/, '')]));
  const complete = (section: Section) =>
    section.keys.every((key) => {
      const child = schema.properties?.[key];
      if (!child) return true;
      if (required.includes(key) && empty(values[key]) && !summed(child)) return false;
      return empty(values[key]) || filledIn(child, values[key]);
    });
  const asks = (section: Section) => section.keys.some((key) => required.includes(key));
  // Decided once, when the form opens: sections never fold while someone types in them.
  const [open, setOpen] = useState<boolean[]>(() => {
    const phone = typeof window !== 'undefined' && !!window.matchMedia?.(PHONE_QUERY).matches;
    return sections.map((s) => !phone || !complete(s));
  });
  return (
    <>
      {sections.map((section, i) => {
        const hasError = Object.keys(errors).some((path) => section.keys.some((key) => path === key || path.startsWith(`${key}.`)));
        const isOpen = open[i] || hasError;
        const done = complete(section);
        return (
          <details
            key={section.keys.join(',')}
            className={hasError ? 'form-section invalid' : 'form-section'}
            open={isOpen}
            onToggle={(e) => {
              const now = (e.currentTarget as HTMLDetailsElement).open;
              if (now !== open[i]) setOpen((was) => was.map((o, j) => (j === i ? now : o)));
            }}
          >
            <summary id={`${idPrefix}-section-${i}`}>
              <span className="section-title">{section.title}</span>
              {asks(section) && (
                <span className={done ? 'section-state ok' : 'section-state warn'}>{done ? t('sectionDone') : t('sectionToFill')}</span>
              )}
              {!isOpen && <span className="section-preview muted small">{preview(schema, section.keys, values)}</span>}
            </summary>
            <div className="section-body">{render(section.keys)}</div>
          </details>
        );
      })}
    </>
  );
}
