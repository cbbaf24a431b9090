import type { RouterOutputs } from '@/app/_trpc/types';

type Outputs = RouterOutputs['pullRequests'];

export type PullRequestPreview = Outputs['preview'];
export type PullRequestOpened = Outputs['open'];
export type StoredPullRequest = Outputs['forRun'][number];
export type PullRequestMode = 'new' | 'push';
