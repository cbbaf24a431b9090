// A fake GitHub REST API for one repository, in memory, speaking the endpoints "Open pull request"
// uses in GitHub's documented shapes. Integration tests, the e2e setup and a dev script start it
// and point WHETSTONE_GITHUB_API_URL at it.
//
// Response bodies come from @octokit/fixtures recordings where one exists, with the names, shas and
// URLs filled in: get-repository (GET /repos/{o}/{r}), get-content (the file entry of GET
// contents, and the raw media type), git-refs (GET/POST/PATCH refs), create-file (the git commit
// object), errors (the 422 "Validation Failed" shape) and branch-protection (the 404 shape).
// Pull requests, blobs and trees have no recording: they follow GitHub's REST documentation.
// Trees are kept flat (full paths), which is all a commit on top of base_tree needs.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FakeGitHubOptions {
  /** The one token accepted (as `token X` or `Bearer X`); anything else is 401 Bad credentials. */
  token: string;
  owner: string;
  repo: string;
  /** The default branch's files: path → text. */
  files: Record<string, string>;
  defaultBranch?: string;
  /** A token that may read but not write (a fine-grained token without Contents: write): writes are 403. */
  readOnly?: boolean;
  port?: number;
}

export interface FakeGitHub {
  url: string;
  state: FakeRepository;
  close(): Promise<void>;
}

interface Commit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  date: string;
}

interface Pull {
  number: number;
  title: string;
  body: string | null;
  head: string;
  base: string;
  state: 'open' | 'closed';
  merged: boolean;
  createdAt: string;
  updatedAt: string;
}

type Json = Record<string, unknown>;

const fixturesDir = join(dirname(createRequire(import.meta.url).resolve('@octokit/fixtures/package.json')), 'scenarios/api.github.com');

/** The `index`-th recorded response of a scenario, with the recorded repository, host and user swapped for ours. */
function recorded(scenario: string, index: number, swap: { apiUrl: string; owner: string; repo: string }): Json {
  const text = readFileSync(join(fixturesDir, scenario, 'normalized-fixture.json'), 'utf8');
  const recording = (JSON.parse(text) as Array<{ path: string; response: unknown }>)[index]!;
  const recordedRepo = recording.path.split('/').slice(1, 4).join('/'); // "repos/<org>/<repo>"
  const swapped = JSON.stringify(recording.response)
    .replaceAll(`https://api.github.com/${recordedRepo}`, `${swap.apiUrl}/repos/${swap.owner}/${swap.repo}`)
    .replaceAll(recordedRepo.slice('repos/'.length), `${swap.owner}/${swap.repo}`)
    .replaceAll('https://api.github.com', swap.apiUrl)
    .replaceAll('octokit-fixture-org', swap.owner);
  return JSON.parse(swapped) as Json;
}

const sha1 = (text: string | Buffer) => createHash('sha1').update(text).digest('hex');
/** The sha git gives a blob. */
const blobSha = (content: Buffer) => sha1(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]));

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(body.message));
  }
}

/** The repository's objects, refs and pull requests; tests read them directly. */
export class FakeRepository {
  readonly blobs = new Map<string, Buffer>();
  /** tree sha → path → blob sha */
  readonly trees = new Map<string, Map<string, string>>();
  readonly commits = new Map<string, Commit>();
  /** 'heads/main' → commit sha */
  readonly refs = new Map<string, string>();
  readonly pulls: Pull[] = [];
  /** Every request after start: method and path. */
  readonly requests: Array<{ method: string; path: string }> = [];

  constructor(
    readonly owner: string,
    readonly repo: string,
    readonly defaultBranch: string,
    files: Record<string, string>,
  ) {
    const tree = this.putTree(new Map(Object.entries(files).map(([path, text]) => [path, this.putBlob(Buffer.from(text, 'utf8'))])));
    this.refs.set(`heads/${defaultBranch}`, this.putCommit({ tree, parents: [], message: 'Initial commit' }));
  }

  putBlob(content: Buffer): string {
    const sha = blobSha(content);
    this.blobs.set(sha, content);
    return sha;
  }

  putTree(entries: Map<string, string>): string {
    const sorted = new Map([...entries].sort(([a], [b]) => a.localeCompare(b)));
    const sha = sha1(`tree ${JSON.stringify([...sorted])}`);
    this.trees.set(sha, sorted);
    return sha;
  }

  putCommit(commit: Omit<Commit, 'sha' | 'date'>): string {
    const date = new Date().toISOString();
    const sha = sha1(`commit ${JSON.stringify({ ...commit, date, n: this.commits.size })}`);
    this.commits.set(sha, { ...commit, sha, date });
    return sha;
  }

  /** A branch name, `heads/<branch>` or a commit sha → the commit sha; undefined when unknown. */
  resolve(ref: string): string | undefined {
    if (this.commits.has(ref)) return ref;
    return this.refs.get(ref.startsWith('heads/') ? ref : `heads/${ref.replace(/^refs\//, '')}`);
  }

  /** The files (path → text) at a branch or commit. */
  files(ref = this.defaultBranch): Record<string, string> {
    const sha = this.resolve(ref);
    if (!sha) throw new Error(`fake GitHub: no branch or commit '${ref}'`);
    const tree = this.trees.get(this.commits.get(sha)!.tree)!;
    return Object.fromEntries([...tree].map(([path, blob]) => [path, this.blobs.get(blob)!.toString('utf8')]));
  }

  /** The commits of a branch, newest first (first parents). */
  history(branch: string): Commit[] {
    const out: Commit[] = [];
    for (let sha = this.resolve(branch); sha; sha = this.commits.get(sha)!.parents[0]) out.push(this.commits.get(sha)!);
    return out;
  }

  /** Simulates someone pushing to a branch: files set to null are deleted. Returns the new commit's sha. */
  push(branch: string, changes: Record<string, string | null>, message = 'Someone else’s commit'): string {
    const parent = this.resolve(branch);
    if (!parent) throw new Error(`fake GitHub: no branch '${branch}'`);
    const entries = new Map(this.trees.get(this.commits.get(parent)!.tree));
    for (const [path, text] of Object.entries(changes)) {
      if (text === null) entries.delete(path);
      else entries.set(path, this.putBlob(Buffer.from(text, 'utf8')));
    }
    const sha = this.putCommit({ tree: this.putTree(entries), parents: [parent], message });
    this.refs.set(`heads/${branch}`, sha);
    return sha;
  }

  /** Simulates someone merging or closing a pull request on github.com. */
  setPullState(number: number, state: 'merged' | 'closed'): void {
    const pull = this.pulls.find((p) => p.number === number);
    if (!pull) throw new Error(`fake GitHub: no pull request #${number}`);
    Object.assign(pull, { state: 'closed', merged: state === 'merged', updatedAt: new Date().toISOString() });
  }

  /** Everything a push or a pull request would change, to assert that nothing was. */
  snapshot(): string {
    return JSON.stringify({ refs: [...this.refs].sort(), pulls: this.pulls, commits: [...this.commits.keys()].sort() });
  }

  /** What the e2e reads over HTTP (GET /_fake/state). */
  toJSON() {
    const branches = Object.fromEntries(
      [...this.refs.keys()].map((ref) => [ref.replace(/^heads\//, ''), { sha: this.refs.get(ref), files: this.files(ref) }]),
    );
    return { owner: this.owner, repo: this.repo, defaultBranch: this.defaultBranch, branches, pulls: this.pulls };
  }
}

export async function startFakeGitHub(opts: FakeGitHubOptions): Promise<FakeGitHub> {
  const state = new FakeRepository(opts.owner, opts.repo, opts.defaultBranch ?? 'main', opts.files);
  let apiUrl = '';
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => handle(req, body))
      .then(
        (answer) => send(res, answer.status, answer.body, answer.contentType),
        (error: unknown) => {
          if (error instanceof HttpError) return send(res, error.status, error.body);
          send(res, 500, { message: `fake GitHub: ${(error as Error).message}` });
        },
      );
  });

  type Answer = { status: number; body: unknown; contentType?: string };
  const swap = () => ({ apiUrl, owner: state.owner, repo: state.repo });
  const repoUrl = () => `${apiUrl}/repos/${state.owner}/${state.repo}`;
  const htmlUrl = () => `https://github.com/${state.owner}/${state.repo}`;

  const error = (status: number, message: string, docs: string, extra: Json = {}) =>
    new HttpError(status, { message, ...extra, documentation_url: `https://docs.github.com/rest/${docs}`, status: String(status) });
  const notFound = (docs: string) => {
    // branch-protection recorded GitHub's 404 shape: { message, documentation_url }.
    const shape = recorded('branch-protection', 0, swap());
    return new HttpError(404, { ...shape, message: 'Not Found', documentation_url: `https://docs.github.com/rest/${docs}`, status: '404' });
  };
  const validationFailed = (errors: Json[], docs: string) => {
    // errors recorded GitHub's 422 shape: { message: 'Validation Failed', errors: [...], documentation_url }.
    const shape = recorded('errors', 0, swap());
    return new HttpError(422, { ...shape, errors, documentation_url: `https://docs.github.com/rest/${docs}`, status: '422' });
  };

  async function handle(req: IncomingMessage, raw: string): Promise<Answer> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/_fake/state') return { status: 200, body: state.toJSON() };
    state.requests.push({ method, path: url.pathname + url.search });

    const auth = req.headers.authorization ?? '';
    if (auth.replace(/^(token|bearer)\s+/i, '') !== opts.token || !/^(token|bearer)\s/i.test(auth)) {
      throw new HttpError(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
    }
    const match = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    if (
      !match ||
      decodeURIComponent(match[1]!).toLowerCase() !== state.owner.toLowerCase() ||
      decodeURIComponent(match[2]!).toLowerCase() !== state.repo.toLowerCase()
    ) {
      throw notFound('repos/repos#get-a-repository');
    }
    const rest = match[3] ?? '';
    const body = raw ? (JSON.parse(raw) as Json) : {};
    if (method !== 'GET' && opts.readOnly) {
      throw error(403, 'Resource not accessible by personal access token', 'git/refs#create-a-reference');
    }
    const route = `${method} ${rest.replace(/^(\/git\/refs?\/|\/contents\/|\/git\/(?:blobs|trees|commits)\/|\/pulls\/).*$/, (_, p: string) => `${p}*`)}`;
    const tail = (prefix: string) => decodeURIComponent(rest.slice(prefix.length));

    switch (route) {
      case 'GET ':
        return { status: 200, body: repository() };
      case 'GET /contents/*':
        return contents(tail('/contents/'), url.searchParams.get('ref') ?? state.defaultBranch, req.headers.accept ?? '');
      case 'GET /git/ref/*':
        return { status: 200, body: refBody(tail('/git/ref/')) };
      case 'POST /git/refs':
        return createRef(body);
      case 'PATCH /git/refs/*':
        return updateRef(tail('/git/refs/'), body);
      case 'DELETE /git/refs/*': {
        const ref = tail('/git/refs/');
        if (!state.refs.delete(ref))
          throw validationFailed([{ resource: 'Reference', code: 'missing', field: 'ref' }], 'git/refs#delete-a-reference');
        return { status: 204, body: '' };
      }
      case 'POST /git/blobs':
        return createBlob(body);
      case 'GET /git/trees/*':
        return { status: 200, body: treeBody(tail('/git/trees/')) };
      case 'POST /git/trees':
        return createTree(body);
      case 'GET /git/commits/*':
        return { status: 200, body: commitBody(tail('/git/commits/')) };
      case 'POST /git/commits':
        return createCommit(body);
      case 'GET /pulls':
        return { status: 200, body: listPulls(url.searchParams) };
      case 'POST /pulls':
        return createPull(body);
      case 'GET /pulls/*': {
        const pull = state.pulls.find((p) => p.number === Number(tail('/pulls/')));
        if (!pull) throw notFound('pulls/pulls#get-a-pull-request');
        return { status: 200, body: pullBody(pull) };
      }
      default:
        throw notFound('');
    }
  }

  function repository(): Json {
    const data = recorded('get-repository', 0, swap());
    const owner = data.owner as Json;
    return {
      ...data,
      name: state.repo,
      full_name: `${state.owner}/${state.repo}`,
      owner: { ...owner, login: state.owner },
      private: true,
      default_branch: state.defaultBranch,
      permissions: { admin: false, maintain: false, push: !opts.readOnly, triage: !opts.readOnly, pull: true },
    };
  }

  function fileEntry(path: string, blob: string, ref: string): Json {
    // get-content recorded a directory listing whose entries are GitHub's content-entry shape.
    const template = (recorded('get-content', 0, swap()) as unknown as Json[])[0]!;
    const name = path.split('/').pop()!;
    const raw = JSON.stringify(template)
      .replaceAll('93a078d1c3f76aa1ca11def8f882a06df1d4a01b', blob)
      .replaceAll('README.md?ref=master', `${path}?ref=${encodeURIComponent(ref)}`)
      .replaceAll('blob/master/README.md', `blob/${ref}/${path}`)
      .replaceAll('master/README.md', `${ref}/${path}`);
    return { ...(JSON.parse(raw) as Json), name, path, size: state.blobs.get(blob)!.length };
  }

  function contents(path: string, ref: string, accept: string): Answer {
    const commit = state.resolve(ref);
    if (!commit) throw error(404, `No commit found for the ref ${ref}`, 'repos/contents#get-repository-content');
    const tree = state.trees.get(state.commits.get(commit)!.tree)!;
    const blob = tree.get(path);
    if (blob) {
      const content = state.blobs.get(blob)!;
      // get-content recorded the raw media type too: the file's bytes as they are.
      if (accept.includes('raw'))
        return { status: 200, body: content.toString('utf8'), contentType: 'application/vnd.github.v3.raw; charset=utf-8' };
      const base64 = content.toString('base64').replace(/.{60}/g, '$&\n');
      return {
        status: 200,
        body: { ...fileEntry(path, blob, ref), content: base64.endsWith('\n') ? base64 : `${base64}\n`, encoding: 'base64' },
      };
    }
    const prefix = path ? `${path}/` : '';
    const children = new Map<string, Json>();
    for (const [file, sha] of tree) {
      if (!file.startsWith(prefix)) continue;
      const [first, ...deeper] = file.slice(prefix.length).split('/');
      const childPath = `${prefix}${first}`;
      if (!deeper.length) children.set(childPath, fileEntry(childPath, sha, ref));
      else if (!children.has(childPath))
        children.set(childPath, { ...fileEntry(file, sha, ref), name: first, path: childPath, type: 'dir', size: 0 });
    }
    if (!children.size) throw notFound('repos/contents#get-repository-content');
    return { status: 200, body: [...children.values()] };
  }

  function refBody(ref: string): Json {
    const sha = state.refs.get(ref);
    if (!sha) throw notFound('git/refs#get-a-reference');
    // git-refs recorded a reference: { ref, node_id, url, object: { sha, type, url } }.
    const template = recorded('git-refs', 1, swap());
    return {
      ...template,
      ref: `refs/${ref}`,
      url: `${repoUrl()}/git/refs/${ref}`,
      object: { sha, type: 'commit', url: `${repoUrl()}/git/commits/${sha}` },
    };
  }

  function createRef(body: Json): Answer {
    const ref = String(body.ref ?? '');
    const sha = String(body.sha ?? '');
    if (!/^refs\/heads\/.+/.test(ref)) throw error(422, `Reference name '${ref}' is not valid`, 'git/refs#create-a-reference');
    const name = ref.slice('refs/'.length);
    if (state.refs.has(name)) throw error(422, 'Reference already exists', 'git/refs#create-a-reference');
    if (!state.commits.has(sha)) throw error(422, 'Object does not exist', 'git/refs#create-a-reference');
    state.refs.set(name, sha);
    return { status: 201, body: refBody(name) };
  }

  function updateRef(ref: string, body: Json): Answer {
    const current = state.refs.get(ref);
    if (!current) throw error(422, 'Reference does not exist', 'git/refs#update-a-reference');
    const sha = String(body.sha ?? '');
    if (!state.commits.has(sha)) throw error(422, 'Object does not exist', 'git/refs#update-a-reference');
    const ancestors = new Set<string>();
    for (let s: string | undefined = sha; s; s = state.commits.get(s)?.parents[0]) ancestors.add(s);
    if (!body.force && !ancestors.has(current)) throw error(422, 'Update is not a fast forward', 'git/refs#update-a-reference');
    state.refs.set(ref, sha);
    return { status: 200, body: refBody(ref) };
  }

  function createBlob(body: Json): Answer {
    const encoding = body.encoding ?? 'utf-8';
    if (typeof body.content !== 'string' || (encoding !== 'utf-8' && encoding !== 'base64')) {
      throw validationFailed([{ resource: 'Blob', code: 'invalid', field: 'content' }], 'git/blobs#create-a-blob');
    }
    const sha = state.putBlob(Buffer.from(body.content, encoding === 'base64' ? 'base64' : 'utf8'));
    return { status: 201, body: { sha, url: `${repoUrl()}/git/blobs/${sha}` } };
  }

  function treeBody(sha: string): Json {
    const tree = state.trees.get(sha) ?? state.trees.get(state.commits.get(state.resolve(sha) ?? '')?.tree ?? '');
    if (!tree) throw notFound('git/trees#get-a-tree');
    const own = [...state.trees].find(([, t]) => t === tree)![0];
    const entries = [...tree].map(([path, blob]) => ({
      path,
      mode: '100644',
      type: 'blob',
      sha: blob,
      size: state.blobs.get(blob)!.length,
      url: `${repoUrl()}/git/blobs/${blob}`,
    }));
    return { sha: own, url: `${repoUrl()}/git/trees/${own}`, tree: entries, truncated: false };
  }

  function createTree(body: Json): Answer {
    const base = body.base_tree ? state.trees.get(String(body.base_tree)) : new Map<string, string>();
    if (!base) throw validationFailed([{ resource: 'Tree', code: 'invalid', field: 'base_tree' }], 'git/trees#create-a-tree');
    const entries = new Map(base);
    for (const item of (body.tree ?? []) as Json[]) {
      const path = String(item.path ?? '');
      if (item.sha === null) entries.delete(path);
      else if (typeof item.content === 'string') entries.set(path, state.putBlob(Buffer.from(item.content, 'utf8')));
      else if (typeof item.sha === 'string' && state.blobs.has(item.sha)) entries.set(path, item.sha);
      else throw validationFailed([{ resource: 'Tree', code: 'invalid', field: 'tree.sha' }], 'git/trees#create-a-tree');
    }
    return { status: 201, body: treeBody(state.putTree(entries)) };
  }

  function commitBody(sha: string): Json {
    const commit = state.commits.get(sha);
    if (!commit) throw notFound('git/commits#get-a-commit-object');
    // create-file recorded a git commit object: { sha, node_id, url, html_url, author, committer, tree, message, parents, verification }.
    const template = recorded('create-file', 0, swap()).commit as Json;
    const person = { ...(template.author as Json), date: commit.date };
    return {
      ...template,
      sha,
      url: `${repoUrl()}/git/commits/${sha}`,
      html_url: `${htmlUrl()}/commit/${sha}`,
      author: person,
      committer: person,
      tree: { sha: commit.tree, url: `${repoUrl()}/git/trees/${commit.tree}` },
      message: commit.message,
      parents: commit.parents.map((p) => ({ sha: p, url: `${repoUrl()}/git/commits/${p}`, html_url: `${htmlUrl()}/commit/${p}` })),
    };
  }

  function createCommit(body: Json): Answer {
    const tree = String(body.tree ?? '');
    const parents = ((body.parents ?? []) as unknown[]).map(String);
    if (!state.trees.has(tree))
      throw validationFailed([{ resource: 'Commit', code: 'invalid', field: 'tree' }], 'git/commits#create-a-commit');
    if (parents.some((p) => !state.commits.has(p)))
      throw validationFailed([{ resource: 'Commit', code: 'invalid', field: 'parents' }], 'git/commits#create-a-commit');
    const sha = state.putCommit({ tree, parents, message: String(body.message ?? '') });
    return { status: 201, body: commitBody(sha) };
  }

  function pullBody(pull: Pull): Json {
    const side = (branch: string) => ({
      label: `${state.owner}:${branch}`,
      ref: branch,
      sha: state.refs.get(`heads/${branch}`) ?? null,
      user: { login: state.owner },
      repo: { name: state.repo, full_name: `${state.owner}/${state.repo}`, url: repoUrl() },
    });
    return {
      url: `${repoUrl()}/pulls/${pull.number}`,
      id: 1000 + pull.number,
      node_id: 'MDA6RW50aXR5MQ==',
      html_url: `${htmlUrl()}/pull/${pull.number}`,
      diff_url: `${htmlUrl()}/pull/${pull.number}.diff`,
      patch_url: `${htmlUrl()}/pull/${pull.number}.patch`,
      issue_url: `${repoUrl()}/issues/${pull.number}`,
      number: pull.number,
      state: pull.state,
      locked: false,
      title: pull.title,
      user: { login: state.owner },
      body: pull.body,
      created_at: pull.createdAt,
      updated_at: pull.updatedAt,
      closed_at: pull.state === 'closed' ? pull.updatedAt : null,
      merged_at: pull.merged ? pull.updatedAt : null,
      merge_commit_sha: null,
      draft: false,
      head: side(pull.head),
      base: side(pull.base),
      merged: pull.merged,
      mergeable: null,
      comments: 0,
      commits: state.history(pull.head).length - state.history(pull.base).length,
    };
  }

  function listPulls(query: URLSearchParams): Json[] {
    const wanted = query.get('state') ?? 'open';
    const head = query.get('head');
    const base = query.get('base');
    return state.pulls
      .filter((p) => wanted === 'all' || p.state === wanted)
      .filter((p) => !head || `${state.owner}:${p.head}` === head)
      .filter((p) => !base || p.base === base)
      .sort((a, b) => b.number - a.number)
      .map(pullBody);
  }

  function createPull(body: Json): Answer {
    const docs = 'pulls/pulls#create-a-pull-request';
    const head = String(body.head ?? '').replace(new RegExp(`^${state.owner}:`), '');
    const base = String(body.base ?? '');
    if (!body.title) throw validationFailed([{ resource: 'PullRequest', code: 'missing_field', field: 'title' }], docs);
    if (!state.refs.has(`heads/${head}`)) throw validationFailed([{ resource: 'PullRequest', code: 'invalid', field: 'head' }], docs);
    if (!state.refs.has(`heads/${base}`)) throw validationFailed([{ resource: 'PullRequest', code: 'invalid', field: 'base' }], docs);
    if (state.pulls.some((p) => p.state === 'open' && p.head === head && p.base === base)) {
      throw validationFailed(
        [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${state.owner}:${head}.` }],
        docs,
      );
    }
    if (state.refs.get(`heads/${head}`) === state.refs.get(`heads/${base}`)) {
      throw validationFailed([{ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` }], docs);
    }
    const now = new Date().toISOString();
    const pull: Pull = {
      number: state.pulls.length + 1,
      title: String(body.title),
      body: typeof body.body === 'string' ? body.body : null,
      head,
      base,
      state: 'open',
      merged: false,
      createdAt: now,
      updatedAt: now,
    };
    state.pulls.push(pull);
    return { status: 201, body: pullBody(pull) };
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: apiUrl,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, contentType = 'application/json; charset=utf-8'): void {
  const text = typeof body === 'string' && !contentType.startsWith('application/json') ? body : status === 204 ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType,
    'x-github-media-type': 'github.v3; format=json',
    'x-github-request-id': '0000:00000:0000000:0000000:00000000',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
  });
  res.end(text);
}

/** The demo worker's code (examples/src/**.ts) by path relative to the repository root, as its call sites are recorded. */
export function demoSourceFiles(root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')): Record<string, string> {
  const dir = join(root, 'examples/src');
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile() && f.name.endsWith('.ts'))
      .map((f) => [relative(root, join(f.parentPath, f.name)), readFileSync(join(f.parentPath, f.name), 'utf8')]),
  );
}

/**
 * `npx tsx tests/helpers/github-server.ts [port]`: a fake GitHub holding the demo worker's code, to
 * try "Open pull request" offline (docs/pull-requests.md). GET /_fake/state shows its branches,
 * files and pull requests.
 */
async function main(): Promise<void> {
  const files = demoSourceFiles();
  const token = process.env.FAKE_GITHUB_TOKEN ?? 'github_pat_fake_dev_token';
  const fake = await startFakeGitHub({ token, owner: 'whetstone-dev', repo: 'demo', files, port: Number(process.argv[2] ?? 4010) });
  console.log(
    `Fake GitHub at ${fake.url}: repository whetstone-dev/demo (branch main, ${Object.keys(files).length} files), token ${token}`,
  );
  console.log(`Start Whetstone with WHETSTONE_GITHUB_API_URL=${fake.url}`);
  process.once('SIGINT', () => void fake.close().then(() => process.exit(0)));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
