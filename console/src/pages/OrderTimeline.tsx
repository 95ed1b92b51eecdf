/**
 * An order's timeline in the shop's words: stages and outcomes by their titles in the order's
 * process version, courier statuses and events from the one dictionary
 * (definitions/orders/timeline-words.ts, Vietnamese first, English from the language menu), people
 * by name, and the stages the order passed through without stopping folded into one line.
 */
import type { OrderDetail, TimelineEvent } from '../api';
import { Card } from '../components';
import { formatDateTime, formatVnd, useI18n, type Key, type Lang, type T } from '../i18n';
import {
  activityText,
  courierApiOf,
  courierStatusText,
  eventText,
  resultText,
  STAGE_OUTCOME_WORDS,
  wordsOf,
} from '../../../definitions/orders/timeline-words';

/** A row of the timeline: one event, or a run of skipped stages shown as one line. */
type Row = { kind: 'event'; event: TimelineEvent } | { kind: 'skipped'; at: string; stages: Array<{ id: string; at: string }> };

/** The couriers' brand names (the same in both languages). */
const COURIER_BRANDS = { ghn: 'GHN', ghtk: 'GHTK', viettelpost: 'Viettel Post' } as const;

/** The lead channels' own names (brands, the same in both languages). */
const CHANNEL_NAMES: Record<string, string> = { facebook: 'Facebook Messenger', zalo: 'Zalo', website: 'website' };

/**
 * The events as rows: a stage entered and left again as `skipped` (its `when` did not hold) is
 * not two rows but part of one "Bỏ qua N bước" line with the skipped stages next to it.
 */
export function timelineRows(events: readonly TimelineEvent[]): Row[] {
  const skippedAt = new Set<number>();
  events.forEach((e, i) => {
    if (e.type !== 'stage_left' || (e.data as { outcome?: unknown } | null)?.outcome !== 'skipped') return;
    skippedAt.add(i);
    for (let j = i - 1; j >= 0; j--) {
      const before = events[j]!;
      if (before.type === 'stage_entered' && before.to === e.from) {
        skippedAt.add(j);
        break;
      }
    }
  });
  const rows: Row[] = [];
  events.forEach((e, i) => {
    if (!skippedAt.has(i)) return void rows.push({ kind: 'event', event: e });
    const last = rows[rows.length - 1];
    const run = last?.kind === 'skipped' ? last : undefined;
    if (e.type !== 'stage_left') {
      if (!run) rows.push({ kind: 'skipped', at: e.at, stages: [] });
      return;
    }
    const target = run ?? { kind: 'skipped' as const, at: e.at, stages: [] };
    if (!run) rows.push(target);
    target.stages.push({ id: String(e.from ?? ''), at: e.at });
  });
  return rows.filter((r) => r.kind === 'event' || r.stages.length > 0);
}

export function OrderTimeline({ order, names }: { order: OrderDetail; names: Map<string, string> }) {
  const { t, lang } = useI18n();
  const stageTitle = (id: string | null | undefined) =>
    id && Object.hasOwn(order.stages ?? {}, id) ? order.stages[id]! : lang === 'en' ? 'a step' : 'một bước';
  const rows = timelineRows(order.timeline);
  return (
    <Card id="timeline-title" title={t('timeline')}>
      <ol className="timeline">
        {rows.map((row, i) =>
          row.kind === 'skipped' ? (
            <li key={i} className="ev ev-skipped" data-testid="skipped-stages">
              <time dateTime={row.at}>{formatDateTime(row.at, lang)}</time>
              <details>
                <summary>
                  {skippedLine(
                    row.stages.map((s) => stageTitle(s.id)),
                    lang,
                  )}
                </summary>
                <ul className="plain small">
                  {row.stages.map((s, j) => (
                    <li key={j}>{stageTitle(s.id)}</li>
                  ))}
                </ul>
              </details>
            </li>
          ) : (
            <li key={i} className={`ev ev-${row.event.type}`}>
              <time dateTime={row.event.at}>{formatDateTime(row.event.at, lang)}</time>
              <p>{describe(row.event, { order, names, t, lang, stageTitle })}</p>
              {row.event.actor && row.event.type !== 'courier_status' && (
                <p className="muted small">{t('by', { who: personName(row.event.actor, names, t, lang) })}</p>
              )}
            </li>
          ),
        )}
      </ol>
    </Card>
  );
}

/** "Bỏ qua 5 bước: A, B, C…" — the first titles; all of them when the line is opened. */
function skippedLine(titles: string[], lang: Lang): string {
  const shown = titles.slice(0, 3).join(', ') + (titles.length > 3 ? ', …' : '');
  return eventText('stages_skipped', { n: titles.length, stages: shown }, lang)!;
}

/** Who did it, by name: staff from the order's `people`, the system, the customer, a courier by brand. */
function personName(actor: string, names: Map<string, string>, t: T, lang: Lang): string {
  if (actor === 'system') return t('system');
  if (actor.startsWith('customer')) return t('customerActor');
  const named = names.get(actor);
  if (named) return named;
  const courier = courierApiOf(actor);
  if (courier) return COURIER_BRANDS[courier];
  // Someone the order names no more (a removed account): not an id on a clerk's screen.
  return lang === 'en' ? 'a staff member' : 'một nhân viên';
}

interface Context {
  order: OrderDetail;
  names: Map<string, string>;
  t: T;
  lang: Lang;
  stageTitle: (id: string | null | undefined) => string;
}

/** An event's sentence: the dictionary's words with stages, outcomes, people and statuses in words. */
function describe(e: TimelineEvent, { order, names, t, lang, stageTitle }: Context): string {
  const data = (e.data ?? {}) as Record<string, unknown>;
  const outcomeWords = (stage: string | null | undefined, outcome: unknown): string => {
    const name = String(outcome ?? '');
    const titles = stage && Object.hasOwn(order.outcomes ?? {}, stage) ? order.outcomes[stage]! : {};
    if (Object.hasOwn(titles, name)) return titles[name]!;
    return wordsOf(STAGE_OUTCOME_WORDS, name, lang) ?? (lang === 'en' ? 'done' : 'xong');
  };
  const reassignedTo = (): string => {
    const to = (data.to ?? {}) as { assigneeId?: unknown; role?: unknown };
    if (typeof to.assigneeId === 'string') return personName(to.assigneeId, names, t, lang);
    return lang === 'en' ? `the ${String(to.role ?? '')} team` : `nhóm ${String(to.role ?? '')}`;
  };
  const courier = courierApiOf(e.actor ?? order.shipment?.courier ?? order.courier);
  const vars: Record<string, string | number> = {
    from: stageTitle(e.from),
    to: e.type === 'task_reassigned' ? reassignedTo() : stageTitle(e.to),
    task: e.task ?? '',
    level: String(data.level ?? ''),
    outcome: e.type === 'task_completed' ? (e.outcomeTitle ?? outcomeWords(null, data.outcome)) : outcomeWords(e.from, data.outcome),
    courier: courier ? COURIER_BRANDS[courier] : lang === 'en' ? 'The courier' : 'Hãng vận chuyển',
    status:
      courierStatusText(e.actor ?? order.shipment?.courier, data.status, data.state, lang) +
      (typeof data.reason === 'string' && data.reason ? ` (${data.reason})` : ''),
    result: resultText(data.result ?? order.status, lang),
    activity: activityText(data.activity, lang),
    tracking: String(data.trackingCode ?? order.trackingCode ?? ''),
    amount:
      typeof (data.returnedAmount ?? data.returnedValue) === 'number'
        ? formatVnd(Number(data.returnedAmount ?? data.returnedValue), lang)
        : '?',
    skus: Array.isArray(data.short) ? (data.short as Array<{ sku?: unknown }>).map((l) => String(l.sku ?? '')).join(', ') : '',
    ...(e.type === 'order_figures_changed' ? figureChange(data, t, lang) : {}),
    // Scan to pack: a wrong scan (what was scanned, wrong item or one too many), a lead's override (why).
    ...(e.type === 'packing_mismatch'
      ? { barcode: String(data.barcode ?? ''), scanResult: t(data.result === 'too-many' ? 'scan_too_many' : 'scan_wrong_item') }
      : {}),
    ...(e.type === 'packing_override' ? { reason: String(data.reason ?? '') } : {}),
    ...(e.type === 'customer_reply'
      ? {
          reply: String(data.text ?? ''),
          via: data.channel === 'sms' ? 'SMS' : 'Zalo',
          replyResult: t(`reply_${String(data.result)}` as Key),
        }
      : {}),
    // A message from a lead's conversation (Messenger, Zalo, the website form), in or out.
    ...(e.type === 'customer_message'
      ? {
          who: t(data.direction === 'out' ? 'msg_shop' : 'msg_customer'),
          via: Object.hasOwn(CHANNEL_NAMES, String(data.channel)) ? CHANNEL_NAMES[String(data.channel)]! : String(data.channel ?? ''),
          message: String(data.text ?? ''),
        }
      : {}),
  };
  const sentence = eventText(e.type, vars, lang);
  if (sentence === undefined) return lang === 'en' ? 'Something else happened to the order' : 'Một thay đổi khác của đơn';
  // A cancelled order's end stage says why.
  return e.type === 'stage_entered' && typeof data.reason === 'string' && data.reason ? `${sentence} — ${data.reason}` : sentence;
}

/** An `order_figures_changed` event's figure (in the shop's words) and its old and new values, readable. */
function figureChange(data: Record<string, unknown>, t: T, lang: Lang): Record<string, string> {
  const field = String(data.field ?? '');
  const label = t(`fig_${field}` as Key);
  const show = (v: unknown): string => {
    if (v === null || v === undefined || v === '') return t('fig_none');
    if (typeof v === 'number') return ['codAmount', 'total', 'shippingFee'].includes(field) ? formatVnd(v, lang) : String(v);
    if (Array.isArray(v))
      return v.map((l: { sku?: unknown; qty?: unknown }) => `${String(l?.sku ?? '')} × ${String(l?.qty ?? '')}`).join(', ');
    if (typeof v === 'object')
      return Object.values(v as Record<string, unknown>)
        .filter((x) => typeof x === 'string' && x)
        .join(', ');
    return String(v);
  };
  return { figure: label === `fig_${field}` ? field : label, before: show(data.from), after: show(data.to) };
}
