import type { RouterOutputs } from '@/app/_trpc/types';

type Outputs = RouterOutputs;

export type RunDetailData = Outputs['runs']['get'];
export type TaskData = RunDetailData['tasks'][number];
export type LogLine = TaskData['logs'][number];
