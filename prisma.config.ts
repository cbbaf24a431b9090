import { defineConfig } from 'prisma/config';

// Used by the normal Prisma CLI (online machines). Offline, `npm run db:migrate`
// drives the wasm schema engine directly: see scripts/db/.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/whetstone' },
});
