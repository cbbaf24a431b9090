import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers/_app';

type Outputs = inferRouterOutputs<AppRouter>;

export type RunDetailData = Outputs['runs']['get'];
export type TaskData = RunDetailData['tasks'][number];
export type LogLine = TaskData['logs'][number];
