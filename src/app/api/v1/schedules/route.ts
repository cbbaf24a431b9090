export { listAllSchedulesRoute as GET } from '@/server/rest/schedules';
export const dynamic = 'force-dynamic';
