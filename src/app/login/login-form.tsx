'use client';

import { useState, type FormEvent } from 'react';
import styles from './login.module.css';
import { safeNext } from './safe-next';

export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const res = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
      });
      if (res.ok) {
        // A full navigation: the server renders the next page with the new cookie.
        window.location.assign(safeNext(next));
        return;
      }
      const body = (await res.json().catch(() => null)) as { error?: string } | null;
      setError(body?.error ?? `Sign-in failed (HTTP ${res.status})`);
    } catch {
      setError('Could not reach the server; try again');
    }
    setPending(false);
  }

  return (
    <form className={styles.form} onSubmit={onSubmit} data-testid="login-form">
      <label className={styles.field}>
        <span>Email</span>
        <input name="email" type="email" autoComplete="username" required autoFocus data-testid="login-email" />
      </label>
      <label className={styles.field}>
        <span>Password</span>
        <input name="password" type="password" autoComplete="current-password" required data-testid="login-password" />
      </label>
      {error && (
        <p className={styles.error} role="alert" data-testid="login-error">
          {error}
        </p>
      )}
      <button type="submit" className={styles.submit} disabled={pending} data-testid="login-submit">
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
