export { getRunRoute as GET } from '@/server/runs/rest';
export const dynamic = 'force-dynamic';
