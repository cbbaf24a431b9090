'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { useTRPC } from '@/app/_trpc/providers';
import { RelativeTime, useNow } from '@/app/_ui/time';
import { RepositorySettings } from './repository-settings';
import styles from './settings.module.css';

type Role = 'OWNER' | 'EDITOR' | 'VIEWER';
const ROLES: Role[] = ['OWNER', 'EDITOR', 'VIEWER'];
const ROLE_HELP: Record<Role, string> = {
  OWNER: 'members, API keys, repository settings',
  EDITOR: 'playground runs, replays, pull requests',
  VIEWER: 'read only',
};

interface Props {
  project: { id: string; name: string; slug: string };
  role: Role;
  currentUserId: string;
}

/** Project settings: API keys, members and the GitHub repository. Controls are only shown to owners; the server checks every call anyway. */
export function SettingsView({ project, role, currentUserId }: Props) {
  const isOwner = role === 'OWNER';
  return (
    <section data-testid="settings">
      <nav className="breadcrumb">
        {project.name} / <span>Settings</span>
      </nav>
      <div className="page-title">
        <h1>Settings</h1>
        <span className={styles.role} data-testid="my-role">
          you are {role.toLowerCase()}
        </span>
      </div>
      {isOwner ? (
        <ApiKeys project={project.slug} />
      ) : (
        <div className={styles.section} data-testid="api-keys-hidden">
          <div className={styles.sectionHead}>
            <h2>API keys</h2>
          </div>
          <p className={styles.hint}>Only owners of this project can see and manage its API keys.</p>
        </div>
      )}
      <Members project={project.slug} isOwner={isOwner} currentUserId={currentUserId} />
      <RepositorySettings project={project.slug} role={role} />
    </section>
  );
}

// ---------------------------------------------------------------- API keys

function ApiKeys({ project }: { project: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const now = useNow(10_000);
  const keys = useQuery(trpc.apiKeys.list.queryOptions({ project }));
  const [dialogOpen, setDialogOpen] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey({ project }) });
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSuccess: invalidate, onSettled: () => setConfirming(null) }));

  return (
    <div className={styles.section} data-testid="api-keys">
      <div className={styles.sectionHead}>
        <h2>API keys</h2>
        <button type="button" className={styles.primary} data-testid="create-key" onClick={() => setDialogOpen(true)}>
          Create API key
        </button>
      </div>
      <p className={styles.hint}>
        Workers and scripts use a key as <code>WHETSTONE_API_KEY</code>; it acts for this project only. A key is shown once, when it is
        created. Revoking one stops it at once.
      </p>
      {keys.isError ? (
        <div className="error-box" role="alert">
          Could not load API keys: {keys.error.message}
        </div>
      ) : null}
      {keys.data && keys.data.length === 0 ? (
        <p className="muted" data-testid="api-keys-empty">
          No API keys yet.
        </p>
      ) : (
        <table className="runs-table" data-testid="api-keys-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Key</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(keys.data ?? []).map((k) => (
              <tr
                key={k.id}
                data-testid={`api-key-${k.id}`}
                data-revoked={k.revokedAt ? 'true' : 'false'}
                className={k.revokedAt ? styles.revoked : undefined}
              >
                <td>{k.name}</td>
                <td className="mono" data-testid="key-prefix">
                  {k.prefix}…
                </td>
                <td>
                  <RelativeTime date={k.createdAt} now={now} />
                </td>
                <td>{k.lastUsedAt ? <RelativeTime date={k.lastUsedAt} now={now} /> : <span className="muted">never</span>}</td>
                <td>
                  {k.revokedAt ? (
                    <span className={styles.pillRevoked} data-testid="key-status" title={k.revokedAt.toISOString()}>
                      Revoked
                    </span>
                  ) : (
                    <span className={styles.pillActive} data-testid="key-status">
                      Active
                    </span>
                  )}
                </td>
                <td>
                  {k.revokedAt ? null : (
                    <div className={styles.actions}>
                      {confirming === k.id ? (
                        <>
                          <span className="muted small">Revoke {k.name}?</span>
                          <button
                            type="button"
                            className={styles.danger}
                            data-testid="confirm-revoke"
                            disabled={revoke.isPending}
                            onClick={() => revoke.mutate({ project, id: k.id })}
                          >
                            {revoke.isPending ? 'Revoking…' : 'Yes, revoke'}
                          </button>
                          <button type="button" className={`button ${styles.small}`} onClick={() => setConfirming(null)}>
                            Cancel
                          </button>
                        </>
                      ) : (
                        <button type="button" className={styles.danger} data-testid="revoke-key" onClick={() => setConfirming(k.id)}>
                          Revoke
                        </button>
                      )}
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoke.isError ? (
        <div className={`error-box ${styles.alert}`} role="alert">
          {revoke.error.message}
        </div>
      ) : null}
      {dialogOpen ? <CreateKeyDialog project={project} onCreated={invalidate} onClose={() => setDialogOpen(false)} /> : null}
    </div>
  );
}

async function copyText(text: string, fallback: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Not a secure context (plain http on a LAN address): select the text and use the old command.
    if (!fallback) return false;
    const range = document.createRange();
    range.selectNodeContents(fallback);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    return document.execCommand('copy');
  }
}

function CreateKeyDialog({ project, onCreated, onClose }: { project: string; onCreated: () => void; onClose: () => void }) {
  const trpc = useTRPC();
  const [name, setName] = useState('');
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const keyRef = useRef<HTMLElement>(null);
  const create = useMutation(trpc.apiKeys.create.mutationOptions({ onSuccess: onCreated }));
  const created = create.data;

  return (
    <div className={styles.backdrop} onKeyDown={(e) => e.key === 'Escape' && !created && onClose()}>
      <div role="dialog" aria-modal="true" aria-labelledby="new-key-title" className={styles.dialog} data-testid="new-key-dialog">
        {created ? (
          <>
            <h2 id="new-key-title">API key “{created.name}” created</h2>
            <p className={styles.warning} data-testid="key-once-warning">
              Copy it now: <strong>you will not see it again</strong>. Only a hash is stored; if you lose it, revoke it and create another.
            </p>
            <div className={styles.keyBox}>
              <code className={styles.keyText} ref={keyRef} data-testid="new-key">
                {created.key}
              </code>
              <button
                type="button"
                className="button"
                data-testid="copy-key"
                onClick={async () => setCopied((await copyText(created.key, keyRef.current)) ? 'yes' : 'no')}
              >
                {copied === 'yes' ? 'Copied' : 'Copy'}
              </button>
            </div>
            {copied === 'no' ? <p className="muted small">Could not copy automatically: select the key and copy it.</p> : null}
            <p className="muted small">
              Use it as <code>WHETSTONE_API_KEY={created.prefix}…</code> in your worker&apos;s environment.
            </p>
            <div className={styles.dialogActions}>
              <button type="button" className={styles.primary} data-testid="close-key-dialog" onClick={onClose} autoFocus>
                Done
              </button>
            </div>
          </>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (name.trim()) create.mutate({ project, name: name.trim() });
            }}
          >
            <h2 id="new-key-title">Create API key</h2>
            <label className={styles.field}>
              Name (where it is used, e.g. “production worker”)
              <input
                className={styles.input}
                data-testid="key-name"
                autoFocus
                required
                maxLength={100}
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            </label>
            {create.isError ? (
              <div className={`error-box ${styles.alert}`} role="alert">
                {create.error.message}
              </div>
            ) : null}
            <div className={styles.dialogActions}>
              <button type="button" className="button" onClick={onClose}>
                Cancel
              </button>
              <button type="submit" className={styles.primary} data-testid="submit-key" disabled={create.isPending || !name.trim()}>
                {create.isPending ? 'Creating…' : 'Create key'}
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}

// ---------------------------------------------------------------- members

function Members({ project, isOwner, currentUserId }: { project: string; isOwner: boolean; currentUserId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.members.list.queryOptions({ project }));
  const [email, setEmail] = useState('');
  const [newRole, setNewRole] = useState<Role>('VIEWER');
  const [confirming, setConfirming] = useState<string | null>(null);
  const refresh = async (userId?: string) => {
    await queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey({ project }) });
    // My own role changed: the server page decides again what I may see (or that I am no longer a member).
    if (userId === currentUserId) {
      await queryClient.invalidateQueries({ queryKey: trpc.system.me.queryKey() });
      router.refresh();
    }
  };
  // One message for the section: the latest action's error, cleared when the next one starts.
  const [error, setError] = useState<string | null>(null);
  const report = { onMutate: () => setError(null), onError: (e: { message: string }) => setError(e.message) };
  const add = useMutation(
    trpc.members.add.mutationOptions({
      ...report,
      onSuccess: () => {
        setEmail('');
        return refresh();
      },
    }),
  );
  const setRole = useMutation(trpc.members.setRole.mutationOptions({ ...report, onSuccess: (r) => refresh(r.userId) }));
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      ...report,
      onSuccess: (r) => (r.userId === currentUserId ? router.push('/') : refresh()),
      onSettled: () => setConfirming(null),
    }),
  );

  return (
    <div className={styles.section} data-testid="members">
      <div className={styles.sectionHead}>
        <h2>Members</h2>
      </div>
      <p className={styles.hint}>
        Owner: {ROLE_HELP.OWNER}. Editor: {ROLE_HELP.EDITOR}. Viewer: {ROLE_HELP.VIEWER}.
      </p>
      {members.isError ? (
        <div className="error-box" role="alert">
          Could not load members: {members.error.message}
        </div>
      ) : null}
      <table className="runs-table" data-testid="members-table">
        <thead>
          <tr>
            <th>Email</th>
            <th>Name</th>
            <th>Role</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(members.data ?? []).map((m) => (
            <tr key={m.userId} data-testid={`member-${m.email}`} data-role={m.role}>
              <td>
                {m.email}
                {m.userId === currentUserId ? <span className={styles.you}>(you)</span> : null}
              </td>
              <td>{m.name ?? <span className="muted">—</span>}</td>
              <td>
                {isOwner ? (
                  <select
                    className={styles.select}
                    aria-label={`Role of ${m.email}`}
                    data-testid="member-role"
                    value={m.role}
                    disabled={setRole.isPending}
                    onChange={(e) => setRole.mutate({ project, userId: m.userId, role: e.target.value as Role })}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r.toLowerCase()}
                      </option>
                    ))}
                  </select>
                ) : (
                  <span className={styles.role}>{m.role.toLowerCase()}</span>
                )}
              </td>
              <td>
                {isOwner ? (
                  <div className={styles.actions}>
                    {confirming === m.userId ? (
                      <>
                        <span className="muted small">{m.userId === currentUserId ? 'Leave this project?' : `Remove ${m.email}?`}</span>
                        <button
                          type="button"
                          className={styles.danger}
                          data-testid="confirm-remove"
                          disabled={remove.isPending}
                          onClick={() => remove.mutate({ project, userId: m.userId })}
                        >
                          Yes, remove
                        </button>
                        <button type="button" className={`button ${styles.small}`} onClick={() => setConfirming(null)}>
                          Cancel
                        </button>
                      </>
                    ) : (
                      <button type="button" className={styles.danger} data-testid="remove-member" onClick={() => setConfirming(m.userId)}>
                        Remove
                      </button>
                    )}
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {isOwner ? (
        <form
          className={styles.form}
          data-testid="add-member"
          onSubmit={(e) => {
            e.preventDefault();
            if (email.trim()) add.mutate({ project, email: email.trim(), role: newRole });
          }}
        >
          <label className={styles.field}>
            Add an existing user by email
            <input
              className={styles.input}
              type="email"
              required
              maxLength={320}
              data-testid="member-email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              placeholder="someone@example.com"
            />
          </label>
          <label className={styles.field}>
            Role
            <select
              className={styles.select}
              data-testid="member-new-role"
              value={newRole}
              onChange={(e) => setNewRole(e.target.value as Role)}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r.toLowerCase()}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className={styles.primary} data-testid="add-member-submit" disabled={add.isPending || !email.trim()}>
            {add.isPending ? 'Adding…' : 'Add member'}
          </button>
        </form>
      ) : null}
      {error ? (
        <div className={`error-box ${styles.alert}`} role="alert" data-testid="members-error">
          {error}
        </div>
      ) : null}
    </div>
  );
}
