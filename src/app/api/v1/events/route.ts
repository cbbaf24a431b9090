export { pushEventRoute as POST, listEventsRoute as GET } from '@/server/events/rest';
export const dynamic = 'force-dynamic';
