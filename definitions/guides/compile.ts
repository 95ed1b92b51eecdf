/** Compiles a checked SalesGuide into its plain snapshot. */
import { API_VERSION, type LoadSummary } from '../types';
import type { CompiledGuide, CompiledSalesGuide } from './types';

interface RawGuide {
  id: string;
  title: string;
  version: number;
  stages: string[];
  processes?: string[];
  channels?: string[];
  segments?: string[];
  script: string;
  checklist?: Array<{ id: string; text: string; required?: boolean }>;
}

export function compileSalesGuide(data: unknown): CompiledSalesGuide {
  const { metadata, spec } = data as { metadata: { name: string; title: string; description?: string }; spec: { guides: RawGuide[] } };
  return {
    apiVersion: API_VERSION,
    kind: 'SalesGuide',
    name: metadata.name,
    title: metadata.title,
    ...(metadata.description !== undefined && { description: metadata.description }),
    guides: spec.guides.map((g): CompiledGuide => ({
      id: g.id,
      title: g.title,
      version: g.version,
      stages: g.stages,
      ...(g.processes && { processes: g.processes }),
      ...(g.channels && { channels: g.channels }),
      ...(g.segments && { segments: g.segments }),
      script: g.script,
      checklist: (g.checklist ?? []).map((item) => ({ id: item.id, text: item.text, required: item.required ?? false })),
    })),
  };
}

export function summarizeSalesGuide(guide: CompiledSalesGuide): LoadSummary {
  const stages = [...new Set(guide.guides.flatMap((g) => g.stages))].sort();
  return {
    kind: guide.kind,
    name: guide.name,
    title: guide.title,
    roles: [],
    text: `${guide.kind} ${guide.name} (${guide.title}): ${guide.guides.length} scripts; stages: ${stages.join(', ')}`,
  };
}
