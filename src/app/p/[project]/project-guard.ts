import { notFound } from 'next/navigation';
import { cache } from 'react';
import { requireUser } from '@/server/auth/page-guard';
import { db, type Role } from '@/server/db/client';

export interface ProjectPage {
  user: { id: string; email: string; name: string | null };
  project: { id: string; name: string; slug: string };
  role: Role;
}

/**
 * For pages under /p/<slug>: the signed-in user (else a redirect to /login that
 * comes back to `returnTo`) and their membership of the project. A project the
 * user is not a member of is a plain 404, exactly like one that does not exist.
 * Cached per request, so a layout and a page may both call it.
 */
export const requireProject = cache(async (slug: string, returnTo: string): Promise<ProjectPage> => {
  const user = await requireUser(returnTo);
  if (slug.length > 100) notFound();
  const membership = await db().projectMember.findFirst({
    where: { userId: user.id, project: { slug } },
    select: { role: true, project: { select: { id: true, name: true, slug: true } } },
  });
  if (!membership) notFound();
  return { user, project: membership.project, role: membership.role };
});
