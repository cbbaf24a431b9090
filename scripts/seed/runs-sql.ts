// One set-based statement inserts a batch of runs (rows lo..hi of n) and their task runs:
// every random draw happens in SQL, so a million runs take minutes, not hours.

/** A uuid v7 (48-bit ms timestamp, version 7) for timestamp expression `ts`: ids sort like the runs' creation. */
export function uuidV7Sql(ts: string): string {
  return `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch from ${ts}) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid`;
}

const pick = (param: string) => `(${param})[1 + floor(random() * cardinality(${param}))::int]`;

/**
 * Parameters: $1 projectId, $2 workflow ids, $3 version ids, $4 task names, $5 cumulative workflow
 * shares, $6 lo, $7 hi, $8 n, $9 first createdAt, $10 seconds spanned, $11 filler words,
 * $12 products, $13 issues, $14 categories, $15 reply openers, $16 reply actions.
 * The newest 20 runs are QUEUED/RUNNING (a live first page); older ones mostly SUCCEEDED.
 */
export const INSERT_RUNS_SQL = `
WITH draws AS (
  SELECT i,
    $9::timestamptz + ((i - 1) * ($10::float8 / $8)) * interval '1 second' AS created,
    random() AS rs, random() AS rw, random() AS rt, random() AS rp,
    1 + floor(random() * 5000)::int AS cust,
    0.05 + random() * 2 AS queue_s,
    0.3 + random() * random() * 20 AS run_s,
    100000 + floor(random() * 900000)::int AS ticket,
    ${pick('$11::text[]')} AS w1, ${pick('$11::text[]')} AS w2, ${pick('$11::text[]')} AS w3,
    ${pick('$12::text[]')} AS product, ${pick('$13::text[]')} AS issue, ${pick('$14::text[]')} AS category,
    ${pick('$15::text[]')} AS opener, ${pick('$16::text[]')} AS action
  FROM generate_series($6::bigint, $7::bigint) AS i
), shaped AS (
  SELECT d.*,
    CASE WHEN i > $8 - 20 THEN (CASE WHEN rs < 0.5 THEN 'QUEUED' ELSE 'RUNNING' END)
         WHEN rs < 0.90 THEN 'SUCCEEDED' WHEN rs < 0.97 THEN 'FAILED' WHEN rs < 0.999 THEN 'CANCELLED' ELSE 'RUNNING' END AS status,
    (SELECT min(k) FROM generate_subscripts($5::float8[], 1) AS k WHERE rw < ($5::float8[])[k]) AS wf,
    CASE WHEN rp < 0.6 THEN 'free' WHEN rp < 0.92 THEN 'pro' ELSE 'enterprise' END AS plan
  FROM draws d
), runs AS (
  INSERT INTO "WorkflowRun" (id, "projectId", "workflowId", "workflowVersionId", status, input, output, error,
    "additionalMetadata", priority, "triggerSource", "createdAt", "startedAt", "finishedAt")
  SELECT ${uuidV7Sql('created')}, $1::uuid, ($2::uuid[])[wf], ($3::uuid[])[wf], status::"RunStatus",
    jsonb_build_object('ticketId', 'T-' || ticket, 'locale', 'en',
      'question', format('Hi, my %s %s. Details: %s, %s, %s.', product, issue, w1, w2, w3)),
    CASE WHEN status = 'SUCCEEDED' THEN jsonb_build_object('category', category,
      'reply', format('%s your %s: %s', opener, product, action), 'confidence', round((0.5 + random() / 2)::numeric, 2)) END,
    CASE status WHEN 'FAILED' THEN 'LLMError: the model returned malformed JSON (attempt 3 of 3)'
                WHEN 'CANCELLED' THEN 'Run was cancelled' END,
    jsonb_build_object('customerId', 'c' || cust, 'plan', plan),
    CASE plan WHEN 'enterprise' THEN 2 ELSE 1 END,
    (CASE WHEN rt < 0.55 THEN 'EVENT' WHEN rt < 0.95 THEN 'API' WHEN rt < 0.98 THEN 'SCHEDULE' ELSE 'CRON' END)::"TriggerSource",
    created,
    CASE WHEN status <> 'QUEUED' THEN created + queue_s * interval '1 second' END,
    CASE WHEN status IN ('SUCCEEDED', 'FAILED', 'CANCELLED') THEN created + (queue_s + run_s) * interval '1 second' END
  FROM shaped
  RETURNING id, "workflowId", status, input, output, error, "createdAt", "startedAt", "finishedAt"
)
INSERT INTO "TaskRun" (id, "workflowRunId", "taskName", parents, status, input, output, error, attempts,
  "createdAt", "queuedAt", "startedAt", "finishedAt")
SELECT ${uuidV7Sql('r."createdAt"')}, r.id, ($4::text[])[array_position($2::uuid[], r."workflowId")], '{}',
  r.status::text::"TaskStatus", r.input, r.output, r.error, CASE r.status WHEN 'FAILED' THEN 3 ELSE 1 END,
  r."createdAt", r."createdAt", r."startedAt", r."finishedAt"
FROM runs r`;
