export { createScheduleRoute as POST, listSchedulesRoute as GET } from '@/server/schedules/rest';
export const dynamic = 'force-dynamic';
