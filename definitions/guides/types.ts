/** Compiled shapes of a SalesGuide (sales scripts and checklists attached to stages). No runtime code. */

/** One line of a guide's checklist. */
export interface CompiledChecklistItem {
  id: string;
  text: string;
  /** Must be ticked before the task is finished with its forward outcome. */
  required: boolean;
}

/** A script (and its checklist) for the tasks of some stages, channels and segments. */
export interface CompiledGuide {
  id: string;
  title: string;
  version: number;
  stages: string[];
  /** Absent: any process / channel / segment. */
  processes?: string[];
  channels?: string[];
  segments?: string[];
  script: string;
  checklist: CompiledChecklistItem[];
}

/** A SalesGuide definition: its guides in the order written (the first match wins). */
export interface CompiledSalesGuide {
  apiVersion: 'shopflow/v1';
  kind: 'SalesGuide';
  name: string;
  title: string;
  description?: string;
  guides: CompiledGuide[];
}
