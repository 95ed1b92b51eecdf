/**
 * The sales script and checklist a task shows (`guide` of GET /tasks/{id}): the words to say,
 * and the items to tick; required ones must be ticked before closing (the server refuses otherwise).
 */
import type { TaskDetail } from '../api';
import { useI18n } from '../i18n';
import type { FieldErrors } from '../SchemaForm';

type Guide = NonNullable<TaskDetail['guide']>;

export function TaskGuide(props: {
  taskId: string;
  guide: Guide;
  ticked: string[];
  onChange: (ticked: string[]) => void;
  errors: FieldErrors;
}) {
  const { t } = useI18n();
  const { guide, ticked } = props;
  const toggle = (id: string) => props.onChange(ticked.includes(id) ? ticked.filter((x) => x !== id) : [...ticked, id]);
  return (
    <section className="guide" aria-label={t('guideTitle')}>
      <h4>
        {t('guideTitle')}: {guide.script.title} <small>({t('guideVersion', { version: String(guide.script.version) })})</small>
      </h4>
      <p className="guide-script" style={{ whiteSpace: 'pre-wrap' }}>
        {guide.script.text}
      </p>
      {guide.checklist.length > 0 && (
        <fieldset className="guide-checklist">
          <legend>{t('guideChecklist')}</legend>
          {guide.checklist.some((i) => i.required) && <p className="hint">{t('guideRequiredHelp')}</p>}
          {guide.checklist.map((item) => {
            const error = props.errors[`checklist.${item.id}`];
            return (
              <div key={item.id}>
                <label className="check">
                  <input
                    type="checkbox"
                    name={`checklist-${props.taskId}`}
                    value={item.id}
                    checked={ticked.includes(item.id)}
                    onChange={() => toggle(item.id)}
                    aria-invalid={error ? true : undefined}
                  />{' '}
                  {item.text}
                  {item.required && <strong> ({t('guideRequired')})</strong>}
                </label>
                {error && (
                  <p className="field-error" role="alert">
                    {error}
                  </p>
                )}
              </div>
            );
          })}
        </fieldset>
      )}
    </section>
  );
}
