import type { PrismaClient } from '@/server/db/client';

export const DEFAULT_PROJECT_SLUG = 'default';

/** The project `npm start` and a fresh install use until users create their own. */
export async function ensureDefaultProject(prisma: PrismaClient): Promise<{ id: string; slug: string }> {
  return prisma.project.upsert({
    where: { slug: DEFAULT_PROJECT_SLUG },
    create: { slug: DEFAULT_PROJECT_SLUG, name: 'Default project' },
    update: {},
    select: { id: true, slug: true },
  });
}
