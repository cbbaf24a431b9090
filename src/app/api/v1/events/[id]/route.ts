export { getEventRoute as GET } from '@/server/rest/events';
export const dynamic = 'force-dynamic';
