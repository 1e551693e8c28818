/**
 * A GitHub REST API on loopback for the tracker tests: each request is checked against
 * GitHub's published OpenAPI document (@octokit/openapi): the operation exists, its path and
 * query parameters and its JSON body match their schemas. It answers the three issue
 * operations Loupe uses as GitHub documents them, starting from the document's own examples,
 * and checks its answers against the document too. What does not match is collected in
 * `problems`, which a test expects to stay empty.
 */
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveLocal, specChecks, withNulls, type Operation, type Spec } from './vendor-spec.ts';

let loaded: { spec: Spec; checks: ReturnType<typeof specChecks> } | undefined;

// GitHub's document, once per test file: 13 MB, its schemas referring to its components.
function githubSpec(): { spec: Spec; checks: ReturnType<typeof specChecks> } {
  if (loaded) return loaded;
  const spec = withNulls(createRequire(import.meta.url)('@octokit/openapi/generated/api.github.com.json')) as Spec;
  loaded = { spec, checks: specChecks(spec, 'github', 'GitHub') };
  return loaded;
}

/** A stored issue. */
export interface GitHubIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
  created_at: string;
  updated_at: string;
}

/** The local API. */
export interface GitHubApi {
  /** Give it to the server as `githubApiUrl`. */
  url: string;
  /** Issues by repository (`owner/name`). */
  issues: Map<string, GitHubIssue[]>;
  /** Every request, as `METHOD operationId`. */
  calls: string[];
  /** What did not match GitHub's document (requests and the answers given). */
  problems: string[];
  /** The next `count` requests get `status` (e.g. 503), without effect. */
  failNext(count: number, status: number, body?: unknown): void;
  /** The next issue made is kept, and its connection dropped before the answer: a timeout. */
  dropNextCreate(): void;
  close(): Promise<void>;
}

/** Starts the API for a token that may use `repo`. */
export async function startGitHubApi(options: { token: string; repo: string }): Promise<GitHubApi> {
  const { spec, checks } = githubSpec();
  const issues = new Map<string, GitHubIssue[]>([[options.repo, []]]);
  const calls: string[] = [];
  const problems: string[] = [];
  let failures: { count: number; status: number; body: unknown } = { count: 0, status: 0, body: null };
  let dropCreate = false;
  let base = '';

  const example = (operation: Operation, status: string): Record<string, unknown> => {
    const content = operation.responses[status]?.content?.['application/json'];
    const ref = content?.examples?.default?.$ref;
    const value = ref ? spec.components.examples![ref.split('/').pop()!]!.value : content?.examples?.default?.value;
    return structuredClone(value) as Record<string, unknown>;
  };
  const issueJson = (operation: Operation, status: string, repo: string, issue: GitHubIssue) => {
    // A list's example is a list of issues.
    const given = example(operation, status);
    const json = (Array.isArray(given) ? given[0] : given) as Record<string, unknown>;
    const url = `${base}/repos/${repo}/issues/${issue.number}`;
    return {
      ...json,
      id: 1000 + issue.number,
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      state_reason: issue.state_reason,
      labels: issue.labels.map((name, i) => ({ id: i + 1, node_id: `L${i}`, url: `${base}/repos/${repo}/labels/${name}`, name, description: null, color: 'ededed', default: false })),
      url,
      html_url: `https://github.example/${repo}/issues/${issue.number}`,
      created_at: issue.created_at,
      updated_at: issue.updated_at,
      closed_at: issue.state === 'closed' ? issue.updated_at : null,
      pull_request: undefined,
    };
  };

  const answer = (res: ServerResponse, operation: Operation | undefined, status: number, body: unknown) => {
    if (operation) checks.checkAnswer(operation, status, body, problems);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-media-type': 'github.v3' });
    res.end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, text: string) => {
    const url = new URL(req.url ?? '/', base);
    const checked = checks.checkRequest(req.method ?? 'GET', url, req.headers['content-type'] ?? '', text, problems);
    if (!checked) return answer(res, undefined, 404, { message: 'Not Found' });
    const { operation, params, body } = checked;
    calls.push(`${req.method} ${operation.operationId}`);
    const problem = (what: string) => problems.push(`${operation.operationId}: ${what}`);

    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${options.token}` && auth !== `Bearer ${options.token}`) {
      return answer(res, operation, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
    }
    if (failures.count > 0) {
      failures.count--;
      return answer(res, operation, failures.status, failures.body);
    }
    const repo = `${params.owner}/${params.repo}`;
    const list = issues.get(repo);
    if (!list) return answer(res, operation, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');

    switch (operation.operationId) {
      case 'issues/list-for-repo': {
        const since = url.searchParams.get('since');
        const state = url.searchParams.get('state') ?? 'open';
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const chosen = list
          .filter((issue) => (state === 'all' || issue.state === state) && (!since || issue.updated_at >= since))
          .sort((x, y) => y.number - x.number)
          .slice(0, perPage);
        return answer(res, operation, 200, chosen.map((issue) => issueJson(operation, '200', repo, issue)));
      }
      case 'issues/create': {
        const issue: GitHubIssue = {
          number: list.length + 1,
          title: String(body.title),
          body: String(body.body ?? ''),
          state: 'open',
          state_reason: null,
          labels: (body.labels as string[] | undefined) ?? [],
          created_at: now,
          updated_at: now,
        };
        list.push(issue);
        if (dropCreate) {
          dropCreate = false;
          return req.socket.destroy();
        }
        return answer(res, operation, 201, issueJson(operation, '201', repo, issue));
      }
      case 'issues/update': {
        const issue = list.find((i) => i.number === Number(params.issue_number));
        if (!issue) return answer(res, operation, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
        if (body.state === 'open' || body.state === 'closed') issue.state = body.state;
        if (body.state_reason !== undefined) issue.state_reason = body.state_reason as string | null;
        issue.updated_at = now;
        return answer(res, operation, 200, issueJson(operation, '200', repo, issue));
      }
      default:
        problem('not an operation this test API answers');
        return answer(res, operation, 404, { message: 'Not Found' });
    }
  };

  const served = await serveLocal(handle, problems);
  base = served.url;
  return {
    url: base,
    issues,
    calls,
    problems,
    failNext(count, status, body = { message: 'Service unavailable' }) {
      failures = { count, status, body };
    },
    dropNextCreate() {
      dropCreate = true;
    },
    close: served.close,
  };
}
