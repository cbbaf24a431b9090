'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useTRPC } from './providers';

function TransportBadge() {
  const trpc = useTRPC();
  const info = useQuery(trpc.system.info.queryOptions(undefined, { refetchInterval: 5_000 }));
  if (!info.data) {
    return (
      <span className="transport-badge" data-testid="transport" data-kind="unknown">
        {info.isError ? 'transport: unavailable' : 'transport: …'}
      </span>
    );
  }
  const { transport, database, liveWorkerCount, workflowCount } = info.data;
  return (
    <div className="header-status">
      <span
        className={`transport-badge transport-${transport.kind}`}
        data-testid="transport"
        data-kind={transport.kind}
        title={`Queue transport: ${transport.url}`}
      >
        {transport.label}
      </span>
      {database === 'ok' ? (
        <span className="header-counts" data-testid="live-workers">
          <span className={liveWorkerCount > 0 ? 'dot dot-live' : 'dot'} aria-hidden />
          {liveWorkerCount} {liveWorkerCount === 1 ? 'worker' : 'workers'} · {workflowCount}{' '}
          {workflowCount === 1 ? 'workflow' : 'workflows'}
        </span>
      ) : (
        <span className="header-counts header-alert" role="status">Database unreachable</span>
      )}
    </div>
  );
}

export function Header() {
  const pathname = usePathname();
  const onRuns = pathname === '/' || pathname.startsWith('/runs');
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden>◆</span> Whetstone
        </Link>
        <nav className="site-nav" aria-label="Main">
          <Link href="/" className={onRuns ? 'active' : undefined} aria-current={onRuns ? 'page' : undefined}>
            Runs
          </Link>
        </nav>
        <TransportBadge />
      </div>
    </header>
  );
}
