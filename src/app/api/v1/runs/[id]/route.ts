export { getRunRoute as GET } from '@/server/rest/runs';
export const dynamic = 'force-dynamic';
