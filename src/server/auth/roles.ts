import type { Role } from '@/server/db/client';

/** What each tier of tRPC procedure needs; the authorization matrix test reads it from procedure meta. */
export type Access = 'public' | 'authenticated' | 'viewer' | 'editor' | 'owner';

const RANK: Record<Role, number> = { VIEWER: 1, EDITOR: 2, OWNER: 3 };
const NEEDED: Record<'viewer' | 'editor' | 'owner', number> = { viewer: 1, editor: 2, owner: 3 };

export function roleAllows(role: Role, access: 'viewer' | 'editor' | 'owner'): boolean {
  return RANK[role] >= NEEDED[access];
}
