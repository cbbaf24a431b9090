export { replayRunRoute as POST } from '@/server/runs/replay-rest';
export const dynamic = 'force-dynamic';
