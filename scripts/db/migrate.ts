// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, or to the database
// resolvePostgres() finds (local server, else embedded). Offline; see docs/database.md.
import { migrateDatabase } from '../../src/server/db/migrations';
import { redactUrl } from '../../src/server/db/pg-admin';
import { resolvePostgres } from '../../src/server/services/postgres';

try {
  const postgres = await resolvePostgres({ log: (line) => console.log(line) });
  try {
    const started = Date.now();
    const { applied } = await migrateDatabase(postgres.url);
    const where = `${redactUrl(postgres.url)} (${postgres.source})`;
    console.log(
      applied.length > 0
        ? `Applied ${applied.length} migration(s) to ${where} in ${Date.now() - started} ms: ${applied.join(', ')}`
        : `No pending migrations: ${where} is up to date`,
    );
  } finally {
    await postgres.stop();
  }
} catch (error) {
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
