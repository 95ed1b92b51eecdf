/** Every workflow type the `shopflow` worker runs (this file is the bundle's entry point). */
export { orderWorkflow } from './orders/order';
export { kpiPeriodWorkflow, kpiScheduleWorkflow } from './kpi/kpi';
export { complaintWorkflow } from './complaints/complaint';
export { inboundLeadWorkflow } from './leads/inbound-lead';
export { contractEndWorkflow } from './staff/contract-end';
