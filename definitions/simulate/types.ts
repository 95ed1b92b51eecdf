/**
 * The what-if simulator's plain shapes: the shop's history as the simulator reads it (arrivals,
 * task and courier samples, staffing), the assumptions for a shop without history, and the
 * report per version. JSON-serialisable; times are epoch milliseconds.
 */
import type { CourierOutcome, OrderResult } from '../types';

/** One real order arrival of the window and what is known about it. */
export interface ArrivalRecord {
  orderId: string;
  arrivedAt: number;
  channel: string | null;
  customer: { segment?: string; isReturning?: boolean; returnRate?: number };
  /**
   * The order's figures as its tasks set them in reality (figure → value: codAmount, total,
   * items, shippingAddress, weightGrams…). A simulated task whose outcome binds a figure carries it.
   */
  figures: Record<string, unknown>;
  /** What staff really chose at each stage the order visited, in visit order (stage id → outcomes). */
  outcomes: Record<string, string[]>;
  /**
   * The order arrived already closed (a web shop's order): its start stage's outcome was decided
   * without a task, as `OrderWorkflowInput.closed` has the workflow do.
   */
  arrivedClosed?: { outcome: string; actor: string };
  /** The parcel in reality: which courier and how it ended (absent: never shipped, or still on its way). */
  shipment?: { courier: string; outcome?: CourierOutcome };
}

/** One finished task of the history: who, which stage, opened at which local hour, how long, which outcome. */
export interface TaskSample {
  role: string;
  stage: string;
  /** Local hour of day (0–23) the task opened. */
  hour: number;
  durationMs: number;
  outcome: string | null;
}

/** One parcel of the history: courier, province, time from hand-over to the verdict, the verdict. */
export interface TransitSample {
  courier: string;
  province: string | null;
  durationMs: number;
  outcome: CourierOutcome;
}

/** How many people of a role finished tasks in one clock hour (the staffing as it was). */
export interface StaffingSample {
  role: string;
  /** Start of the hour, epoch ms (a multiple of one hour). */
  hourStart: number;
  staff: number;
}

/** The shop's history over a window, as the simulator reads it. */
export interface SimulationHistory {
  window: { from: number; to: number };
  arrivals: ArrivalRecord[];
  tasks: TaskSample[];
  transits: TransitSample[];
  staffing: StaffingSample[];
  /** Tasks one person of a role finishes in a busy hour (measured; absent: unknown). */
  throughputPerHour: Record<string, number>;
}

/** A new shop's stated assumptions, used where there is no history. */
export interface Assumptions {
  ordersPerDay: number;
  minutesPerTask: number;
  /** Hours from hand-over to delivery (default 48). */
  transitHours?: number;
  /** People per role during working hours (default 1 each). */
  staff?: Record<string, number>;
}

/** One stage the order entered, with how it left. */
export interface SimulatedVisit {
  stage: string;
  enteredAt: number;
  outcome?: string;
}

/** One task a simulated order opened (a stage's, or a follow-up an escalation opened). */
export interface SimulatedTask {
  role: string;
  stage: string;
  openedAt: number;
  doneAt: number;
  followUp: boolean;
}

/** One simulated order's walk. */
export interface SimulatedOrder {
  orderId: string;
  arrivedAt: number;
  path: SimulatedVisit[];
  result?: OrderResult;
  endedAt?: number;
  deliveredAt?: number;
  /** The walk was cut after too many visits (a loop the drawn outcomes kept going round). */
  stuck: boolean;
  courier?: string;
  courierOutcome?: CourierOutcome;
  /** Handed over, verdict not yet in by the end of the window. */
  inTransitAtEnd: boolean;
  codAmount: number;
  tasks: SimulatedTask[];
  /** SLA breaches (stage id → count; a courier stage's late delivery counts too). */
  breaches: Array<{ stage: string }>;
  /** Escalation rungs that fired (1-based rung). */
  escalations: Array<{ stage: string; rung: number }>;
}

/** Workload of a role by hour of day, averaged over the window's days. */
export interface RoleWorkload {
  role: string;
  title: string;
  tasksPerDay: number;
  /** 24 entries: tasks opened per day in each local hour. */
  byHour: number[];
  /** 24 entries: mean queue (tasks waiting beyond what the staff as it was could finish) at the end of each local hour. */
  queueByHour: number[];
  /** Local hours (0–23) where a queue builds, as ranges for people: `10:00–12:00`. */
  overloaded: string[];
}

/** The report of one version. */
export interface VersionReport {
  label: 'candidate' | 'active';
  name: string;
  version: number | null;
  title: string;
  orders: number;
  finished: number;
  byResult: Partial<Record<OrderResult, number>>;
  stuck: number;
  timeToDeliveryHours: { median: number | null; p90: number | null; delivered: number };
  slaBreaches: Array<{ stage: string; title: string; tasks: number; breaches: number }>;
  escalations: Array<{ stage: string; title: string; rung: number; count: number }>;
  workload: RoleWorkload[];
  courierMix: Array<{ courier: string; shipments: number }>;
  codAtRisk: { amount: number; orders: number };
}

/** One highlighted difference, candidate − active, in a sentence. */
export interface Difference {
  metric: string;
  active: number | null;
  candidate: number | null;
  delta: number | null;
  text: string;
}

/** The whole what-if answer. */
export interface SimulationReport {
  seed: number;
  window: { from: string; to: string; days: number };
  /** `history`: real arrivals and measured distributions; `assumptions`: a new shop's stated figures. */
  basis: 'history' | 'assumptions';
  basisNote: string;
  assumptions?: Assumptions;
  /** Where the history was too thin and defaults were used (in Vietnamese). */
  notes: string[];
  candidate: VersionReport;
  active: VersionReport;
  differences: Difference[];
  /** The plain-language summary for the shop owner (Vietnamese). */
  summary: string[];
}
