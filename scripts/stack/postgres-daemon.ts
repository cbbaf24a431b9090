// Resolves PostgreSQL for `npm start` in its own process group. When it starts
// an embedded server it stays alive holding it, so a terminal Ctrl-C (sent to
// the launcher's group) cannot stop the database before the workers and engine
// have finished; the launcher sends SIGTERM here last. Protocol: one JSON line
// on stdout `{url, source}`, progress on stderr.
import { resolvePostgres } from '../../src/server/services/postgres';

const dataDir = process.argv[2];
try {
  const postgres = await resolvePostgres({ dataDir, log: (line) => console.error(line) });
  console.log(JSON.stringify({ url: postgres.url, source: postgres.source }));
  if (postgres.source !== 'embedded') process.exit(0);
  const stop = () => void postgres.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
