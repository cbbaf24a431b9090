export { stopWorkerRoute as POST } from '@/server/workers/rest';
export const dynamic = 'force-dynamic';
