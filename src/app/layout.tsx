import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Header } from './_components/header';
import { Providers } from './_components/providers';
import { makeQueryClient } from './_components/query-client';
import { HydrateClient, requestTime, trpcServer } from './_components/trpc-server';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Whetstone', template: '%s · Whetstone' },
  description: 'Workflow runs, tasks and logs',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  await requestTime();
  // Its own client: the layout renders in parallel with the page, and must not
  // dehydrate (a second time) whatever the page is still fetching.
  const headerData = makeQueryClient();
  await headerData.prefetchQuery(trpcServer.system.info.queryOptions());
  return (
    <html lang="en">
      <body>
        <Providers>
          <HydrateClient client={headerData}>
            <Header />
          </HydrateClient>
          <main className="page">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
