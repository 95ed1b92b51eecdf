/**
 * The first-run checklist's first step: choose the shop's size. Lists the shipped templates
 * (GET /definitions/templates) and applies one (POST /definitions/templates/{name}/apply), the
 * same as `npx shopflow init --template <name>`.
 */
import { useState } from 'react';
import { get, post } from '../api';
import { Card, ErrorNote, Loading } from '../components';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';

interface Template {
  name: string;
  title: string;
  description: string;
}

export function ShopTemplates({ onApplied }: { onApplied: () => void }) {
  const { t } = useI18n();
  const list = useLoad(() => get<{ templates: Template[] }>('/definitions/templates').then((r) => r.templates), []);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();

  const apply = async (template: Template) => {
    if (!window.confirm(t('templateConfirm', { title: template.title }))) return;
    setBusy(template.name);
    setError(undefined);
    setMessage(undefined);
    try {
      const done = await post<{ changed: boolean }>(`/definitions/templates/${encodeURIComponent(template.name)}/apply`);
      setMessage(t(done.changed ? 'templateApplied' : 'templateUnchanged', { title: template.title }));
      onApplied();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card id="templates-title" title={t('templatesTitle')}>
      <p>{t('templatesHelp')}</p>
      <ErrorNote error={list.error ?? error} />
      {message && <p role="status">{message}</p>}
      {!list.data ? (
        <Loading />
      ) : (
        <ul className="templates">
          {list.data.map((template) => (
            <li key={template.name}>
              <strong>{template.title}</strong>
              <p>{template.description}</p>
              <button type="button" onClick={() => void apply(template)} disabled={busy !== null}>
                {busy === template.name ? t('templateApplying') : t('templateApply')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
