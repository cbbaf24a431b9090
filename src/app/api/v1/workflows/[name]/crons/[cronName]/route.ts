export { deleteCronRoute as DELETE } from '@/server/schedules/rest';
export const dynamic = 'force-dynamic';
