// Dashboard users from the command line (the dashboard manages members; this is
// for the first steps and for a forgotten password):
//   npm run user:create -- <email> [--project default] [--role owner|editor|viewer]
//   npm run user:password -- <email>
// Both print a generated password. The database is found like `npm run db:migrate`.
import { parseArgs } from 'node:util';
import { normalizeEmail } from '../src/server/auth/login';
import { hashPassword } from '../src/server/auth/password';
import { generatePassword } from '../src/server/bootstrap/owner';
import { DEFAULT_PROJECT_SLUG } from '../src/server/bootstrap/project';
import { createPrisma, type PrismaClient, type Role } from '../src/server/db/client';
import { resolvePostgres } from '../src/server/services/postgres';

const USAGE = `Usage:
  npm run user:create -- <email> [--project ${DEFAULT_PROJECT_SLUG}] [--role owner|editor|viewer]   (role defaults to viewer)
  npm run user:password -- <email>`;

class UsageError extends Error {}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const ROLES = { owner: 'OWNER', editor: 'EDITOR', viewer: 'VIEWER' } as const satisfies Record<string, Role>;

async function createUser(prisma: PrismaClient, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { project: { type: 'string', default: DEFAULT_PROJECT_SLUG }, role: { type: 'string', default: 'viewer' } },
  });
  const email = parseEmail(positionals);
  const role = ROLES[values.role.toLowerCase() as keyof typeof ROLES];
  if (!role) throw new UsageError(`Unknown role '${values.role}': use owner, editor or viewer`);
  const project = await prisma.project.findUnique({ where: { slug: values.project }, select: { id: true, slug: true } });
  if (!project) {
    const slugs = (await prisma.project.findMany({ select: { slug: true }, orderBy: { slug: 'asc' } })).map((p) => p.slug);
    throw new UsageError(`No project '${values.project}' (projects: ${slugs.join(', ') || 'none; run npm start once'})`);
  }
  if (await prisma.user.findUnique({ where: { email }, select: { id: true } })) {
    throw new UsageError(`${email} already exists; to set a new password: npm run user:password -- ${email}`);
  }
  const password = generatePassword();
  await prisma.user.create({
    data: { email, passwordHash: await hashPassword(password), memberships: { create: { projectId: project.id, role } } },
  });
  console.log(`Created ${email} (${role.toLowerCase()} of project '${project.slug}')\n\n  Email      ${email}\n  Password   ${password}\n`);
}

async function resetPassword(prisma: PrismaClient, args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const email = parseEmail(positionals);
  const user = await prisma.user.findUnique({ where: { email }, select: { id: true } });
  if (!user) throw new UsageError(`No user ${email}; to create one: npm run user:create -- ${email}`);
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  // The new password, and every existing session signed out, together.
  const [, sessions] = await prisma.$transaction([
    prisma.user.update({ where: { id: user.id }, data: { passwordHash } }),
    prisma.session.deleteMany({ where: { userId: user.id } }),
  ]);
  console.log(`New password for ${email} (${sessions.count} session(s) signed out)\n\n  Email      ${email}\n  Password   ${password}\n`);
}

function parseEmail(positionals: string[]): string {
  if (positionals.length !== 1)
    throw new UsageError(positionals.length ? `Expected one email, got: ${positionals.join(' ')}` : 'Give the email');
  const email = normalizeEmail(positionals[0]!);
  if (!EMAIL.test(email) || email.length > 320) throw new UsageError(`'${positionals[0]}' is not an email address`);
  return email;
}

const [command, ...args] = process.argv.slice(2);
const commands: Record<string, (prisma: PrismaClient, args: string[]) => Promise<void>> = { create: createUser, password: resetPassword };
const run = command ? commands[command] : undefined;
if (!run) {
  console.error(USAGE);
  process.exit(2);
}
try {
  const postgres = await resolvePostgres();
  const prisma = createPrisma(postgres.url);
  try {
    await run(prisma, args);
  } finally {
    await prisma.$disconnect();
    await postgres.stop();
  }
} catch (error) {
  console.error(
    error instanceof UsageError || error instanceof TypeError
      ? `${error.message}\n\n${USAGE}`
      : `Failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
}
