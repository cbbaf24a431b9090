import type { RouterOutputs } from '@/app/_trpc/types';

type Outputs = RouterOutputs;

export type PlaygroundTaskData = Outputs['playground']['task'];
export type PlaygroundVariable = PlaygroundTaskData['variables'][number];
export type PlaygroundBatch = Outputs['playground']['batch'];
export type PlaygroundBatchVariant = PlaygroundBatch['variants'][number];
export type PlaygroundHistoryBatch = Outputs['playground']['history'][number];
/** A task run's result as the playground shows it (the source task, or a variant's re-run). */
export type PlaygroundTaskResult = PlaygroundTaskData['task'];
export type PlaygroundMode = 'STEP' | 'FROM_HERE';
