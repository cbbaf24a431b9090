export { replayEventRoute as POST } from '@/server/rest/events';
export const dynamic = 'force-dynamic';
