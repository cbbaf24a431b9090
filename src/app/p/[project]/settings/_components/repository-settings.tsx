'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTRPC } from '@/app/_trpc/providers';
import { RelativeTime, useNow } from '@/app/_ui/time';
import styles from './settings.module.css';

type Role = 'OWNER' | 'EDITOR' | 'VIEWER';

interface Form {
  owner: string;
  repo: string;
  baseBranch: string;
  pathPrefix: string;
  token: string;
}

const EMPTY: Form = { owner: '', repo: '', baseBranch: 'main', pathPrefix: '', token: '' };

/**
 * Settings → Repository: where "Open pull request" commits. Owners edit it; editors may test it;
 * everyone else sees it read-only. The token is write-only: the server never sends it back.
 */
export function RepositorySettings({ project, role }: { project: string; role: Role }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const now = useNow(10_000);
  const connection = useQuery(trpc.repository.get.queryOptions({ project }));
  const saved = connection.data ?? null;
  const [confirmRemove, setConfirmRemove] = useState(false);
  const isOwner = role === 'OWNER';
  const canTest = role !== 'VIEWER';

  // The form starts from what is saved, and starts over when that changes (saved, removed), not on every refetch.
  const savedVersion = saved?.updatedAt.toISOString() ?? 'none';

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.repository.get.queryKey({ project }) });
  const test = useMutation(trpc.repository.test.mutationOptions({ onSettled: refresh }));
  const save = useMutation(
    trpc.repository.save.mutationOptions({
      onMutate: () => test.reset(),
      onSuccess: refresh,
    }),
  );
  const disconnect = useMutation(
    trpc.repository.disconnect.mutationOptions({
      onMutate: () => test.reset(),
      onSuccess: refresh,
      onSettled: () => setConfirmRemove(false),
    }),
  );
  // A fresh answer, else the last one kept with the connection (with when it was given).
  const answer = test.data ?? (saved?.lastTest && !test.isError ? saved.lastTest : null);
  const answeredAt = test.data ? null : (saved?.lastTest?.at ?? null);

  return (
    <div className={styles.section} data-testid="repository">
      <div className={styles.sectionHead}>
        <h2>Repository</h2>
      </div>
      <p className={styles.hint}>
        The GitHub repository with this project&apos;s worker code. &ldquo;Open pull request&rdquo; in the playground commits new defaults
        there. The token needs <strong>Contents</strong> and <strong>Pull requests</strong> read and write access to this repository (a
        fine-grained personal access token, or a GitHub App installation token). It is stored encrypted and never shown again. The path
        prefix is where the worker&apos;s source root sits in the repository (empty: the repository root).
      </p>
      {connection.isError ? (
        <div className="error-box" role="alert">
          Could not load the repository settings: {connection.error.message}
        </div>
      ) : null}

      {isOwner && connection.isSuccess ? (
        <RepositoryForm
          key={savedVersion}
          saved={saved}
          saving={save.isPending}
          onSave={(form) => save.mutate({ project, ...form, token: form.token || undefined })}
        >
          {saved ? <TestButton pending={test.isPending} onClick={() => test.mutate({ project })} /> : null}
          {saved ? (
            confirmRemove ? (
              <>
                <span className="muted small">Remove the connection and its token?</span>
                <button
                  type="button"
                  className={styles.danger}
                  data-testid="repo-confirm-remove"
                  disabled={disconnect.isPending}
                  onClick={() => disconnect.mutate({ project })}
                >
                  Yes, remove
                </button>
                <button type="button" className={`button ${styles.small}`} onClick={() => setConfirmRemove(false)}>
                  Cancel
                </button>
              </>
            ) : (
              <button type="button" className={styles.danger} data-testid="repo-remove" onClick={() => setConfirmRemove(true)}>
                Remove
              </button>
            )
          ) : null}
        </RepositoryForm>
      ) : isOwner ? null : saved ? (
        <dl className={styles.repoSummary} data-testid="repository-readonly">
          <dt>Repository</dt>
          <dd className="mono">
            {saved.owner}/{saved.repo}
          </dd>
          <dt>Base branch</dt>
          <dd className="mono">{saved.baseBranch}</dd>
          <dt>Path prefix</dt>
          <dd className="mono">{saved.pathPrefix || <span className="muted">(repository root)</span>}</dd>
          <dt>Token</dt>
          <dd>saved</dd>
        </dl>
      ) : connection.isSuccess ? (
        <p className="muted" data-testid="repository-none">
          No repository connected. An owner of this project can connect one.
        </p>
      ) : null}

      {!isOwner && canTest && saved ? (
        <div className={styles.repoActions}>
          <TestButton pending={test.isPending} onClick={() => test.mutate({ project })} />
        </div>
      ) : null}
      {!isOwner ? (
        <p className="muted small" data-testid="repository-owner-only">
          Only owners can change the repository settings.
        </p>
      ) : null}

      {answer ? (
        <div
          className={answer.ok ? styles.testOk : styles.testFailed}
          role="status"
          data-testid="repository-test-result"
          data-ok={answer.ok ? 'true' : 'false'}
        >
          <strong>{answer.ok ? 'Connection works.' : 'Connection failed.'}</strong> {answer.message}
          {answeredAt ? (
            <span className="muted small">
              {' '}
              (tested <RelativeTime date={answeredAt} now={now} />)
            </span>
          ) : null}
        </div>
      ) : null}
      {[save, test, disconnect].map((m, i) =>
        m.isError ? (
          <div key={i} className={`error-box ${styles.alert}`} role="alert" data-testid="repository-error">
            {errorMessage(m.error)}
          </div>
        ) : null,
      )}
      {save.isSuccess && !test.data ? (
        <p className="muted small" data-testid="repository-saved">
          Saved.
        </p>
      ) : null}
    </div>
  );
}

/** The owner's form, holding what is typed until it is saved; the token field always starts empty. */
function RepositoryForm({
  saved,
  saving,
  onSave,
  children,
}: {
  saved: { owner: string; repo: string; baseBranch: string; pathPrefix: string } | null;
  saving: boolean;
  onSave: (form: Form) => void;
  children: ReactNode;
}) {
  const [form, setForm] = useState<Form>(
    saved ? { owner: saved.owner, repo: saved.repo, baseBranch: saved.baseBranch, pathPrefix: saved.pathPrefix, token: '' } : EMPTY,
  );
  const set = (field: keyof Form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [field]: e.target.value }));
  return (
    <form
      className={styles.repoForm}
      data-testid="repository-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(form);
      }}
    >
      <label className={styles.field}>
        Owner
        <input
          className={styles.input}
          data-testid="repo-owner"
          required
          maxLength={39}
          value={form.owner}
          onChange={set('owner')}
          placeholder="acme"
        />
      </label>
      <label className={styles.field}>
        Repository
        <input
          className={styles.input}
          data-testid="repo-name"
          required
          maxLength={100}
          value={form.repo}
          onChange={set('repo')}
          placeholder="support-bot"
        />
      </label>
      <label className={styles.field}>
        Base branch
        <input
          className={styles.input}
          data-testid="repo-base"
          required
          maxLength={255}
          value={form.baseBranch}
          onChange={set('baseBranch')}
        />
      </label>
      <label className={styles.field}>
        Path prefix
        <input
          className={styles.input}
          data-testid="repo-prefix"
          maxLength={500}
          value={form.pathPrefix}
          onChange={set('pathPrefix')}
          placeholder="(repository root)"
        />
      </label>
      <label className={styles.field}>
        Token
        <input
          className={styles.input}
          data-testid="repo-token"
          type="password"
          autoComplete="off"
          required={!saved}
          maxLength={1000}
          value={form.token}
          onChange={set('token')}
          placeholder={saved ? 'saved — leave empty to keep' : 'github_pat_…'}
        />
      </label>
      <div className={styles.repoActions}>
        <button type="submit" className={styles.primary} data-testid="repo-save" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        {children}
      </div>
    </form>
  );
}

/** A validation error lists what is wrong with each field; anything else is its message. */
function errorMessage(error: { message: string; data?: unknown }): string {
  const zod = (
    error.data as { zodError?: { fieldErrors?: Record<string, string[] | undefined>; formErrors?: string[] } | null } | undefined
  )?.zodError;
  if (!zod) return error.message;
  const messages = [...(zod.formErrors ?? []), ...Object.values(zod.fieldErrors ?? {}).flatMap((m) => m ?? [])];
  return messages.length ? messages.join('; ') : error.message;
}

function TestButton({ pending, onClick }: { pending: boolean; onClick: () => void }) {
  return (
    <button type="button" className="button" data-testid="repo-test" disabled={pending} onClick={onClick}>
      {pending ? 'Testing…' : 'Test connection'}
    </button>
  );
}
