'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from './_trpc/providers';
import { projectPath } from '@/server/shared/urls';

/** Name → a new project owned by the current user, then opens it. */
export function CreateProjectForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState('');
  const create = useMutation(
    trpc.projects.create.mutationOptions({
      onSuccess: (project) => {
        router.push(projectPath(project.slug));
        router.refresh();
      },
    }),
  );
  return (
    <form
      className="inline-form"
      data-testid="create-project"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) create.mutate({ name: name.trim() });
      }}
      style={{ display: 'flex', gap: 8, alignItems: 'flex-end', flexWrap: 'wrap' }}
    >
      <label style={{ display: 'flex', flexDirection: 'column', gap: 4, flex: 1, minWidth: 200 }}>
        <span className="muted small">Project name</span>
        <input
          name="name"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Support bot"
          style={{ padding: '6px 8px', border: '1px solid var(--border-strong)', borderRadius: 'var(--radius)', font: 'inherit' }}
        />
      </label>
      <button type="submit" className="button" disabled={create.isPending || !name.trim()}>
        {create.isPending ? 'Creating…' : 'Create project'}
      </button>
      {create.isError ? (
        <p className="error-box" role="alert" style={{ flexBasis: '100%', margin: 0 }}>
          {create.error.message}
        </p>
      ) : null}
    </form>
  );
}
