export { triggerRunsBulkRoute as POST } from '@/server/runs/bulk-rest';
export const dynamic = 'force-dynamic';
