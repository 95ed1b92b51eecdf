/** Which guide a task shows: the first whose stages, processes, channels and segments all match. Pure. */
import type { CompiledGuide, CompiledSalesGuide } from './types';

/** What a task is about, as far as choosing its guide goes. */
export interface GuideContext {
  stage: string;
  process: string | null;
  channel: string | null;
  segment: string | null;
}

const allows = (list: string[] | undefined, value: string | null) => !list || (value !== null && list.includes(value));

export function chooseGuide(guides: CompiledSalesGuide | undefined, ctx: GuideContext): CompiledGuide | undefined {
  return guides?.guides.find(
    (g) =>
      g.stages.includes(ctx.stage) &&
      allows(g.processes, ctx.process) &&
      allows(g.channels, ctx.channel) &&
      allows(g.segments, ctx.segment),
  );
}

/** The required checklist items not among `ticked`. */
export function missingRequired(guide: CompiledGuide, ticked: readonly string[]): CompiledGuide['checklist'] {
  return guide.checklist.filter((item) => item.required && !ticked.includes(item.id));
}
