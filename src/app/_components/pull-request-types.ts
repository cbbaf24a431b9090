import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers/_app';

type Outputs = inferRouterOutputs<AppRouter>['pullRequests'];

export type PullRequestPreview = Outputs['preview'];
export type PullRequestOpened = Outputs['open'];
export type StoredPullRequest = Outputs['forRun'][number];
export type PullRequestMode = 'new' | 'push';
