/**
 * `inbound:<channel>:<id>` — one delivery from a shop's channel (a Messenger message, a lead-ads
 * lead, a Zalo message, a website form), stored before the sender was answered. It is routed
 * once: onto the open lead's or order's timeline of the same customer, or as a new lead. A new
 * lead with a phone starts its order at once; one without waits on a sales task asking for the
 * phone, until sales enters it (or drops the lead) or the customer writes it in a later message.
 */
import {
  allHandlersFinished,
  condition,
  defineSignal,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { CompiledHumanStage, FormSchema } from '../../definitions/types';
import type { CompiledWorkingHours } from '../../definitions/rules/business-time';
import { LEAD_TEXTS } from '../../definitions/leads/texts';
import { fixItLadder, fixItStage, guardedActivities, onActivityFailure, stepTitle } from '../tasks/fix-it';
import { TaskBoard } from '../tasks/tasks';

/** Input of `inbound:<dedupe key>`: the stored delivery. */
export interface InboundLeadInput {
  eventId: number;
}

/** The workflow's result: what the delivery did. */
export interface InboundLeadResult {
  action: 'new-lead' | 'lead-timeline' | 'order-timeline' | 'ignored' | 'skipped';
  leadId?: string;
  orderId?: string;
  /** A new lead's end: `ordered` (its order started or it joined the customer's open order) or `lost`. */
  outcome?: 'ordered' | 'lost';
}

/** A later message of the same customer carried the phone a waiting lead lacked. */
export const leadPhoneFoundSignal = defineSignal<[{ phone: string }]>('leadPhoneFound');

/** The stage id of a lead's ask-for-the-phone task, as the task API shows it. */
export const ASK_PHONE_STAGE = 'lead-ask-phone';
/** The stage of a fix-it task about a delivery whose handling failed for good. */
export const INTAKE_STAGE = 'lead-intake';

const steps = guardedActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 20 },
});
const { fixItContext } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** Hours for tasks on the calendar clock (a fix-it task before the shop's hours are read): never consulted for their deadlines. */
const CALENDAR_HOURS: CompiledWorkingHours = {
  timezone: 'Asia/Ho_Chi_Minh',
  utcOffsetMinutes: 420,
  weekly: { sun: [], mon: [], tue: [], wed: [], thu: [], fri: [], sat: [] },
  daysOff: [],
};

const PHONE_PATTERN = '^(0|\\+84)[0-9 .-]{9,14}$';
const phoneForm: FormSchema = {
  type: 'object',
  required: ['phone'],
  additionalProperties: false,
  properties: {
    phone: { type: 'string', title: LEAD_TEXTS.phoneField, pattern: PHONE_PATTERN },
    customerName: { type: 'string', title: LEAD_TEXTS.nameField, minLength: 1, maxLength: 200 },
  },
} as FormSchema;
const lostForm: FormSchema = {
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: {
    reason: { type: 'string', title: LEAD_TEXTS.reasonField, enum: ['spam', 'not-buying', 'no-answer', 'other'] },
    note: { type: 'string', title: LEAD_TEXTS.noteField, maxLength: 1000 },
  },
} as FormSchema;

export async function inboundLeadWorkflow(input: InboundLeadInput): Promise<InboundLeadResult> {
  let phoneFromMessage: string | undefined;
  setHandler(leadPhoneFoundSignal, ({ phone }) => {
    phoneFromMessage ??= phone;
  });
  // One board per workflow (it owns the completeTask Update): the lead's, or the delivery's when a step failed before the lead was known.
  let board: TaskBoard | undefined;
  const boardFor = (leadId: string, channel: string, customer: string, hours: CompiledWorkingHours = CALENDAR_HOURS, said?: string) =>
    (board ??= new TaskBoard(
      { type: 'lead', id: leadId, channel, summary: { leadId, channel, customer, ...(said ? { message: said } : {}) } },
      hours,
    ));
  // A step that fails for good (the Graph API refusing the token, no active order process) waits
  // on the manager: fixed and retried, or skipped.
  onActivityFailure(async (problem, attempt) => {
    const context = await fixItContext({ subject: 'order' });
    const decision = await boardFor(`inbound-${input.eventId}`, 'inbound', '').humanTask(
      fixItStage({
        stage: INTAKE_STAGE,
        role: context.role,
        problem,
        attempt,
        doing: stepTitle(problem.activity),
        escalate: fixItLadder(context.managers),
        clock: 'calendar',
      }),
    );
    return decision?.outcome === 'retry' ? 'retry' : 'skip';
  });

  const route = await steps.routeInboundDelivery({ eventId: input.eventId });
  if (!route) return { action: 'skipped' };
  if (route.action === 'ignored') return { action: 'ignored' };
  if (route.action === 'order-timeline') return { action: 'order-timeline', orderId: route.orderId };
  if (route.action === 'lead-timeline') {
    if (route.phoneAdded && route.leadWorkflowId !== workflowInfo().workflowId) {
      // The lead's own workflow may have ended meanwhile (ordered, dropped): the message stays on its timeline.
      await getExternalWorkflowHandle(route.leadWorkflowId)
        .signal(leadPhoneFoundSignal, { phone: route.phoneAdded })
        .catch(() => undefined);
    }
    return { action: 'lead-timeline', leadId: route.leadId };
  }

  const { leadId } = route;
  if (!route.phone) {
    const context = await steps.leadTaskContext({ channel: route.channel });
    const role = context?.role ?? 'sales';
    const channelTitle = context?.channelTitle ?? route.channel;
    const stage: CompiledHumanStage = {
      id: ASK_PHONE_STAGE,
      kind: 'human',
      title: LEAD_TEXTS.askPhoneTitle(channelTitle),
      description: LEAD_TEXTS.askPhoneDescription(channelTitle),
      role,
      priority: 'normal',
      slaMs: 30 * 60_000,
      clock: 'calendar',
      form: phoneForm,
      escalate: context?.lateNotify.length ? [{ afterMs: 30 * 60_000, notify: context.lateNotify }] : [],
      outcomes: [
        { name: 'phone', title: LEAD_TEXTS.gotPhone, to: 'order', form: phoneForm },
        { name: 'lost', title: LEAD_TEXTS.lost, to: 'lost', form: lostForm },
      ],
    } as CompiledHumanStage;
    const answer = await boardFor(
      leadId,
      route.channel,
      route.name ?? LEAD_TEXTS.unnamedCustomer(route.channel),
      context?.workingHours,
      route.said,
    ).humanTask(stage, () => phoneFromMessage !== undefined);
    if (!answer) {
      // The customer wrote their phone in a later message: the task is moot.
      await steps.cancelOpenTasks({ workflowId: workflowInfo().workflowId, reason: 'phone received from the customer' });
    } else if (answer.outcome === 'lost') {
      await steps.dropLead({ leadId });
      await condition(allHandlersFinished);
      return { action: 'new-lead', leadId, outcome: 'lost' };
    } else {
      const data = answer.data ?? {};
      await steps.saveLeadContact({
        leadId,
        phone: String(data.phone),
        ...(typeof data.customerName === 'string' ? { name: data.customerName } : {}),
      });
    }
  }
  const started = await steps.startLeadOrder({ leadId });
  await condition(allHandlersFinished);
  return { action: 'new-lead', leadId, ...(started ? { orderId: started.orderId } : {}), outcome: 'ordered' };
}
