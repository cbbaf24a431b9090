export { replayRunRoute as POST } from '@/server/rest/replay';
export const dynamic = 'force-dynamic';
