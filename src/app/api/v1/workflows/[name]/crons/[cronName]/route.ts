export { deleteCronRoute as DELETE } from '@/server/rest/schedules';
export const dynamic = 'force-dynamic';
