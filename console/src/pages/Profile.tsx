/**
 * Hồ sơ (profile): how I am told beyond the inbox — channels per priority, quiet hours, the daily
 * digest time, my Telegram / Zalo ids and e-mail (`PATCH /me/preferences`, field errors at their
 * fields) — and Web Push on this device: the button registers the service worker and asks the
 * browser's permission on that click, never on page load.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, get, post, type Me, type Preferences } from '../api';
import { Card, ErrorNote, Loading } from '../components';
import { useLoad } from '../hooks';
import { formatDateTime, useI18n, type Key } from '../i18n';
import './profile.css';

const CHANNELS = ['push', 'email', 'telegram', 'zalo'] as const;
const PRIORITIES = ['urgent', 'normal', 'low'] as const;
type Channel = (typeof CHANNELS)[number];
type Priority = (typeof PRIORITIES)[number];

/** What the form edits: the preferences as text fields. */
interface Draft {
  channels: Record<Priority, Channel[]>;
  quietMode: 'off' | 'outside-working-hours' | 'custom';
  quietFrom: string;
  quietTo: string;
  digestAt: string;
  telegramChatId: string;
  zaloUserId: string;
  email: string;
}

const draftOf = (p: Preferences): Draft => ({
  channels: { urgent: [...p.channels.urgent], normal: [...p.channels.normal], low: [...p.channels.low] },
  quietMode: p.quietHours.mode,
  quietFrom: p.quietHours.from ?? '21:00',
  quietTo: p.quietHours.to ?? '07:00',
  digestAt: p.digestAt,
  telegramChatId: p.telegramChatId ?? '',
  zaloUserId: p.zaloUserId ?? '',
  email: p.email ?? '',
});

export function ProfilePage({ me }: { me: Me }) {
  const { t } = useI18n();
  const { data, error, reload } = useLoad(() => get<Preferences>('/me/preferences'), []);
  return (
    <div className="page profile">
      <h1>{t('profileTitle')}</h1>
      <p className="muted">
        {me.name} · {me.roles.join(', ')}
      </p>
      <ErrorNote error={error} />
      {!data && !error && <Loading />}
      {data && <PreferencesForm preferences={data} onSaved={reload} />}
      {data && <ThisDevice preferences={data} onChanged={reload} />}
    </div>
  );
}

function PreferencesForm({ preferences, onSaved }: { preferences: Preferences; onSaved: () => Promise<void> }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Draft>(() => draftOf(preferences));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(draftOf(preferences)), [preferences]);

  const toggle = (priority: Priority, channel: Channel) =>
    setDraft((d) => {
      const list = d.channels[priority];
      const next = list.includes(channel) ? list.filter((c) => c !== channel) : CHANNELS.filter((c) => c === channel || list.includes(c));
      return { ...d, channels: { ...d.channels, [priority]: next } };
    });
  const set = (key: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setError(undefined);
    setSaved(false);
    try {
      await api('PATCH', '/me/preferences', {
        channels: draft.channels,
        quietHours: draft.quietMode === 'custom' ? { mode: 'custom', from: draft.quietFrom, to: draft.quietTo } : { mode: draft.quietMode },
        digestAt: draft.digestAt,
        telegramChatId: draft.telegramChatId.trim() || null,
        zaloUserId: draft.zaloUserId.trim() || null,
        email: draft.email.trim() || null,
      });
      setSaved(true);
      await onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.fields.length) {
        // `channels.urgent.0` is shown at its priority's row; `quietHours.from` at the start time.
        setErrors(Object.fromEntries(err.fields.map((f) => [f.field.split('.').slice(0, 2).join('.'), wordsOf(f.field, f.message)])));
        setError(new Error(t('fixErrors')));
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  /** A channel chosen without its address, in the reader's words (the API's message names the channel). */
  const wordsOf = (field: string, message: string) => {
    const channel = CHANNELS.find((c) => message.startsWith(`${c} needs`));
    if (!field.startsWith('channels.') || !channel) return message;
    return t('channelNeedsAddress', {
      priority: t(`deliveryPriority_${field.split('.')[1]}` as Key),
      channel: t(`channel_${channel}` as Key),
    });
  };
  const fieldError = (key: string) =>
    errors[key] ? (
      <p id={`p-${key.replace('.', '-')}-error`} className="field-error">
        {errors[key]}
      </p>
    ) : null;
  const aria = (key: string) => ({
    'aria-invalid': errors[key] ? true : undefined,
    'aria-describedby': errors[key] ? `p-${key.replace('.', '-')}-error` : undefined,
  });

  return (
    <form className="stack-form" onSubmit={submit} noValidate>
      <Card id="channels-title" title={t('channelsPerPriority')}>
        <p className="muted small">{t('channelsHelp')}</p>
        <div className="table-wrap">
          <table className="channel-table">
            <thead>
              <tr>
                <th scope="col">{t('priority')}</th>
                {CHANNELS.map((c) => (
                  <th scope="col" key={c} title={t(`channel_${c}` as Key)}>
                    {t(`channelShort_${c}` as Key)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {PRIORITIES.map((p) => (
                <tr key={p} className={errors[`channels.${p}`] ? 'invalid' : undefined}>
                  <th scope="row">{t(`deliveryPriority_${p}` as Key)}</th>
                  {CHANNELS.map((c) => (
                    <td key={c}>
                      <input
                        type="checkbox"
                        aria-label={`${t(`deliveryPriority_${p}` as Key)} — ${t(`channel_${c}` as Key)}`}
                        checked={draft.channels[p].includes(c)}
                        onChange={() => toggle(p, c)}
                        {...aria(`channels.${p}`)}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {PRIORITIES.map((p) => (
          <div key={p}>{fieldError(`channels.${p}`)}</div>
        ))}
      </Card>

      <Card id="quiet-title" title={t('quietHours')}>
        <fieldset className={errors['quietHours.from'] || errors['quietHours.to'] ? 'invalid' : undefined}>
          <legend>{t('quietHoursHelp')}</legend>
          {(['outside-working-hours', 'custom', 'off'] as const).map((mode) => (
            <label key={mode} className="inline-label">
              <input type="radio" name="quietMode" value={mode} checked={draft.quietMode === mode} onChange={set('quietMode')} />
              <span>{t(`quiet_${mode}` as Key)}</span>
            </label>
          ))}
          {draft.quietMode === 'custom' && (
            <div className="row-fields">
              <div className="field">
                <label htmlFor="p-quietFrom">{t('quietFrom')}</label>
                <input id="p-quietFrom" type="time" value={draft.quietFrom} onChange={set('quietFrom')} {...aria('quietHours.from')} />
                {fieldError('quietHours.from')}
              </div>
              <div className="field">
                <label htmlFor="p-quietTo">{t('quietTo')}</label>
                <input id="p-quietTo" type="time" value={draft.quietTo} onChange={set('quietTo')} {...aria('quietHours.to')} />
                {fieldError('quietHours.to')}
              </div>
            </div>
          )}
        </fieldset>
        <div className={errors.digestAt ? 'field invalid' : 'field'}>
          <label htmlFor="p-digestAt">{t('digestAt')}</label>
          <input id="p-digestAt" type="time" value={draft.digestAt} onChange={set('digestAt')} {...aria('digestAt')} />
          {fieldError('digestAt')}
        </div>
      </Card>

      <Card id="addresses-title" title={t('addresses')}>
        <div className={errors.email ? 'field invalid' : 'field'}>
          <label htmlFor="p-email">{t('deliveryEmail')}</label>
          <input
            id="p-email"
            type="email"
            inputMode="email"
            value={draft.email}
            onChange={set('email')}
            placeholder={preferences.staffEmail ?? ''}
            {...aria('email')}
          />
          {fieldError('email')}
        </div>
        <div className={errors.telegramChatId ? 'field invalid' : 'field'}>
          <label htmlFor="p-telegram">{t('telegramChatId')}</label>
          <input
            id="p-telegram"
            inputMode="numeric"
            value={draft.telegramChatId}
            onChange={set('telegramChatId')}
            {...aria('telegramChatId')}
          />
          <p className="muted small">{t('telegramHelp')}</p>
          {fieldError('telegramChatId')}
        </div>
        <div className={errors.zaloUserId ? 'field invalid' : 'field'}>
          <label htmlFor="p-zalo">{t('zaloUserId')}</label>
          <input id="p-zalo" inputMode="numeric" value={draft.zaloUserId} onChange={set('zaloUserId')} {...aria('zaloUserId')} />
          {fieldError('zaloUserId')}
        </div>
      </Card>

      <ErrorNote error={error} />
      {saved && (
        <p className="ok" role="status">
          {t('preferencesSaved')}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('savePreferences')}
      </button>
    </form>
  );
}

type PushState = 'checking' | 'unsupported' | 'not-configured' | 'denied' | 'off' | 'on' | 'working';

const SW_URL = '/assets/sw.js';

/** The key as pushManager.subscribe wants it. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** Web Push on this browser: state, the button that turns it on (asking permission then), and my other devices. */
function ThisDevice({ preferences, onChanged }: { preferences: Preferences; onChanged: () => Promise<void> }) {
  const { t, lang } = useI18n();
  const [state, setState] = useState<PushState>('checking');
  const [publicKey, setPublicKey] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    let cancelled = false;
    (async () => {
      if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return setState('unsupported');
      const { publicKey: key } = await get<{ publicKey: string | null }>('/me/push/public-key');
      if (cancelled) return;
      setPublicKey(key);
      if (!key) return setState('not-configured');
      if (Notification.permission === 'denied') return setState('denied');
      const registration = await navigator.serviceWorker.getRegistration(SW_URL);
      const subscription = await registration?.pushManager.getSubscription();
      if (!cancelled) setState(subscription ? 'on' : 'off');
    })().catch((err: unknown) => !cancelled && (setError(err), setState('off')));
    return () => {
      cancelled = true;
    };
  }, []);

  // A click on a push notification while the console is open: the service worker asks this page to go there.
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    const onMessage = (e: MessageEvent) => {
      const url = (e.data as { openUrl?: string } | undefined)?.openUrl;
      if (url && url.startsWith(location.origin)) location.assign(url);
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    return () => navigator.serviceWorker.removeEventListener('message', onMessage);
  }, []);

  const turnOn = async () => {
    if (!publicKey) return;
    setError(undefined);
    setState('working');
    try {
      // Asked here, on the person's click: browsers ignore (or penalise) permission prompts on page load.
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') return setState(permission === 'denied' ? 'denied' : 'off');
      const registration = await navigator.serviceWorker.register(SW_URL);
      await navigator.serviceWorker.ready;
      const subscription =
        (await registration.pushManager.getSubscription()) ??
        (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
      await post('/me/push-subscriptions', subscription.toJSON());
      setState('on');
      await onChanged();
    } catch (err) {
      setError(err);
      setState('off');
    }
  };

  const turnOff = async () => {
    setError(undefined);
    setState('working');
    try {
      const registration = await navigator.serviceWorker.getRegistration(SW_URL);
      const subscription = await registration?.pushManager.getSubscription();
      if (subscription) {
        const host = new URL(subscription.endpoint).host;
        await subscription.unsubscribe();
        // The server keeps the endpoint secret (it shows the host): remove this browser's newest subscription to that service.
        const mine = [...preferences.pushSubscriptions].reverse().find((s) => s.endpointHost === host && s.active);
        if (mine) await api('DELETE', `/me/push-subscriptions/${mine.id}`);
      }
      setState('off');
      await onChanged();
    } catch (err) {
      setError(err);
      setState('on');
    }
  };

  const remove = async (id: string) => {
    setError(undefined);
    try {
      await api('DELETE', `/me/push-subscriptions/${id}`);
      await onChanged();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Card id="device-title" title={t('thisDevice')}>
      <p role="status" className={state === 'on' ? 'ok' : 'muted'}>
        {t(`push_${state}` as Key)}
      </p>
      {(state === 'off' || state === 'working') && (
        <button type="button" onClick={() => void turnOn()} disabled={state === 'working'}>
          {t('enablePush')}
        </button>
      )}
      {state === 'on' && (
        <button type="button" className="secondary" onClick={() => void turnOff()}>
          {t('disablePush')}
        </button>
      )}
      <ErrorNote error={error} />
      {preferences.pushSubscriptions.length > 0 && (
        <>
          <h3>{t('myDevices')}</h3>
          <ul className="plain-list">
            {preferences.pushSubscriptions.map((s) => (
              <li key={s.id}>
                <span>
                  {s.userAgent ?? s.endpointHost} · {formatDateTime(s.createdAt, lang)}
                  {!s.active && <span className="muted"> · {t('deviceInactive')}</span>}
                </span>{' '}
                <button type="button" className="secondary small" onClick={() => void remove(s.id)}>
                  {t('removeDevice')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
