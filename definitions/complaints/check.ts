/**
 * Semantic checks of a ComplaintProcess beyond its JSON Schema: roles exist and can complete
 * tasks, durations parse, escalation ladders get later and do something (as in order stages),
 * category and outcome ids are unique, forms compile, and a rejecting outcome asks for a reason.
 * Runs on data that may not match the schema.
 */
import { type Issue, type PathSegment } from '../loading/errors';
import { checkForm } from '../tasks/forms';
import { checkEscalation } from '../orders/escalation';
import { isRecord, listOf, recordOf, textOf } from '../loading/plain';
import { checkDuration, checkRole } from '../loading/references';
import type { CompiledShop } from '../types';

export function checkComplaintProcess(data: unknown, shop: CompiledShop | null): Issue[] {
  const issues: Issue[] = [];
  const spec = recordOf(recordOf(data).spec);

  uniqueIds(spec.categories, ['spec', 'categories'], 'category', issues);
  uniqueIds(spec.outcomes, ['spec', 'outcomes'], 'outcome', issues);

  checkTask(spec.intake, ['spec', 'intake'], shop, issues);
  listOf(spec.outcomes).forEach((raw, i) => {
    const outcome = recordOf(raw);
    const path: PathSegment[] = ['spec', 'outcomes', i];
    issues.push(...checkForm(outcome.form, [...path, 'form']));
    if (outcome.followUp !== undefined) checkTask(outcome.followUp, [...path, 'followUp'], shop, issues);
    if (outcome.result === 'rejected') {
      const form = isRecord(outcome.form) ? outcome.form : recordOf(recordOf(spec.intake).form);
      const formPath = isRecord(outcome.form) ? [...path, 'form'] : [...path, 'result'];
      const required = listOf(form.required);
      if (!required.includes('reason') || !isRecord(recordOf(form.properties).reason)) {
        issues.push({
          path: formPath,
          message: 'a rejecting outcome must ask why: give it a form with a "reason" property listed in required',
        });
      }
      if (outcome.followUp !== undefined) {
        issues.push({
          path: [...path, 'followUp'],
          at: 'key',
          message: 'a rejected complaint has nothing to carry out — remove followUp or make the result resolved',
        });
      }
    }
  });
  return issues;
}

/** A task: its role can complete tasks, its SLA parses, its form compiles, its ladder is ordered. */
function checkTask(raw: unknown, path: PathSegment[], shop: CompiledShop | null, issues: Issue[]): void {
  if (!isRecord(raw)) return;
  issues.push(...checkRole(shop, raw.role, [...path, 'role'], true));
  checkDuration(raw.sla, [...path, 'sla'], issues);
  issues.push(...checkForm(raw.form, [...path, 'form']));
  issues.push(...checkEscalation(raw.escalate, [...path, 'escalate'], shop, true));
}

function uniqueIds(list: unknown, path: PathSegment[], what: string, issues: Issue[]): void {
  const seen = new Map<string, number>();
  listOf(list).forEach((raw, i) => {
    const id = textOf(recordOf(raw).id);
    if (id === undefined) return;
    if (seen.has(id))
      issues.push({
        path: [...path, i, 'id'],
        message: `${what} id "${id}" is already used by ${path[path.length - 1]}[${seen.get(id)}] — ${what} ids must be unique`,
      });
    else seen.set(id, i);
  });
}
