export { triggerRunRoute as POST } from '@/server/runs/rest';
export const dynamic = 'force-dynamic';
