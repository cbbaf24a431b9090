// `npm run db:migration:create -- <name>`: writes prisma/migrations/<timestamp>_<name>/
// from the difference between the existing migrations and prisma/schema.prisma. Offline.
import { relative } from 'node:path';
import { createMigration } from '../../src/server/db/migrations';
import { resolvePostgres } from '../../src/server/services/postgres';

const name = process.argv.slice(2).join(' ').trim();
if (!name) {
  console.error('Usage: npm run db:migration:create -- <name>   (e.g. add_worker_labels)');
  process.exitCode = 1;
} else {
  try {
    const postgres = await resolvePostgres({ log: (line) => console.log(line) });
    const created = await createMigration(name, { databaseUrl: postgres.url }).finally(() => postgres.stop());
    console.log(
      created
        ? `Created ${relative(process.cwd(), created.dir)}/migration.sql (apply it with npm run db:migrate)`
        : 'No schema changes: prisma/schema.prisma already matches prisma/migrations',
    );
  } catch (error) {
    console.error(`db:migration:create failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
