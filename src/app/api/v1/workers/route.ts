export { registerWorkerRoute as POST } from '@/server/rest/workers';
export const dynamic = 'force-dynamic';
