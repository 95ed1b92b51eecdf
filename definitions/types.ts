/**
 * The compiled, plain shapes the loader produces. Everything here is JSON-serialisable (no
 * classes, functions or Maps; durations in milliseconds), so a compiled definition can be stored
 * as a snapshot and passed to a Temporal workflow as input unchanged.
 *
 * No runtime imports (only types and constants): safe to import from workflow code.
 */
import type { Clock, CompiledWorkingHours } from './rules/business-time';
import type { CompiledCondition, CompiledCourierRule, CompiledSegment, WhenField } from './rules/conditions';
import type { CompiledComplaintProcess } from './complaints/types';
import type { CompiledKpiPlan } from './kpi/types';
import type { CompiledSalesGuide } from './guides/types';
import type { CompiledStoreSaleProcess } from './store/types';
import type { FigureBindings } from './orders/figures';
import type { ShippingFeeRules } from './rules/shipping-fee';
import type { CompiledCustomerMessage, CompiledMessageTemplate } from './orders/customer-message-types';
import type { CompiledEscalationStep, CompiledTaskSpec, FormSchema } from './tasks/task-spec';

export type * from './kpi/types';
export type * from './complaints/types';
export type * from './guides/types';

export type { Clock, CompiledWorkingHours, Weekday, WorkingInterval } from './rules/business-time';
export type { FigureBindings, OrderFigure } from './orders/figures';
export type {
  CompiledCustomerMessage,
  CompiledCustomerReply,
  CompiledMessageTemplate,
  CustomerChannel,
} from './orders/customer-message-types';
export type { CompiledEscalationStep, CompiledTaskSpec, FormSchema, Priority } from './tasks/task-spec';
export type {
  CompiledCondition,
  CompiledCourierRule,
  CompiledSegment,
  CustomerMetrics,
  FieldTest,
  Operator,
  Scalar,
  SegmentMetric,
  WhenFacts,
  WhenField,
} from './rules/conditions';

export const API_VERSION = 'shopflow/v1';

/** Permissions a role may hold; `*` grants all of them (admin). Mirrors shop.schema.json. */
export const PERMISSIONS = [
  '*',
  'tasks.read',
  'tasks.complete',
  'tasks.reassign',
  'orders.read',
  'orders.create',
  'orders.update',
  'orders.cancel',
  'leads.read',
  'leads.create',
  'customers.read',
  'customers.manage',
  'customers.merge',
  'complaints.read',
  'complaints.manage',
  'staff.manage',
  'definitions.manage',
  'kpi.read',
  'kpi.manage',
  'books.manage',
  'stock.manage',
  'packing.override',
  'store.sell',
  'reports.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

// ─── Shop ────────────────────────────────────────────────────────────────────

/** A staff role: what its members may do and whose data they see. */
export interface CompiledRole {
  id: string;
  title: string;
  permissions: Permission[];
  /** `own`: only records assigned to the staff member; `all`: every record. */
  scope: 'own' | 'all';
  /**
   * Roles whose tasks this role's members may reassign (with `tasks.reassign`): a lead moves work
   * only within the teams they lead, so a warehouse lead cannot take over a sales rep's close task.
   * Absent in shops compiled before it existed: read as none.
   */
  leads?: string[];
  /**
   * Another role does this role's work (shop.yaml `handledBy`; a small shop: cskh handled by
   * sales): its tasks open in that role's queue. Absent: the role does its own work.
   */
  handledBy?: string;
  /** Members work for an outside firm (shop.yaml `outsourced`); absent: in-house staff. */
  outsourced?: CompiledOutsourcing;
  /** How new tasks for this role pick a staff member; absent means they wait in the role's queue. */
  autoAssign?: {
    strategy: 'round-robin' | 'least-loaded';
    /** `last-rep`: a returning customer goes back to the rep who served them last. */
    returningCustomer?: 'last-rep' | 'none';
  };
}

/**
 * An outsourced role's contract (shop.yaml `roles.<id>.outsourced`): phones masked, no exports,
 * tokens refused after the contract ends, open work handed back to an in-house role.
 */
export interface CompiledOutsourcing {
  /** The firm's contract end as written (local day, `YYYY-MM-DD`); absent: each member has their own. */
  contractEnds?: string;
  /** The instant the firm's contract ends: the local midnight after `contractEnds` (ISO 8601). */
  contractEndsAt?: string;
  /** The in-house role that takes back the members' open work. */
  handBackTo: string;
  pay: 'commission-only' | 'base-and-commission';
}

/** A sales channel leads come from. */
export interface CompiledChannel {
  id: string;
  title: string;
  /** The order process its leads run (shop.yaml `channels.<id>.process`); absent: the shop's default. */
  process?: string;
}

/** Courier-specific shipment defaults; each field names the courier API that reads it. */
export interface CourierServiceOptions {
  serviceTypeId?: number;
  paymentTypeId?: number;
  requiredNote?: 'CHOTHUHANG' | 'CHOXEMHANGKHONGTHU' | 'KHONGCHOXEMHANG';
  transport?: 'road' | 'fly';
  pickOption?: 'cod' | 'post';
  insuranceValue?: number;
  /** Viettel Post main service code (ORDER_SERVICE: VCN express, VHT economy…), from its service list for the shop's routes. */
  orderService?: string;
}

/** A courier account the shop ships with. Credentials are never in YAML, only env var names. */
export interface CompiledCourier {
  id: string;
  title: string;
  /** Which adapter speaks to it. */
  api: 'ghn' | 'ghtk' | 'viettelpost' | 'simulator';
  enabled: boolean;
  baseUrl: string;
  /** Env var that, when set, overrides `baseUrl` (e.g. to point at the local simulator). */
  baseUrlEnv?: string;
  tokenEnv?: string;
  shopIdEnv?: string;
  webhookSecretEnv?: string;
  service: CourierServiceOptions;
}

/** A shop's configuration compiled from shop.yaml. */
export interface CompiledShop {
  apiVersion: typeof API_VERSION;
  kind: 'Shop';
  name: string;
  title: string;
  profile: { name: string; currency: string; timezone: string; locale: string };
  workingHours: CompiledWorkingHours;
  roles: Record<string, CompiledRole>;
  channels: Record<string, CompiledChannel>;
  couriers: Record<string, CompiledCourier>;
  /** In evaluation order; the last one is the fallback. */
  segments: CompiledSegment[];
  /** Stock keeping; absent in shops compiled before it existed (read through `stockSettings`). */
  stock?: CompiledStockSettings;
  /** The order process leads run when neither their channel nor the request names one (absent: the latest activated). */
  defaultProcess?: string;
  /** What customers pay for shipping (shop.yaml `shippingFee`); absent: the close form's fee is typed. */
  shippingFee?: ShippingFeeRules;
}

/** shop.yaml `stock`: warehouses (the first is where orders ship from), negative stock, who is told. */
export interface CompiledStockSettings {
  allowNegative: boolean;
  warehouses: Record<string, { id: string; title: string }>;
  defaultWarehouse: string;
  lowStockNotify: string[];
  shortageRole: string;
}

/** The shop's stock settings with their defaults: one warehouse `main`, never negative. */
export function stockSettings(shop: Pick<CompiledShop, 'stock'> | undefined): CompiledStockSettings {
  return (
    shop?.stock ?? {
      allowNegative: false,
      warehouses: { main: { id: 'main', title: 'Kho chính' } },
      defaultWarehouse: 'main',
      lowStockNotify: ['warehouse', 'accounting'],
      shortageRole: 'warehouse',
    }
  );
}

// ─── Order process ───────────────────────────────────────────────────────────

/** One way a human step can finish. */
export interface CompiledOutcome {
  name: string;
  /** Label for buttons; defaults to `name`. */
  title: string;
  /** Stage id to go to. */
  to: string;
  /** The data this outcome must carry (the stage form unless the outcome overrides it); closed. */
  form: FormSchema;
  /**
   * Which of the form's fields change which order figures (figure → field), as the definition
   * declares them; nothing else in the data changes the order. Absent in snapshots compiled
   * before bindings existed (see bindingsOf).
   */
  sets?: FigureBindings;
}

/** Fields every non-end stage has. */
interface CompiledStageBase {
  id: string;
  title: string;
  /** If present and false when the stage is entered, the stage is skipped and the order goes to `otherwise`. */
  when?: CompiledCondition<WhenField>;
  otherwise?: string;
}

/** A task handed to a role; the order waits for a staff member to finish it with one of `outcomes`. */
export interface CompiledHumanStage extends CompiledStageBase, CompiledTaskSpec {
  kind: 'human';
  /** In the order written; the first is the forward (happy-path) outcome. */
  outcomes: CompiledOutcome[];
  /**
   * Scan to pack: the outcome the task API accepts only when the order's items were scanned and
   * matched, or a lead overrode them (server/packing/). Read by the API only, never by the workflow.
   */
  scanItems?: string;
}

/** Courier shipment outcomes the runtime maps each courier's own status codes onto. */
export type CourierOutcome = 'delivered' | 'returned' | 'failed';

/** Hands the parcel to a courier and waits for delivery, return or failure. */
export interface CompiledCourierStage extends CompiledStageBase {
  kind: 'courier';
  courier: CompiledCourierRule;
  deliverySlaMs: number;
  clock: Clock;
  /** Escalations while the parcel is on its way; no reassign/priority as no task is open. */
  escalate: CompiledEscalationStep[];
  on: Record<CourierOutcome, string>;
}

/** Waits a fixed time, then continues. */
export interface CompiledWaitStage extends CompiledStageBase {
  kind: 'wait';
  durationMs: number;
  clock: Clock;
  next: string;
}

/** Sends a message to roles, then continues immediately. */
export interface CompiledNotifyStage extends CompiledStageBase {
  kind: 'notify';
  notify: string[];
  message: string;
  next: string;
}

/** How an order finished; reports and KPIs (e.g. return rate) read it. */
export type OrderResult = 'completed' | 'lost' | 'cancelled' | 'returned';

/** Finishes the order with a result. */
export interface CompiledEndStage {
  id: string;
  kind: 'end';
  title: string;
  result: OrderResult;
}

export type CompiledStage = CompiledHumanStage | CompiledCourierStage | CompiledWaitStage | CompiledNotifyStage | CompiledEndStage;

export type StageKind = CompiledStage['kind'];

/** An order process compiled against a shop; the snapshot an order workflow runs. */
export interface CompiledOrderProcess {
  apiVersion: typeof API_VERSION;
  kind: 'OrderProcess';
  name: string;
  title: string;
  description?: string;
  start: string;
  /** Keyed by stage id, in the order written. */
  stages: Record<string, CompiledStage>;
  /** The shop's working hours at compile time, so `clock: business` needs nothing else. */
  workingHours: CompiledWorkingHours;
  /** Templates of the messages customers get (absent: the process declares none). */
  messageTemplates?: Record<string, CompiledMessageTemplate>;
  /** Which messages customers get, and when (absent: none; see definitions/orders/customer-messages.ts). */
  customerMessages?: CompiledCustomerMessage[];
}

/** Any compiled process definition (more kinds join this union). */
export type CompiledDefinition =
  CompiledOrderProcess | CompiledKpiPlan | CompiledComplaintProcess | CompiledSalesGuide | CompiledStoreSaleProcess;

// ─── Loading ─────────────────────────────────────────────────────────────────

/** One problem in a definition file, positioned for an editor and worded for a shop admin. */
export interface DefinitionError {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  /** Where in the document, e.g. `spec.stages[3].role`; empty for the whole file. */
  path: string;
  message: string;
}

/** A short description of what was loaded, for APIs and CLI output. */
export interface LoadSummary {
  kind: string;
  name: string;
  title: string;
  /** Number of stages (process definitions only). */
  stageCount?: number;
  /** Roles the definition refers to (process) or defines (shop), sorted. */
  roles: string[];
  /** One line, e.g. `OrderProcess standard-order (Quy trình đơn hàng chuẩn): 14 stages; roles: cskh, sales`. */
  text: string;
}

/** The result of loading one file: a compiled value, or every error found. */
export type LoadResult<T> = { ok: true; value: T; summary: LoadSummary } | { ok: false; errors: DefinitionError[] };
