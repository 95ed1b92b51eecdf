/**
 * A lead-ads lead read from the Facebook Graph API: `GET {graph}/{leadgen_id}?access_token=…`
 * answers `{id, created_time, field_data: [{name, values: [..]}]}` (the form's questions, e.g.
 * `full_name`, `phone_number`, `email`, or custom names). Errors come as `{error: {message, type, code}}`.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { LEAD_TEXTS } from '../../definitions/leads/texts';

/** The fields of one lead, and the name and phone among them. */
export interface LeadAdsLead {
  fields: Record<string, string>;
  name?: string;
  phone?: string;
}

const NAME_FIELDS = ['full_name', 'name', 'ho_ten', 'họ_tên', 'first_name'];

export async function readLeadAdsLead(graphUrl: string, accessToken: string, leadgenId: string): Promise<LeadAdsLead> {
  const url = `${graphUrl}/${encodeURIComponent(leadgenId)}?access_token=${encodeURIComponent(accessToken)}&fields=created_time,field_data,form_id,ad_id`;
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json().catch(() => ({}))) as {
    field_data?: Array<{ name?: unknown; values?: unknown }>;
    error?: { message?: string; code?: number };
  };
  if (!res.ok) {
    const message = body.error?.message ?? res.statusText;
    // 4xx: the token or the lead is wrong, a person must fix it; 5xx and 429: Facebook is busy, retried.
    if (res.status >= 400 && res.status < 500 && res.status !== 429)
      throw ApplicationFailure.nonRetryable(LEAD_TEXTS.graphRefused(res.status, message), 'FacebookGraphRefused');
    throw new Error(`Facebook Graph API answered ${res.status}: ${message}`);
  }
  const fields: Record<string, string> = {};
  for (const f of body.field_data ?? []) {
    if (typeof f.name !== 'string' || !Array.isArray(f.values)) continue;
    fields[f.name] = f.values
      .filter((v) => typeof v === 'string')
      .join(', ')
      .slice(0, 500);
  }
  const name = NAME_FIELDS.map((n) => fields[n]).find(Boolean);
  const phone = Object.entries(fields).find(([k]) => /phone|sdt|so_dien_thoai|điện_thoại/i.test(k))?.[1];
  return { fields, ...(name ? { name } : {}), ...(phone ? { phone } : {}) };
}
