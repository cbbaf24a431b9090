import { startProcess } from './processes';

export interface LaunchedPostgres {
  url: string;
  source: 'env' | 'local' | 'embedded';
  stop(): Promise<void>;
}

/** Runs scripts/stack/postgres-daemon.ts and waits for its answer; see there for why it is a separate process. */
export async function launchPostgres(
  root: string,
  dataDir: string,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<LaunchedPostgres> {
  // tsx as a loader, not its CLI: the CLI's parent relays signals and SIGKILLs a child slow to acknowledge one.
  const daemon = startProcess('postgres', process.execPath, ['--import', 'tsx', 'scripts/stack/postgres-daemon.ts', dataDir], {
    env: process.env,
    echo: false,
    cwd: root,
  });
  let onAbort: (() => void) | undefined;
  const answer = await new Promise<{ url: string; source: LaunchedPostgres['source'] }>((resolve, reject) => {
    let buffer = '';
    daemon.child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line));
    });
    daemon.child.stderr?.on('data', (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach(log));
    void daemon.exited.then((code) =>
      reject(
        new Error(
          daemon
            .tail()
            .split('\n')
            .filter((l) => !l.startsWith('{'))
            .at(-1) ?? `PostgreSQL resolution exited with ${code}`,
        ),
      ),
    );
    // Only while it starts: once running, the launcher stops it last, after everything using it.
    onAbort = () => void daemon.stop('SIGTERM', 20_000).then(() => reject(signal!.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
  }).finally(() => onAbort && signal?.removeEventListener('abort', onAbort));
  return { ...answer, stop: () => daemon.stop('SIGTERM', 20_000) };
}
