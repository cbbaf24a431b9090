export { createCronRoute as POST, listCronsRoute as GET } from '@/server/rest/schedules';
export const dynamic = 'force-dynamic';
