// The few GitHub REST calls "Open pull request" makes, through Octokit, with every failure turned
// into a message that says what to fix. One instance per operation (it holds the decrypted token).
import { Octokit } from '@octokit/rest';
import { DomainError, badGateway, badRequest, conflict, notFound, precondition } from '@/server/errors';

export interface GitHubTarget {
  /** The REST API's base URL (env WHETSTONE_GITHUB_API_URL). */
  apiUrl: string;
  owner: string;
  repo: string;
  baseBranch: string;
  /** Only for messages: where the worker's source root sits in the repository. */
  pathPrefix: string;
  token: string;
}

export type PullRequestState = 'OPEN' | 'CLOSED' | 'MERGED';

export interface PullRequestInfo {
  number: number;
  url: string;
  state: PullRequestState;
  /** The head branch's name. */
  branch: string;
}

/** One request to GitHub may take this long before it counts as unreachable. */
const REQUEST_TIMEOUT_MS = 20_000;
/** The mode of a regular, non-executable file in a git tree. */
const FILE_MODE = '100644';

export class GitHubRepository {
  private readonly octokit: Octokit;
  readonly fullName: string;

  constructor(private readonly target: GitHubTarget) {
    this.fullName = `${target.owner}/${target.repo}`;
    this.octokit = new Octokit({
      auth: target.token,
      baseUrl: target.apiUrl,
      userAgent: 'whetstone',
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      request: { fetch: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }) },
    });
  }

  private get repo() {
    return { owner: this.target.owner, repo: this.target.repo };
  }

  /** Read access, push permission and the base branch, each with its own answer. */
  async testAccess(): Promise<{ ok: boolean; message: string }> {
    try {
      const { data } = await this.octokit.rest.repos.get(this.repo);
      if (data.permissions && !data.permissions.push) {
        return {
          ok: false,
          message: `The token can read ${this.fullName} but cannot push to it: give it Contents (read and write) and Pull requests (read and write) permissions`,
        };
      }
      const head = await this.branchHead(this.target.baseBranch);
      if (!head)
        return {
          ok: false,
          message: `Connected to ${this.fullName}, but it has no branch '${this.target.baseBranch}': set the base branch to an existing one`,
        };
      if (this.target.pathPrefix && !(await this.exists(this.target.pathPrefix, this.target.baseBranch))) {
        return {
          ok: false,
          message: `Connected to ${this.fullName}, but '${this.target.pathPrefix}' (the path prefix) does not exist on '${this.target.baseBranch}'`,
        };
      }
      return {
        ok: true,
        message: `Connected to ${this.fullName}: the token can push; '${this.target.baseBranch}' is at ${head.slice(0, 7)}`,
      };
    } catch (error) {
      const translated = this.translate(error, 'Reading the repository');
      return { ok: false, message: translated.message };
    }
  }

  /** The commit a branch points at, or null when there is no such branch. */
  async branchHead(branch: string): Promise<string | null> {
    try {
      const { data } = await this.octokit.rest.git.getRef({ ...this.repo, ref: `heads/${branch}` });
      return data.object.sha;
    } catch (error) {
      if (statusOf(error) === 404 && (await this.repositoryVisible())) return null;
      throw this.translate(error, `Reading branch '${branch}'`);
    }
  }

  /** A text file's content at a branch or commit. */
  async readFile(path: string, ref: string, refLabel = `branch '${ref}'`): Promise<string> {
    let data: Awaited<ReturnType<Octokit['rest']['repos']['getContent']>>['data'];
    try {
      ({ data } = await this.octokit.rest.repos.getContent({ ...this.repo, path, ref }));
    } catch (error) {
      if (statusOf(error) === 404 && (await this.repositoryVisible())) {
        const prefix = this.target.pathPrefix ? `path prefix '${this.target.pathPrefix}'` : 'no path prefix';
        throw notFound(
          `File '${path}' not found at ${refLabel} in ${this.fullName} (${prefix}): the worker that ran the variant recorded a file the repository does not have there — check the path prefix in Settings → Repository`,
        );
      }
      throw this.translate(error, `Reading '${path}'`);
    }
    if (Array.isArray(data)) throw badRequest(`'${path}' is a directory in ${this.fullName}, not the source file`);
    if (data.type !== 'file') throw badRequest(`'${path}' in ${this.fullName} is a ${data.type}, not a regular file`);
    if (data.encoding !== 'base64' || typeof data.content !== 'string') {
      throw badRequest(`'${path}' in ${this.fullName} is too large for GitHub's contents API (${data.size} bytes)`);
    }
    return Buffer.from(data.content, 'base64').toString('utf8');
  }

  /** One commit on top of `parent` that replaces `files` (path → new text). Moves no branch. */
  async commitFiles(parent: string, files: ReadonlyArray<{ path: string; content: string }>, message: string): Promise<string> {
    try {
      const { data: parentCommit } = await this.octokit.rest.git.getCommit({ ...this.repo, commit_sha: parent });
      const tree = [];
      for (const file of files) {
        const { data: blob } = await this.octokit.rest.git.createBlob({
          ...this.repo,
          content: Buffer.from(file.content, 'utf8').toString('base64'),
          encoding: 'base64',
        });
        tree.push({ path: file.path, mode: FILE_MODE, type: 'blob', sha: blob.sha } as const);
      }
      const { data: newTree } = await this.octokit.rest.git.createTree({ ...this.repo, base_tree: parentCommit.tree.sha, tree });
      const { data: commit } = await this.octokit.rest.git.createCommit({ ...this.repo, message, tree: newTree.sha, parents: [parent] });
      return commit.sha;
    } catch (error) {
      throw this.translate(error, 'Creating the commit');
    }
  }

  /** A new branch at `sha`; an existing one is a conflict (never overwritten). */
  async createBranch(branch: string, sha: string): Promise<void> {
    try {
      await this.octokit.rest.git.createRef({ ...this.repo, ref: `refs/heads/${branch}`, sha });
    } catch (error) {
      if (statusOf(error) === 422 && /already exists/i.test(gitHubMessage(error))) throw branchExists(branch, this.fullName);
      throw this.translate(error, `Creating branch '${branch}'`);
    }
  }

  /** Moves an existing branch forward to `sha` (a fast-forward only: someone else's commits are never dropped). */
  async updateBranch(branch: string, sha: string): Promise<void> {
    try {
      await this.octokit.rest.git.updateRef({ ...this.repo, ref: `heads/${branch}`, sha, force: false });
    } catch (error) {
      if (statusOf(error) === 422) throw conflict(`Branch '${branch}' in ${this.fullName} moved while the commit was made: try again`);
      throw this.translate(error, `Pushing to branch '${branch}'`);
    }
  }

  /** Removes a branch Whetstone just created (when the pull request for it could not be opened). */
  async deleteBranch(branch: string): Promise<void> {
    try {
      await this.octokit.rest.git.deleteRef({ ...this.repo, ref: `heads/${branch}` });
    } catch (error) {
      throw this.translate(error, `Deleting branch '${branch}'`);
    }
  }

  async createPullRequest(pr: { title: string; body: string; branch: string; base: string }): Promise<PullRequestInfo> {
    try {
      const { data } = await this.octokit.rest.pulls.create({
        ...this.repo,
        title: pr.title,
        body: pr.body,
        head: pr.branch,
        base: pr.base,
      });
      return { number: data.number, url: data.html_url, state: stateOf(data), branch: data.head.ref };
    } catch (error) {
      throw this.translate(error, 'Opening the pull request');
    }
  }

  /** The open pull request whose head is `branch` in this repository, if any. */
  async findOpenPullRequest(branch: string): Promise<PullRequestInfo | null> {
    try {
      const { data } = await this.octokit.rest.pulls.list({
        ...this.repo,
        state: 'open',
        head: `${this.target.owner}:${branch}`,
        per_page: 1,
      });
      const pr = data[0];
      return pr ? { number: pr.number, url: pr.html_url, state: stateOf(pr), branch: pr.head.ref } : null;
    } catch (error) {
      throw this.translate(error, `Looking for a pull request from '${branch}'`);
    }
  }

  async pullRequest(number: number): Promise<PullRequestInfo> {
    try {
      const { data } = await this.octokit.rest.pulls.get({ ...this.repo, pull_number: number });
      return { number: data.number, url: data.html_url, state: stateOf(data), branch: data.head.ref };
    } catch (error) {
      throw this.translate(error, `Reading pull request #${number}`);
    }
  }

  private async exists(path: string, ref: string): Promise<boolean> {
    try {
      await this.octokit.rest.repos.getContent({ ...this.repo, path, ref });
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  /** GitHub answers 404 for a missing object and for a repository the token cannot see: tell them apart. */
  private async repositoryVisible(): Promise<boolean> {
    try {
      await this.octokit.rest.repos.get(this.repo);
      return true;
    } catch {
      return false;
    }
  }

  /** A failed call as a DomainError that names what was being done and what to fix. */
  translate(error: unknown, doing: string): DomainError {
    if (error instanceof DomainError) return error;
    const status = statusOf(error);
    const message = gitHubMessage(error);
    // Octokit reports a request that got no answer (refused, timed out, DNS) as a 500 without a response.
    if (status === undefined || !(error as { response?: unknown }).response) {
      return badGateway(`${doing}: could not reach GitHub at ${this.target.apiUrl} (${rootCause(error) ?? message})`);
    }
    if (status === 401) {
      return precondition(
        `GitHub rejected the token (401 ${message || 'Bad credentials'}): it is wrong, expired or revoked — save a new one in Settings → Repository`,
      );
    }
    if (status === 403) {
      if (/rate limit/i.test(message)) return badGateway(`${doing}: GitHub's rate limit is exhausted (403 ${message}); try again later`);
      return precondition(
        `${doing}: GitHub refused it (403 ${message}). The token needs Contents (read and write) and Pull requests (read and write) on ${this.fullName}`,
      );
    }
    if (status === 404) {
      return precondition(
        `${doing}: GitHub answered 404 — the repository ${this.fullName} does not exist or the token has no access to it`,
      );
    }
    if (status === 422) return badRequest(`${doing}: GitHub refused it (422 ${message})`);
    return badGateway(`${doing}: GitHub answered ${status} ${message}`);
  }
}

export function branchExists(branch: string, fullName: string): DomainError {
  return conflict(
    `Branch '${branch}' already exists in ${fullName}: a pull request was already opened from this variant. Push to its pull request instead, or delete the branch`,
  );
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** GitHub's `message`, with the details of a 422's `errors` list. */
function gitHubMessage(error: unknown): string {
  const data = (
    error as { response?: { data?: { message?: string; errors?: Array<{ message?: string; code?: string; field?: string }> } } }
  ).response?.data;
  const details = (data?.errors ?? []).map((e) => e.message ?? [e.field, e.code].filter(Boolean).join(' ')).filter(Boolean);
  const base = data?.message ?? (error instanceof Error ? error.message : String(error));
  return details.length ? `${base}: ${details.join('; ')}` : base;
}

/** The innermost cause's code or message ("ECONNREFUSED", "The operation was aborted due to timeout"). */
function rootCause(error: unknown): string | undefined {
  let found: string | undefined;
  for (
    let e = error as { cause?: unknown; code?: unknown; message?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (e !== error) found = typeof e.code === 'string' ? e.code : typeof e.message === 'string' ? e.message : found;
  }
  return found;
}

function stateOf(pr: { state: string; merged?: boolean | null; merged_at?: string | null }): PullRequestState {
  if (pr.merged || pr.merged_at) return 'MERGED';
  return pr.state === 'open' ? 'OPEN' : 'CLOSED';
}
