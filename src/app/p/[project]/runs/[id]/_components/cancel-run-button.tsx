'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '@/app/_trpc/providers';

/** Cancels a running or queued run (editors and owners; the server refuses viewers). */
export function CancelRunButton({ project, id }: { project: string; id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cancel = useMutation(
    trpc.runs.cancel.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey({ project, id }) }),
    }),
  );
  return (
    <span className="cancel-run">
      <button
        type="button"
        className="button danger"
        data-testid="cancel-run"
        disabled={cancel.isPending}
        onClick={() => {
          if (window.confirm('Cancel this run? Queued tasks will not start and running tasks get their abort signal.'))
            cancel.mutate({ project, id });
        }}
      >
        {cancel.isPending ? 'Cancelling…' : 'Cancel run'}
      </button>
      {cancel.isError ? (
        <span className="error-text small" role="alert">
          {cancel.error.message}
        </span>
      ) : null}
    </span>
  );
}
