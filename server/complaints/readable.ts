/**
 * A complaint's outcome and what staff entered with it, in the complaint process's words: the
 * outcome's title and each entered field as `{title, value}` (a choice by its title), so the
 * console shows labelled fields, never a JSON dump or a field's key.
 */
import type { CompiledComplaintProcess } from '../../definitions/types';
import { fieldTitle } from '../../definitions/rules/field-words';

/** One entered field: its title in the form, and its value (a choice as its title). */
export interface ReadableField {
  /** `decision`: entered with the outcome; `followUp`: with the follow-up task that carried it out. */
  part: 'decision' | 'followUp';
  name: string;
  title: string;
  value: unknown;
  /** `money` when the form marks it so (x-shopflow widget money, or VND in its title). */
  kind?: 'money';
}

type FormNode = { properties?: Record<string, Record<string, unknown>> };

/** The outcome's title and the resolution's fields, read against the complaint's process version. */
export function readableResolution(
  process: CompiledComplaintProcess | undefined,
  outcomeName: string | null,
  resolution: Record<string, unknown> | null,
): { outcomeTitle: string | null; categoryTitles: Record<string, string>; fields: ReadableField[] } {
  const outcome = process?.outcomes.find((o) => o.name === outcomeName);
  const categoryTitles = Object.fromEntries((process?.categories ?? []).map((c) => [c.id, c.title]));
  const fields: ReadableField[] = [];
  const add = (part: ReadableField['part'], form: FormNode | undefined, data: unknown, skip: string[]) => {
    if (!data || typeof data !== 'object' || Array.isArray(data)) return;
    const properties = form?.properties ?? {};
    for (const [name, value] of Object.entries(data as Record<string, unknown>)) {
      if (skip.includes(name) || value === null || value === undefined || value === '') continue;
      const schema = Object.hasOwn(properties, name) ? properties[name]! : {};
      const shopflow = (schema['x-shopflow'] ?? {}) as { titles?: Record<string, string>; widget?: string };
      // Untitled in the outcome's form: the intake form's title for the same field, else the shop's word for it.
      const intake = (process?.intake.form as FormNode | undefined)?.properties ?? {};
      const title = fieldTitle(name, Object.hasOwn(intake, name) && !schema.title ? intake[name]! : schema, 'vi');
      const shown = typeof value === 'string' && shopflow.titles && Object.hasOwn(shopflow.titles, value) ? shopflow.titles[value] : value;
      const money = shopflow.widget === 'money' || /VND|₫/.test(title);
      fields.push({ part, name, title, value: shown, ...(money && typeof value === 'number' ? { kind: 'money' as const } : {}) });
    }
  };
  add('decision', outcome?.form as FormNode | undefined, resolution?.decision, []);
  add('followUp', outcome?.followUp?.form as FormNode | undefined, resolution?.followUp, ['taskId', 'by']);
  return { outcomeTitle: outcome?.title ?? null, categoryTitles, fields };
}
