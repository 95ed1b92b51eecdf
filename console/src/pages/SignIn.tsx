import { useState, type FormEvent } from 'react';
import { api, ApiError, session, type Me } from '../api';
import { useI18n } from '../i18n';

/** Sign in with a staff API token; it is checked with GET /me before it is kept. */
export function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = token.trim();
    if (!value) return setError(t('badToken'));
    setBusy(true);
    setError(undefined);
    try {
      const me = await api<Me>('GET', '/me', undefined, { token: value, quiet401: true });
      session.signIn(value);
      onSignedIn(me);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      setError(status === 429 ? t('tooManyTries') : status === 0 ? t('networkError') : t('badToken'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card signin" onSubmit={submit} noValidate>
      <h1>{t('signIn')}</h1>
      <label htmlFor="token">{t('token')}</label>
      <input
        id="token"
        name="token"
        type="password"
        autoComplete="current-password"
        value={token}
        onChange={(e) => setToken(e.target.value)}
        aria-describedby="token-help token-error"
        aria-invalid={error ? true : undefined}
        autoFocus
      />
      <p id="token-help" className="muted small">
        {t('tokenHelp')}
      </p>
      {error && (
        <p id="token-error" className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('signIn')}
      </button>
    </form>
  );
}
