export { createCronRoute as POST, listCronsRoute as GET } from '@/server/schedules/rest';
export const dynamic = 'force-dynamic';
