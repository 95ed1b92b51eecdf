/**
 * The compiled shapes of customer messages (see customer-messages.ts): plain, JSON-serialisable,
 * and free of runtime imports, so definitions/types.ts and workflow-safe code may use them.
 */
import type { CompiledCondition, WhenField } from '../rules/conditions';

/** Channels a customer message can go on, in the order tried: Zalo ZNS, then SMS. */
export const CUSTOMER_CHANNELS = ['zns', 'sms'] as const;
export type CustomerChannel = (typeof CUSTOMER_CHANNELS)[number];

/** Events of the courier stage a message can go on; any other `on` names a human stage. */
export const COURIER_MESSAGE_EVENTS = ['handover', 'delivered'] as const;

/** What a template may say, filled in when the message is produced. */
export const TEMPLATE_VARIABLES = {
  'customer.name': { means: 'the customer’s name', afterHandover: false },
  'order.code': { means: 'the order code (DH…)', afterHandover: false },
  'order.codAmount': { means: 'cash to collect on delivery, written as 350.000đ', afterHandover: false },
  'order.total': { means: 'the order total, written as 350.000đ', afterHandover: false },
  'shop.name': { means: 'the shop’s name from shop.yaml', afterHandover: false },
  'shipment.trackingCode': { means: 'the courier’s tracking code', afterHandover: true },
  'shipment.courier': { means: 'the courier’s name from shop.yaml', afterHandover: true },
  'shipment.trackingUrl': { means: 'the courier’s public tracking page for the parcel', afterHandover: true },
} as const;
export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;

/** In a reply's data, replaced by the channel the customer answered on (`zalo` or `sms`). */
export const REPLY_CHANNEL_PLACEHOLDER = '{{reply.channel}}';
export const REPLY_CHANNELS = ['zalo', 'sms'] as const;

/** A template: its ZNS template (id approved by Zalo, parameter → text) and/or its SMS text. */
export interface CompiledMessageTemplate {
  id: string;
  /** What the message is, for staff reading the order's timeline. */
  title: string;
  zns?: { templateId: string; params: Record<string, string> };
  sms?: string;
}

/** A reply that finishes the step the message was sent for: its outcome and the task data it carries. */
export interface CompiledCustomerReply {
  outcome: string;
  data: Record<string, unknown>;
}

/** One message the process sends a customer. */
export interface CompiledCustomerMessage {
  /** `handover` / `delivered` of a courier stage, or `stage`: when `stage`'s task opens. */
  on: 'handover' | 'delivered' | 'stage';
  stage?: string;
  when?: CompiledCondition<WhenField>;
  template: string;
  /** Tried in this order: the next one only when the previous failed for good. */
  channels: CustomerChannel[];
  /** Reply text (trimmed, case-insensitive) → the outcome it completes the stage's task with. */
  replies?: Record<string, CompiledCustomerReply>;
}
