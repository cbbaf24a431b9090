// The fuzz of issue 18: bad inputs to every REST route (src/app/api/v1/**/route.ts, read from disk)
// and every tRPC mutation (read from the router), against a real stack. A request may be refused
// (4xx) or served (2xx); it must never be a 5xx, and a refused one must store nothing (the row
// counts of the main tables are the same before and after it). Bounded: a fixed seed and a fixed
// number of generated cases, so a run is repeatable and takes well under a minute per transport.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import type { Whetstone, WhetstoneWorker } from '@whetstone/sdk';
import type { PrismaClient } from '../../src/server/db/client';

const API_DIR = resolve(import.meta.dirname, '../../src/app/api/v1');

export interface FuzzTarget {
  url: string;
  prisma: PrismaClient;
  apiKey: string;
  projectId: string;
  ws: Whetstone;
  /** A session cookie of an owner of the project (tRPC). */
  cookie: string;
  /** The project's slug (tRPC inputs name it). */
  project: string;
}

export interface FuzzOptions {
  /** fast-check seed (default 18, the issue). */
  seed?: number;
  /** Generated bodies per REST route and generated inputs per tRPC mutation (default 8). */
  runs?: number;
  log?: (line: string) => void;
}

export interface FuzzFinding {
  kind: '5xx' | 'half-stored';
  route: string;
  status: number;
  input: string;
  detail: string;
}

export interface FuzzReport {
  requests: number;
  serverErrors: number;
  halfStored: number;
  findings: FuzzFinding[];
  summary: string;
}

/** `METHOD /path/[param]` for every exported handler under src/app/api/v1. */
export function restRoutes(dir = API_DIR): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...restRoutes(path));
    else if (entry === 'route.ts') {
      const route = `/${relative(API_DIR, dir)}`;
      const source = readFileSync(path, 'utf8');
      for (const [, method] of source.matchAll(/\b(?:as|function|const) (GET|POST|PUT|PATCH|DELETE)\b/g)) found.push(`${method} ${route}`);
    }
  }
  return [...new Set(found)].sort();
}

/** Every tRPC mutation's path (`runs.cancel`), from the router's definition. */
export async function trpcMutations(): Promise<string[]> {
  const { appRouter } = await import('../../src/server/router');
  const out: string[] = [];
  const walk = (record: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(record)) {
      const def = (value as { _def?: { procedure?: boolean; type?: string; record?: Record<string, unknown> } })._def;
      if (def?.procedure) {
        if (def.type === 'mutation') out.push(`${prefix}${key}`);
      } else if (def?.record) walk(def.record, `${prefix}${key}.`);
      else if (value && typeof value === 'object' && !def) walk(value as Record<string, unknown>, `${prefix}${key}.`);
    }
  };
  walk(appRouter._def.record as Record<string, unknown>, '');
  return out.sort();
}

// ---- Inputs -----------------------------------------------------------------

const NUL = 'a\u0000b';
const LONE_HIGH = 'a\ud800b';
const LONE_LOW = 'a\udc00b';
const HUGE = 'k'.repeat(100_000);

/** 10k-deep JSON, as text (JSON.stringify of such a value would itself overflow in some engines). */
export const DEEP_ARRAY = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
export const DEEP_OBJECT = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;

export interface Fixture {
  workflow: string;
  runId: string;
  eventId: string;
  workerId: string;
  scheduleId: string;
  cronName: string;
}

/** A valid request for each route, the starting point of its mutations. Unknown routes get a generic one. */
function sample(route: string, f: Fixture): { path: string; body?: unknown } {
  const samples: Record<string, () => { path: string; body?: unknown }> = {
    'POST /workers': () => ({
      path: '/workers',
      body: {
        name: 'fuzz',
        workflows: [{ name: 'fuzz-reg', tasks: [{ name: 't', retries: 1 }], onEvents: ['fuzz:*'] }],
        pid: 1,
        hostname: 'h',
      },
    }),
    'POST /workers/[id]/heartbeat': () => ({ path: `/workers/${f.workerId}/heartbeat`, body: {} }),
    'POST /workers/[id]/stop': () => ({ path: `/workers/${f.workerId}/stop`, body: {} }),
    'POST /workflows/[name]/runs': () => ({
      path: `/workflows/${f.workflow}/runs`,
      body: { input: { n: 1 }, additionalMetadata: { k: 'v' }, priority: 2, idempotencyKey: 'fuzz-idem' },
    }),
    'POST /workflows/[name]/runs/bulk': () => ({
      path: `/workflows/${f.workflow}/runs/bulk`,
      body: { runs: [{ input: { n: 1 }, additionalMetadata: { k: 'v' } }, { input: {} }] },
    }),
    'GET /runs/[id]': () => ({ path: `/runs/${f.runId}` }),
    'POST /runs/[id]/cancel': () => ({ path: `/runs/${f.runId}/cancel`, body: {} }),
    'POST /runs/[id]/replay': () => ({ path: `/runs/${f.runId}/replay`, body: {} }),
    'POST /events': () => ({ path: '/events', body: { key: 'fuzz:ping', payload: { a: 1 }, additionalMetadata: { k: 'v' } } }),
    'GET /events': () => ({ path: '/events?key=fuzz:ping&limit=10' }),
    'GET /events/[id]': () => ({ path: `/events/${f.eventId}` }),
    'POST /events/[id]/replay': () => ({ path: `/events/${f.eventId}/replay`, body: {} }),
    'POST /ratelimits': () => ({ path: '/ratelimits', body: { key: 'fuzz', limit: 5, duration: 'SECOND' } }),
    'GET /ratelimits': () => ({ path: '/ratelimits' }),
    'POST /workflows/[name]/crons': () => ({
      path: `/workflows/${f.workflow}/crons`,
      body: { name: 'fuzz-cron', expression: '0 0 1 1 *', input: {}, additionalMetadata: { k: 'v' }, priority: 1 },
    }),
    'GET /workflows/[name]/crons': () => ({ path: `/workflows/${f.workflow}/crons` }),
    'DELETE /workflows/[name]/crons/[cronName]': () => ({ path: `/workflows/${f.workflow}/crons/${f.cronName}` }),
    'POST /workflows/[name]/schedules': () => ({
      path: `/workflows/${f.workflow}/schedules`,
      body: { delaySeconds: 3600, input: {}, additionalMetadata: { k: 'v' } },
    }),
    'GET /workflows/[name]/schedules': () => ({ path: `/workflows/${f.workflow}/schedules` }),
    'DELETE /schedules/[id]': () => ({ path: `/schedules/${f.scheduleId}` }),
    'GET /schedules': () => ({ path: '/schedules' }),
  };
  const known = samples[route];
  if (known) return known();
  const [method, path] = route.split(' ') as [string, string];
  return { path: path.replace(/\[[^\]]+\]/g, 'x'), body: method === 'GET' || method === 'DELETE' ? undefined : {} };
}

/** A replacement that does not apply to this leaf (a number-only one on a string, say). */
const SKIP = Symbol('skip');

/** Every way of replacing one leaf of `value` (strings and numbers included) with `replacement(leaf)`. */
function leafVariants(value: unknown, replacements: ReadonlyArray<(leaf: unknown) => unknown>): unknown[] {
  const out: unknown[] = [];
  const visit = (node: unknown, rebuild: (replaced: unknown) => unknown) => {
    if (node && typeof node === 'object') {
      const entries = Array.isArray(node) ? node.map((v, i) => [i, v] as const) : Object.entries(node);
      for (const [key, child] of entries) {
        visit(child, (replaced) => {
          const copy: any = Array.isArray(node) ? [...node] : { ...node };
          copy[key] = replaced;
          return rebuild(copy);
        });
      }
      return;
    }
    for (const replace of replacements) {
      const replaced = replace(node);
      if (replaced !== SKIP) out.push(rebuild(replaced));
    }
  };
  visit(value, (v) => v);
  return out;
}

/** Every key of every object in `value` renamed to `key` (NUL, lone surrogates, 100 KB). */
function keyVariants(value: unknown, keys: readonly string[]): unknown[] {
  const out: unknown[] = [];
  const visit = (node: unknown, rebuild: (replaced: unknown) => unknown) => {
    if (!node || typeof node !== 'object') return;
    if (!Array.isArray(node)) {
      for (const key of Object.keys(node)) {
        for (const bad of keys) {
          const copy: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(node)) copy[k === key ? bad : k] = v;
          out.push(rebuild(copy));
        }
      }
    }
    const entries = Array.isArray(node) ? node.map((v, i) => [i, v] as const) : Object.entries(node);
    for (const [key, child] of entries) {
      visit(child, (replaced) => {
        const copy: any = Array.isArray(node) ? [...node] : { ...node };
        copy[key] = replaced;
        return rebuild(copy);
      });
    }
  };
  visit(value, (v) => v);
  return out;
}

const BAD_STRINGS = [NUL, LONE_HIGH, LONE_LOW, HUGE];
const stringLeaf = (bad: string) => (leaf: unknown) => (typeof leaf === 'string' ? bad : SKIP);
const numberLeaf = (bad: unknown) => (leaf: unknown) => (typeof leaf === 'number' ? bad : SKIP);
const WRONG_TYPES: ReadonlyArray<(leaf: unknown) => unknown> = [
  () => null,
  (leaf) => (typeof leaf === 'string' ? [] : { a: 1 }),
  (leaf) => (typeof leaf === 'string' ? 12 : SKIP),
  numberLeaf('1'),
  numberLeaf(2 ** 53),
  numberLeaf(-1),
  numberLeaf(1.5),
  numberLeaf(1e308),
];

/** A request as the fuzz sends it: the body as raw text, so malformed JSON and lone surrogates go out as written. */
export interface Probe {
  route: string;
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  label: string;
}

/** JSON text with lone surrogates kept as `\ud800` escapes (JSON.stringify already does so). */
const json = (value: unknown) => JSON.stringify(value);

function restProbes(route: string, f: Fixture, runs: number, seed: number): Probe[] {
  const [method] = route.split(' ') as [string];
  const base = sample(route, f);
  const probes: Probe[] = [];
  const add = (label: string, path: string, body?: string, contentType = body === undefined ? undefined : 'application/json') =>
    probes.push({ route, method, path, body, contentType, label });

  // Paths: unknown ids, malformed percent-encoding, NUL and surrogates in path segments.
  const segments = base.path.split('?')[0]!.split('/');
  const params = route.split(' ')[1]!.split('/');
  for (let i = 1; i < segments.length; i++) {
    if (!params[i]?.startsWith('[')) continue; // a fixed segment: any other value is simply another (unknown) route
    for (const bad of ['0196a3c0-0000-7000-8000-000000000000', 'not-an-id', '%', '%E0%A4%A', '%00', '%ED%A0%80', 'k'.repeat(5000)]) {
      const replaced = [...segments];
      replaced[i] = bad;
      add(`path[${i}]=${bad.slice(0, 30)}`, replaced.join('/'), base.body === undefined ? undefined : json(base.body));
    }
  }
  // Query strings (GET lists).
  if (method === 'GET') {
    const path = base.path.split('?')[0]!;
    for (const query of [
      'limit=abc',
      'limit=1e309',
      'limit=99999999999999999999',
      'cursor=not-a-cursor',
      'key=%00',
      'key=%ED%A0%80',
      `key=${'k'.repeat(5000)}`,
      'wait=1e309',
      'wait=abc',
      'a=%E0%A4%A',
    ]) {
      add(`?${query.slice(0, 30)}`, `${path}?${query}`);
    }
    return probes;
  }
  if (base.body === undefined) return probes; // DELETE: paths only
  const body = base.body;
  // Whole bodies: malformed JSON, wrong content types, deep nesting, wrong top-level types.
  add('malformed JSON', base.path, '{"a":');
  add('truncated JSON', base.path, json(body).slice(0, -1));
  add('empty body', base.path, '');
  add('text/plain', base.path, json(body), 'text/plain');
  add('form-urlencoded', base.path, 'a=1&b=2', 'application/x-www-form-urlencoded');
  add('multipart', base.path, '--x\r\n\r\n--x--', 'multipart/form-data; boundary=x');
  add('no content type', base.path, json(body), '');
  add('10k-deep array', base.path, DEEP_ARRAY);
  add('10k-deep object', base.path, DEEP_OBJECT);
  add('10k-deep under a key', base.path, `{"input":${DEEP_OBJECT},"payload":${DEEP_OBJECT}}`);
  for (const top of ['null', '[]', '1', '"x"', 'true']) add(`top-level ${top}`, base.path, top);
  add('raw lone surrogate', base.path, `{"key":"\\ud800","name":"\\udfff","input":{"\\ud800":1}}`);
  add('NUL escape', base.path, `{"key":"\\u0000","name":"\\u0000","input":{"\\u0000":"\\u0000"}}`);
  // Leaves: bad strings in every string field, wrong types everywhere.
  for (const bad of BAD_STRINGS)
    for (const v of leafVariants(body, [stringLeaf(bad)])) add(`string leaf=${label(bad)}`, base.path, json(v));
  for (const v of leafVariants(body, WRONG_TYPES)) add('wrong type', base.path, json(v));
  for (const v of keyVariants(body, [NUL, HUGE])) add('bad key', base.path, json(v));
  // Metadata: huge key, too many keys, long value (the contract's limits).
  if (typeof body === 'object' && body && !Array.isArray(body)) {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    for (const metadata of [{ [HUGE]: 'v' }, many, { k: 'v'.repeat(1001) }, { '': 'v' }, { [NUL]: 'v' }]) {
      add('metadata', base.path, json({ ...body, additionalMetadata: metadata }));
    }
    add('unknown fields', base.path, json({ ...body, __proto__x: 1, constructor: { prototype: 1 } }));
  }
  // Generated: arbitrary JSON, and the sample with arbitrary values spliced in.
  const generated = fc.sample(
    fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record({ key: fc.string({ unit: 'binary' }), name: fc.string({ unit: 'binary' }), input: fc.jsonValue({ maxDepth: 3 }) }),
      fc
        .tuple(fc.nat({ max: Math.max(0, leafVariants(body, [() => 0]).length - 1) }), fc.jsonValue({ maxDepth: 2 }))
        .map(([i, v]) => leafVariants(body, [() => v])[i] ?? v),
      fc.dictionary(fc.string({ unit: 'binary', maxLength: 300 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 }),
    ),
    { seed: seed + hash(route), numRuns: runs },
  );
  for (const value of generated) add('generated', base.path, json(value));
  return probes;
}

function label(bad: string): string {
  if (bad === HUGE) return '100KB';
  return JSON.stringify(bad).slice(0, 20);
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return Math.abs(h);
}

function trpcProbes(path: string, project: string, runs: number, seed: number): Probe[] {
  const probes: Probe[] = [];
  const route = `tRPC ${path}`;
  const add = (label: string, body: string, contentType = 'application/json') =>
    probes.push({ route, method: 'POST', path: `/api/trpc/${path}`, body, contentType, label });
  const envelope = (input: unknown) => json({ json: input });
  const base = { project, id: '0196a3c0-0000-7000-8000-000000000000', name: 'fuzz' };
  add('empty input', envelope({}));
  add('no input', '');
  add('malformed JSON', '{"json":');
  add('text/plain', envelope(base), 'text/plain');
  add('10k-deep', `{"json":${DEEP_OBJECT}}`);
  add('10k-deep project', `{"json":{"project":"${project}","input":${DEEP_ARRAY}}}`);
  add('unknown ids', envelope(base));
  for (const bad of [NUL, LONE_HIGH, HUGE])
    for (const v of leafVariants(base, [stringLeaf(bad)])) add(`string leaf=${label(bad)}`, envelope(v));
  for (const v of leafVariants({ project, id: 'x' }, [() => null, () => [], () => 12])) add('wrong type', envelope(v));
  add('raw lone surrogate', `{"json":{"project":"${project}","name":"\\ud800","id":"\\udfff"}}`);
  const generated = fc.sample(
    fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ project: fc.constant(project), id: fc.string({ unit: 'binary' }), name: fc.string({ unit: 'binary' }) }),
      fc
        .dictionary(fc.string({ unit: 'binary', maxLength: 50 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 })
        .map((d) => ({ ...d, project })),
    ),
    { seed: seed + hash(path), numRuns: runs },
  );
  for (const value of generated) add('generated', envelope(value));
  return probes;
}

// ---- Running ----------------------------------------------------------------

/** Tables whose rows a refused request must not add or remove. */
const TABLES = [
  'Project',
  'User',
  'ProjectMember',
  'ApiKey',
  'Workflow',
  'WorkflowVersion',
  'WorkflowRun',
  'TaskRun',
  'TaskRunAttempt',
  'Worker',
  'Event',
  'Schedule',
  'RateLimit',
  'PlaygroundRun',
  'WhatIfReport',
  'RepositoryConnection',
  'PullRequest',
  'DurableStep',
] as const;

async function rowCounts(prisma: PrismaClient): Promise<Record<string, number>> {
  const sql = `select ${TABLES.map((t) => `(select count(*) from "${t}")::int as "${t}"`).join(', ')}`;
  const [row] = await prisma.$queryRawUnsafe<Array<Record<string, number>>>(sql);
  return row!;
}

function diff(before: Record<string, number>, after: Record<string, number>): string {
  return TABLES.filter((t) => before[t] !== after[t])
    .map((t) => `${t} ${before[t]} → ${after[t]}`)
    .join(', ');
}

function shownInput(probe: Probe): string {
  const body =
    probe.body === undefined
      ? ''
      : ` ${probe.body.length > 200 ? `${probe.body.slice(0, 200)}… (${probe.body.length} chars)` : probe.body}`;
  const path = probe.path.length > 200 ? `${probe.path.slice(0, 200)}…` : probe.path;
  return `${probe.label}: ${probe.method} ${path}${body}`;
}

/** Builds the fixture (a workflow with a run, an event, a cron and a schedule), stops its worker so nothing changes behind the fuzz's back. */
export async function prepareFixture(target: FuzzTarget): Promise<{ fixture: Fixture; worker: WhetstoneWorker }> {
  const wf = target.ws.workflow<{ n?: number }>({ name: 'fuzz-wf', on: { event: 'fuzz:*' } });
  wf.task({ name: 'noop', fn: () => 'ok' });
  const worker = target.ws.worker('fuzz', { workflows: [wf], handleSignals: false });
  await worker.start();
  const ref = await wf.runNoWait({});
  await ref.result();
  const pushed = await target.ws.events.push('fuzz:setup', {});
  for (const runId of pushed.runIds) await target.ws.waitForRun(runId);
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${target.url}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`fixture ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  await post('/workflows/fuzz-wf/crons', { name: 'fuzz-fixture-cron', expression: '0 0 1 1 *' });
  const schedule = await post('/workflows/fuzz-wf/schedules', { delaySeconds: 86_400 });
  await worker.stop();
  return {
    worker,
    fixture: {
      workflow: 'fuzz-wf',
      runId: ref.runId,
      eventId: pushed.eventId,
      workerId: worker.id!,
      scheduleId: schedule.id,
      cronName: 'fuzz-fixture-cron',
    },
  };
}

/** Mutations the fuzz leaves alone: they would end the session or the project it fuzzes through. */
const SKIPPED_MUTATIONS = new Set(['auth.logout', 'projects.delete']);

/** Every request of one fuzz run, in order. */
export async function buildProbes(fixture: Fixture, project: string, opts: FuzzOptions = {}): Promise<Probe[]> {
  const seed = opts.seed ?? 18;
  const runs = opts.runs ?? 8;
  const probes: Probe[] = [];
  // Destructive routes last, so the others still find the fixture.
  const weight = (r: string) => (/DELETE|\/stop$|\/cancel$/.test(r) ? 1 : 0);
  for (const route of restRoutes().sort((a, b) => weight(a) - weight(b))) probes.push(...restProbes(route, fixture, runs, seed));
  const mutations = (await trpcMutations()).filter((m) => !SKIPPED_MUTATIONS.has(m));
  const trpcWeight = (m: string) => (/remove|revoke|delete|cancel/i.test(m) ? 1 : 0);
  for (const path of mutations.sort((a, b) => trpcWeight(a) - trpcWeight(b))) probes.push(...trpcProbes(path, project, runs, seed));
  return probes;
}

export async function runFuzz(target: FuzzTarget, fixture: Fixture, opts: FuzzOptions = {}): Promise<FuzzReport> {
  const log = opts.log ?? (() => undefined);
  const probes = await buildProbes(fixture, target.project, opts);
  log(
    `[fuzz] ${probes.length} requests to ${restRoutes().length} REST routes and ${(await trpcMutations()).length - SKIPPED_MUTATIONS.size} tRPC mutations`,
  );

  const findings: FuzzFinding[] = [];
  let requests = 0;
  let counts: Record<string, number> | null = null;
  const timeByRoute = new Map<string, number>();
  for (const probe of probes) {
    const before = counts ?? (await rowCounts(target.prisma));
    counts = null;
    const isTrpc = probe.route.startsWith('tRPC ');
    const headers: Record<string, string> = isTrpc
      ? { cookie: target.cookie, origin: target.url }
      : { authorization: `Bearer ${target.apiKey}` };
    if (probe.contentType) headers['content-type'] = probe.contentType;
    let status: number;
    let text = '';
    const startedAt = Date.now();
    try {
      const res = await fetch(`${target.url}${isTrpc ? '' : '/api/v1'}${probe.path}`, { method: probe.method, headers, body: probe.body });
      status = res.status;
      text = await res.text();
    } catch (err) {
      status = 599; // the connection failed: as bad as a 500
      text = (err as Error).message;
    }
    requests++;
    timeByRoute.set(probe.route, (timeByRoute.get(probe.route) ?? 0) + Date.now() - startedAt);
    if (status < 300 && /\/(schedules|crons)$/.test(probe.path)) {
      // A schedule the fuzz created fires later and would start a run during another request: remove it now.
      const created = await target.prisma.schedule.findMany({
        where: { projectId: target.projectId, source: 'API' },
        select: { id: true, name: true },
      });
      const extra = created.filter((row) => row.id !== fixture.scheduleId && row.name !== fixture.cronName).map((row) => row.id);
      if (extra.length) await target.prisma.schedule.deleteMany({ where: { id: { in: extra } } });
    }
    if (status >= 500) {
      findings.push({ kind: '5xx', route: probe.route, status, input: shownInput(probe), detail: text.slice(0, 300) });
      log(`[fuzz] ${status} ${probe.route} ← ${shownInput(probe)}: ${text.slice(0, 200)}`);
    } else if (status >= 400) {
      const after = await rowCounts(target.prisma);
      counts = after;
      const changed = diff(before, after);
      if (changed) {
        findings.push({ kind: 'half-stored', route: probe.route, status, input: shownInput(probe), detail: changed });
        log(`[fuzz] half-stored: ${status} ${probe.route} ← ${shownInput(probe)} changed ${changed}`);
      }
    }
  }
  const serverErrors = findings.filter((f) => f.kind === '5xx').length;
  const halfStored = findings.filter((f) => f.kind === 'half-stored').length;
  const summary = `${requests} requests, ${serverErrors} 5xx, ${halfStored} half-stored`;
  const slowest = [...timeByRoute.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
  log(`[fuzz] slowest routes: ${slowest.map(([route, ms]) => `${route} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
  return { requests, serverErrors, halfStored, findings, summary };
}

/** One line per (route, input kind) with a count, for reports. */
export function groupFindings(findings: readonly FuzzFinding[]): string[] {
  const groups = new Map<string, { count: number; example: FuzzFinding }>();
  for (const f of findings) {
    const key = `${f.kind} ${f.status} ${f.route} [${f.input.split(':')[0]}]`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { count: 1, example: f });
  }
  return [...groups.entries()].map(
    ([key, g]) => `${key} ×${g.count}: ${g.example.input.slice(0, 160)} → ${g.example.detail.slice(0, 160)}`,
  );
}
