export { getEventRoute as GET } from '@/server/events/rest';
export const dynamic = 'force-dynamic';
