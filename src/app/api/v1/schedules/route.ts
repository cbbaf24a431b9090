export { listAllSchedulesRoute as GET } from '@/server/schedules/rest';
export const dynamic = 'force-dynamic';
