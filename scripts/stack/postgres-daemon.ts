// Resolves PostgreSQL for `npm start` in its own process group. When it starts
// an embedded server it stays alive holding it, so a terminal Ctrl-C (sent to
// the launcher's group) cannot stop the database before the workers and engine
// have finished; the launcher sends SIGTERM here last. Protocol: one JSON line
// on stdout `{url, source}`, progress on stderr.
import { resolvePostgres } from '../../src/server/services/postgres';

const dataDir = process.argv[2];
// Listening before anything starts: a stop asked for while the server initialises waits for it.
let stopAsked = false;
let stopServer: (() => Promise<void>) | undefined;
const stop = () => {
  if (stopAsked) return;
  stopAsked = true;
  if (stopServer) void stopServer().finally(() => process.exit(0));
};
// `on`, not `once`: tsx relays the signal a second time when this process is slow to acknowledge it.
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
try {
  const postgres = await resolvePostgres({ dataDir, log: (line) => console.error(line) });
  stopServer = () => postgres.stop();
  if (stopAsked || postgres.source !== 'embedded') {
    await postgres.stop();
    if (!stopAsked) console.log(JSON.stringify({ url: postgres.url, source: postgres.source }));
    process.exit(0);
  }
  console.log(JSON.stringify({ url: postgres.url, source: postgres.source }));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
