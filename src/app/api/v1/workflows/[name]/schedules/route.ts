export { createScheduleRoute as POST, listSchedulesRoute as GET } from '@/server/rest/schedules';
export const dynamic = 'force-dynamic';
