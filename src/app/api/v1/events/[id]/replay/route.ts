export { replayEventRoute as POST } from '@/server/events/rest';
export const dynamic = 'force-dynamic';
