export { triggerRunsBulkRoute as POST } from '@/server/rest/runs-bulk';
export const dynamic = 'force-dynamic';
