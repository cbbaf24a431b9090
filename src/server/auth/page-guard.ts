import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { db } from '@/server/db/client';
import { readCookie, SESSION_COOKIE, userForSession, type SessionUser } from './sessions';

/** The signed-in user of a server-rendered page, or null. */
export async function currentUser(): Promise<SessionUser | null> {
  return userForSession(db(), readCookie((await headers()).get('cookie'), SESSION_COOKIE));
}

/** For pages: the signed-in user, or a redirect to /login that comes back to `returnTo`. */
export async function requireUser(returnTo: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(returnTo)}`);
  return user;
}
