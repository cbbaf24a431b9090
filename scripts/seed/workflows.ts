import type { PoolClient } from 'pg';

/** The seeded workflows; `share` is the fraction of runs each gets, `task` is the one TaskRun seeded per run. */
export const SEED_WORKFLOWS = [
  {
    name: 'support-reply',
    share: 0.6,
    task: 'draft',
    definition: {
      name: 'support-reply',
      kind: 'workflow',
      tasks: [
        { name: 'classify', parents: [] },
        { name: 'draft', parents: ['classify'] },
        { name: 'review', parents: ['draft'] },
      ],
      onEvents: ['ticket:created'],
      onCrons: [],
      defaultPriority: 1,
    },
  },
  {
    name: 'classify-ticket',
    share: 0.25,
    task: 'classify',
    definition: {
      name: 'classify-ticket',
      kind: 'task',
      tasks: [{ name: 'classify', parents: [] }],
      onEvents: [],
      onCrons: [],
      defaultPriority: 1,
    },
  },
  {
    name: 'refund-check',
    share: 0.15,
    task: 'check',
    definition: {
      name: 'refund-check',
      kind: 'task',
      tasks: [{ name: 'check', parents: [] }],
      onEvents: [],
      onCrons: [],
      defaultPriority: 2,
    },
  },
] as const;

export interface SeededWorkflow {
  workflowId: string;
  versionId: string;
  task: string;
}

/** Creates (or reuses) the project's seed workflows with one version each. */
export async function ensureSeedWorkflows(client: PoolClient, projectId: string): Promise<SeededWorkflow[]> {
  const out: SeededWorkflow[] = [];
  for (const wf of SEED_WORKFLOWS) {
    const {
      rows: [workflow],
    } = await client.query<{ id: string }>(
      `INSERT INTO "Workflow" (id, "projectId", name, "updatedAt") VALUES (gen_random_uuid(), $1, $2, now())
       ON CONFLICT ("projectId", name) DO UPDATE SET "updatedAt" = now() RETURNING id`,
      [projectId, wf.name],
    );
    const {
      rows: [version],
    } = await client.query<{ id: string }>(
      `INSERT INTO "WorkflowVersion" (id, "workflowId", version, checksum, definition) VALUES (gen_random_uuid(), $1, 1, 'seed', $2)
       ON CONFLICT ("workflowId", version) DO UPDATE SET version = 1 RETURNING id`,
      [workflow!.id, JSON.stringify(wf.definition)],
    );
    out.push({ workflowId: workflow!.id, versionId: version!.id, task: wf.task });
  }
  return out;
}
