import type { PrismaClient } from '@/server/db/client';

/**
 * Moves a run on (advance.ts's advanceRun). The layers below it whose writes can leave a run to
 * move on (a failed attempt, a run's slots freed, a resumed task that can never start) are handed
 * it by their caller instead of importing it: advanceRun itself reaches them.
 */
export type AdvanceRun = (prisma: PrismaClient, runId: string) => Promise<void>;
