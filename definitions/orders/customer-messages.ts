/**
 * Messages to customers an order process declares (`spec.customerMessages`) and the templates
 * they use (`spec.messageTemplates`): the tracking code at hand-over, a delivered note, an order
 * confirmation when a human step (the confirm stage) opens, with the replies ("1" đồng ý, "2" hủy)
 * that finish that step. Checked, compiled into the process snapshot, and rendered here; pure.
 *
 * Templates live beside the process, not in shop.yaml: the words and parameters a customer gets
 * are part of what the process says, versioned and activated with it, so a running order keeps
 * the texts of the version it started with (as it keeps its stages).
 */
import { checkCondition, compileCondition } from '../rules/condition-compile';
import { WHEN_FIELDS, type WhenField } from '../rules/conditions';
import {
  COURIER_MESSAGE_EVENTS,
  CUSTOMER_CHANNELS,
  REPLY_CHANNEL_PLACEHOLDER,
  REPLY_CHANNELS,
  TEMPLATE_VARIABLES,
  type CompiledCustomerMessage,
  type CompiledCustomerReply,
  type CompiledMessageTemplate,
  type CustomerChannel,
  type TemplateVariable,
} from './customer-message-types';

export * from './customer-message-types';
import { didYouMean, listNames, type Issue, type PathSegment } from '../loading/errors';
import { isRecord, listOf, recordOf, textOf, type PlainRecord } from '../loading/plain';
import { conditionNames } from '../loading/references';
import { closeForm, validateFormData } from '../tasks/forms';
import type { CompiledShop, FormSchema } from '../types';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Fills `{{variable}}` placeholders; unknown or missing ones become empty text. */
export function renderTemplate(text: string, values: Partial<Record<TemplateVariable, string>>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => (Object.hasOwn(values, name) ? (values[name as TemplateVariable] ?? '') : ''));
}

/** A customer's answer as the declared replies read it: trimmed, spaces collapsed, lower case. */
export function normaliseReply(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The data a reply completes its task with, for the channel the customer answered on. */
export function replyData(reply: CompiledCustomerReply, channel: (typeof REPLY_CHANNELS)[number]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(reply.data).map(([k, v]) => [k, v === REPLY_CHANNEL_PLACEHOLDER ? channel : v]));
}

/** Every semantic issue of `messageTemplates` and `customerMessages`; runs on data that may not match the schema. */
export function checkCustomerMessages(spec: PlainRecord, shop: CompiledShop | null): Issue[] {
  const issues: Issue[] = [];
  const templates = recordOf(spec.messageTemplates);
  const stages = listOf(spec.stages).map(recordOf);
  const humanStages = new Map(stages.filter((s) => s.kind === 'human' && textOf(s.id)).map((s) => [s.id as string, s]));
  const hasCourier = stages.some((s) => s.kind === 'courier');

  for (const [id, raw] of Object.entries(templates)) {
    const path: PathSegment[] = ['spec', 'messageTemplates', id];
    const template = recordOf(raw);
    if (!('zns' in template) && !('sms' in template)) {
      issues.push({ path, at: 'key', message: `template "${id}" has neither a zns template nor an sms text, so it cannot be sent` });
    }
    for (const [text, at] of templateTexts(template, path)) issues.push(...unknownVariables(text, at));
  }

  const usedBy = new Map<string, number>();
  listOf(spec.customerMessages).forEach((raw, i) => {
    const path: PathSegment[] = ['spec', 'customerMessages', i];
    const message = recordOf(raw);
    const on = textOf(message.on);
    const courierEvent = on !== undefined && (COURIER_MESSAGE_EVENTS as readonly string[]).includes(on);
    if (on !== undefined && courierEvent && !hasCourier) {
      issues.push({ path: [...path, 'on'], message: `"${on}" is an event of the courier stage, but this process has no courier stage` });
    } else if (on !== undefined && !courierEvent && !humanStages.has(on)) {
      const choices = [...COURIER_MESSAGE_EVENTS, ...humanStages.keys()];
      issues.push({
        path: [...path, 'on'],
        message: `a message goes on "handover" or "delivered" (the courier stage) or when a human stage's task opens; "${on}" is none of these${didYouMean(on, choices)} — choose: ${listNames(choices)}`,
      });
    }

    const templateId = textOf(message.template);
    const template = templateId !== undefined && Object.hasOwn(templates, templateId) ? recordOf(templates[templateId]) : undefined;
    if (templateId !== undefined && !template) {
      const known = Object.keys(templates);
      issues.push({
        path: [...path, 'template'],
        message: `unknown template "${templateId}"${didYouMean(templateId, known)} — templates in spec.messageTemplates: ${listNames(known)}`,
      });
    }
    if (templateId !== undefined) {
      const first = usedBy.get(templateId);
      if (first !== undefined) {
        issues.push({
          path: [...path, 'template'],
          message: `template "${templateId}" is already sent by customerMessages[${first}]; an order gets each template once, so give this message its own template`,
        });
      } else usedBy.set(templateId, i);
    }
    if (template) {
      for (const channel of listOf(message.channels ?? CUSTOMER_CHANNELS)) {
        if (channel === 'zns' && !('zns' in template))
          issues.push({ path: [...path, 'channels'], message: `template "${templateId}" has no zns template, so it cannot go by zns` });
        if (channel === 'sms' && !('sms' in template))
          issues.push({ path: [...path, 'channels'], message: `template "${templateId}" has no sms text, so it cannot go by sms` });
      }
      if (on !== undefined && !courierEvent) {
        for (const [text] of templateTexts(template, ['spec', 'messageTemplates', templateId!])) {
          const early = variablesIn(text).filter(
            (v) => Object.hasOwn(TEMPLATE_VARIABLES, v) && TEMPLATE_VARIABLES[v as TemplateVariable].afterHandover,
          );
          if (early.length)
            issues.push({
              path: [...path, 'template'],
              message: `template "${templateId}" uses ${early.map((v) => `{{${v}}}`).join(', ')}, which is only known once the parcel is handed over, but this message goes when stage "${on}" opens`,
            });
        }
      }
    }

    issues.push(...checkCondition(message.when, [...path, 'when'], WHEN_FIELDS, conditionNames(shop)));
    if ('replies' in message && (courierEvent || humanStages.has(on ?? '')))
      issues.push(...checkReplies(message.replies, on, courierEvent ? undefined : humanStages.get(on!), [...path, 'replies']));
  });
  return issues;
}

function checkReplies(raw: unknown, on: string | undefined, stage: PlainRecord | undefined, path: PathSegment[]): Issue[] {
  if (!isRecord(raw)) return [];
  if (!stage) return [{ path, at: 'key', message: `replies finish a human stage's task, so they need "on" to be that stage, not "${on}"` }];
  const issues: Issue[] = [];
  const outcomes = recordOf(stage.on);
  const names = Object.keys(outcomes);
  const seen = new Map<string, string>();
  for (const [text, value] of Object.entries(raw)) {
    const at: PathSegment[] = [...path, text];
    const key = normaliseReply(text);
    if (seen.has(key)) issues.push({ path: at, at: 'key', message: `reply "${text}" reads the same as reply "${seen.get(key)}"` });
    seen.set(key, text);
    const outcome = isRecord(value) ? textOf(value.outcome) : textOf(value);
    if (outcome === undefined) continue;
    if (!Object.hasOwn(outcomes, outcome)) {
      issues.push({
        path: isRecord(value) ? [...at, 'outcome'] : at,
        message: `stage "${on}" has no outcome "${outcome}"${didYouMean(outcome, names)} — its outcomes: ${listNames(names)}`,
      });
      continue;
    }
    const chosen = outcomes[outcome];
    const form = (
      isRecord(chosen) && isRecord(chosen.form) ? chosen.form : isRecord(stage.form) ? stage.form : { type: 'object' }
    ) as FormSchema;
    const data = isRecord(value) && isRecord(value.data) ? value.data : {};
    for (const channel of REPLY_CHANNELS) {
      let problems: string[];
      try {
        problems = validateFormData(closeForm(form), replyData({ outcome, data }, channel));
      } catch {
        break; // a broken form is reported at the form
      }
      if (problems.length) {
        issues.push({
          path: isRecord(value) ? [...at, 'data'] : at,
          message: `a reply "${text}" completes "${outcome}" with data its form refuses: ${problems.join('; ')} — give the form's fields under data`,
        });
        break;
      }
    }
  }
  return issues;
}

/** The texts of a template that may hold placeholders, with where each is written. */
function templateTexts(template: PlainRecord, path: PathSegment[]): Array<[string, PathSegment[]]> {
  const texts: Array<[string, PathSegment[]]> = [];
  if (typeof template.sms === 'string') texts.push([template.sms, [...path, 'sms']]);
  for (const [name, value] of Object.entries(recordOf(recordOf(template.zns).params))) {
    if (typeof value === 'string') texts.push([value, [...path, 'zns', 'params', name]]);
  }
  return texts;
}

function variablesIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

function unknownVariables(text: string, path: PathSegment[]): Issue[] {
  const known = Object.keys(TEMPLATE_VARIABLES);
  return variablesIn(text)
    .filter((v) => !Object.hasOwn(TEMPLATE_VARIABLES, v))
    .map((v) => ({
      path,
      message: `unknown placeholder {{${v}}}${didYouMean(v, known)} — a template may say: ${listNames(known.map((k) => `{{${k}}}`))}`,
    }));
}

/** Compiles checked declarations (nothing when the process declares none, so its snapshot is unchanged). */
export function compileCustomerMessages(spec: PlainRecord): {
  messageTemplates?: Record<string, CompiledMessageTemplate>;
  customerMessages?: CompiledCustomerMessage[];
} {
  const messages = listOf(spec.customerMessages).map(recordOf);
  if (!('customerMessages' in spec) && !('messageTemplates' in spec)) return {};
  const templates: Record<string, CompiledMessageTemplate> = {};
  for (const [id, raw] of Object.entries(recordOf(spec.messageTemplates))) {
    const t = recordOf(raw);
    const zns = isRecord(t.zns)
      ? { templateId: String(t.zns.templateId), params: { ...(t.zns.params as Record<string, string>) } }
      : undefined;
    templates[id] = { id, title: textOf(t.title) ?? id, ...(zns && { zns }), ...(typeof t.sms === 'string' && { sms: t.sms }) };
  }
  return {
    messageTemplates: templates,
    customerMessages: messages.map((m) => {
      const on = m.on as string;
      const courierEvent = (COURIER_MESSAGE_EVENTS as readonly string[]).includes(on);
      const replies = isRecord(m.replies)
        ? Object.fromEntries(
            Object.entries(m.replies).map(([text, r]) => [
              normaliseReply(text),
              isRecord(r) ? { outcome: String(r.outcome), data: { ...recordOf(r.data) } } : { outcome: String(r), data: {} },
            ]),
          )
        : undefined;
      return {
        on: courierEvent ? (on as 'handover' | 'delivered') : 'stage',
        ...(!courierEvent && { stage: on }),
        ...(isRecord(m.when) && { when: compileCondition<WhenField>(m.when) }),
        template: m.template as string,
        channels: [...((m.channels as CustomerChannel[] | undefined) ?? CUSTOMER_CHANNELS)],
        ...(replies && { replies }),
      };
    }),
  };
}
