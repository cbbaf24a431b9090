export { cancelRunRoute as POST } from '@/server/rest/runs';
export const dynamic = 'force-dynamic';
