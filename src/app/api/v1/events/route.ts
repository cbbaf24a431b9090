export { pushEventRoute as POST, listEventsRoute as GET } from '@/server/rest/events';
export const dynamic = 'force-dynamic';
