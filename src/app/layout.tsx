import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { currentUser } from '@/server/auth/page-guard';
import { CspClientConfig } from './csp-client-config';
import { Header } from './_ui/header';
import { Providers } from './_trpc/providers';
import { makeQueryClient } from './_trpc/query-client';
import { HydrateClient, requestTime, trpcServer } from './_trpc/trpc-server';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Whetstone', template: '%s · Whetstone' },
  description: 'Workflow runs, tasks and logs',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  await requestTime();
  // Signed out (the login page) or the database down: a header without user, projects or counts.
  const user = await currentUser().catch((error: unknown) => {
    console.error('layout: could not read the session:', error instanceof Error ? error.message : error);
    return null;
  });
  // Its own client: the layout renders in parallel with the page, and must not
  // dehydrate (a second time) whatever the page is still fetching.
  const headerData = makeQueryClient();
  if (user) await headerData.prefetchQuery(trpcServer.system.me.queryOptions());
  return (
    <html lang="en">
      <body>
        <CspClientConfig />
        <Providers>
          <HydrateClient client={headerData}>
            <Header user={user ? { email: user.email } : null} />
          </HydrateClient>
          <main className="page">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
