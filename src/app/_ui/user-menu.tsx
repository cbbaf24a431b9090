'use client';

import { useState } from 'react';

/** The signed-in user's email and a sign-out button (for the header). */
export function UserMenu({ email }: { email: string }) {
  const [pending, setPending] = useState(false);

  async function signOut() {
    setPending(true);
    try {
      await fetch('/api/auth/logout', { method: 'POST' });
    } finally {
      // Even if the request failed, the login page is the right place to land.
      window.location.assign('/login');
    }
  }

  return (
    <div className="user-menu" data-testid="user-menu" style={{ display: 'flex', alignItems: 'center', gap: 10, fontSize: 12 }}>
      <span style={{ color: '#dfe5ec' }} title="Signed in as">
        {email}
      </span>
      <button
        type="button"
        onClick={signOut}
        disabled={pending}
        data-testid="sign-out"
        style={{
          background: 'none',
          border: '1px solid #364052',
          borderRadius: 'var(--radius)',
          color: '#b9c2cd',
          padding: '3px 9px',
          cursor: 'pointer',
          fontSize: 12,
        }}
      >
        {pending ? 'Signing out…' : 'Sign out'}
      </button>
    </div>
  );
}
