// A project's GitHub repository connection. The token is encrypted at rest and never leaves the
// server: what callers get back says only that one is saved.
import type { PrismaClient } from '@/server/db/client';
import { decryptSecret, encryptSecret } from '@/server/crypto/secrets';
import { env } from '@/server/env';
import { badRequest, precondition } from '@/server/errors';
import { GitHubRepository } from './github';
import { normalizePathPrefix } from './paths';

export interface ConnectionInput {
  owner: string;
  repo: string;
  baseBranch?: string;
  pathPrefix?: string;
  /** Required the first time; omitted or empty on an update keeps the saved one. */
  token?: string;
}

export interface ConnectionView {
  owner: string;
  repo: string;
  baseBranch: string;
  pathPrefix: string;
  hasToken: true;
  lastTest: { ok: boolean; message: string; at: Date } | null;
  updatedAt: Date;
}

export interface Connected {
  github: GitHubRepository;
  owner: string;
  repo: string;
  baseBranch: string;
  pathPrefix: string;
}

type Row = {
  owner: string;
  repo: string;
  baseBranch: string;
  pathPrefix: string;
  lastTestOk: boolean | null;
  lastTestMessage: string | null;
  lastTestedAt: Date | null;
  updatedAt: Date;
};

const viewSelect = {
  owner: true,
  repo: true,
  baseBranch: true,
  pathPrefix: true,
  lastTestOk: true,
  lastTestMessage: true,
  lastTestedAt: true,
  updatedAt: true,
} as const;

function view(row: Row): ConnectionView {
  return {
    owner: row.owner,
    repo: row.repo,
    baseBranch: row.baseBranch,
    pathPrefix: row.pathPrefix,
    hasToken: true,
    lastTest:
      row.lastTestOk === null || !row.lastTestedAt
        ? null
        : { ok: row.lastTestOk, message: row.lastTestMessage ?? '', at: row.lastTestedAt },
    updatedAt: row.updatedAt,
  };
}

export async function getConnection(prisma: PrismaClient, projectId: string): Promise<ConnectionView | null> {
  const row = await prisma.repositoryConnection.findUnique({ where: { projectId }, select: viewSelect });
  return row ? view(row) : null;
}

export async function saveConnection(prisma: PrismaClient, projectId: string, input: ConnectionInput): Promise<ConnectionView> {
  const token = input.token?.trim() || undefined;
  const fields = {
    owner: input.owner.trim(),
    repo: input.repo.trim(),
    baseBranch: input.baseBranch?.trim() || 'main',
    pathPrefix: normalizePathPrefix(input.pathPrefix ?? ''),
  };
  const encrypted = token ? encryptSecret(token) : undefined;
  // A new target or token makes the last test's answer meaningless.
  const resetTest = { lastTestOk: null, lastTestMessage: null, lastTestedAt: null };
  const updated = await prisma.repositoryConnection.updateMany({
    where: { projectId },
    data: { ...fields, ...resetTest, ...(encrypted ? { token: encrypted } : {}) },
  });
  if (!updated.count) {
    if (!encrypted)
      throw badRequest(
        'A token is needed to connect a repository: a fine-grained personal access token with Contents and Pull requests read and write',
      );
    await prisma.repositoryConnection.upsert({
      where: { projectId },
      create: { projectId, ...fields, token: encrypted },
      update: { ...fields, ...resetTest, token: encrypted },
    });
  }
  return view(await prisma.repositoryConnection.findUniqueOrThrow({ where: { projectId }, select: viewSelect }));
}

export async function removeConnection(prisma: PrismaClient, projectId: string): Promise<{ removed: boolean }> {
  const { count } = await prisma.repositoryConnection.deleteMany({ where: { projectId } });
  return { removed: count > 0 };
}

/** The project's repository with its decrypted token, or null when none is connected. */
export async function connectedRepository(prisma: PrismaClient, projectId: string): Promise<Connected | null> {
  const row = await prisma.repositoryConnection.findUnique({ where: { projectId } });
  if (!row) return null;
  let token: string;
  try {
    token = decryptSecret(row.token);
  } catch (error) {
    throw precondition(
      `The saved GitHub token cannot be used (${(error as Error).message}): save the token again in Settings → Repository`,
    );
  }
  const target = { owner: row.owner, repo: row.repo, baseBranch: row.baseBranch, pathPrefix: row.pathPrefix };
  return { ...target, github: new GitHubRepository({ ...target, token, apiUrl: env().WHETSTONE_GITHUB_API_URL }) };
}

export async function requireRepository(prisma: PrismaClient, projectId: string): Promise<Connected> {
  const connected = await connectedRepository(prisma, projectId);
  if (!connected)
    throw precondition(
      'No GitHub repository is connected to this project: an owner can connect one in Settings → Repository (or use "Download patch")',
    );
  return connected;
}

/** "Test connection": the answer is kept with the connection so the settings page shows it later. */
export async function testConnection(prisma: PrismaClient, projectId: string): Promise<{ ok: boolean; message: string }> {
  const { github } = await requireRepository(prisma, projectId);
  const result = await github.testAccess();
  await prisma.repositoryConnection.updateMany({
    where: { projectId },
    data: { lastTestOk: result.ok, lastTestMessage: result.message, lastTestedAt: new Date() },
  });
  return result;
}
