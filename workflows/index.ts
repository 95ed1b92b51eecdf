/** Every workflow type the `shopflow` worker runs (this file is the bundle's entry point). */
export { orderWorkflow } from './order';
export { kpiPeriodWorkflow, kpiScheduleWorkflow } from './kpi';
export { complaintWorkflow } from './complaint';
