import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentUser } from '@/server/auth/page-guard';
import { LoginForm } from './login-form';
import { safeNext } from './safe-next';
import styles from './login.module.css';

export const metadata: Metadata = { title: 'Sign in' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const next = safeNext((await searchParams).next);
  if (await currentUser()) redirect(next);
  return (
    <div className={styles.wrap}>
      <section className={styles.card} aria-labelledby="login-title">
        <h1 id="login-title" className={styles.title}>
          Sign in to Whetstone
        </h1>
        <LoginForm next={next} />
        <p className={styles.hint}>
          <code>npm start</code> prints the first owner&rsquo;s password. Forgot yours? Ask an owner, or run{' '}
          <code>npm run user:password -- &lt;email&gt;</code> on the server.
        </p>
      </section>
    </div>
  );
}
