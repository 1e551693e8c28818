/**
 * A GitHub REST API on loopback for the tracker tests: each request is checked against
 * GitHub's published OpenAPI document (@octokit/openapi): the operation exists, its path and
 * query parameters and its JSON body match their schemas. It answers the three issue
 * operations Loupe uses as GitHub documents them, starting from the document's own examples,
 * and checks its answers against the document too. What does not match is collected in
 * `problems`, which a test expects to stay empty.
 */
import { createRequire } from 'node:module';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Record<string, unknown>;
}
interface Operation {
  operationId: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown; examples?: Record<string, { $ref?: string; value?: unknown }> }> }>;
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, Parameter>; examples: Record<string, { value: unknown }> };
}

let loaded: { spec: Spec; ajv: Ajv } | undefined;

// OpenAPI 3.0's `nullable: true` in JSON Schema terms (ajv's own support needs a `type` beside it).
function withNulls(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withNulls);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, withNulls(value)]));
  if (nullable !== true) return out;
  if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
  return { anyOf: [out, { type: 'null' }] };
}

// GitHub's document, once per test file: 13 MB, its schemas referring to its components.
function githubSpec(): { spec: Spec; ajv: Ajv } {
  if (loaded) return loaded;
  const spec = withNulls(createRequire(import.meta.url)('@octokit/openapi/generated/api.github.com.json')) as Spec;
  // OpenAPI 3.0 schemas: `nullable`, formats, and keywords ajv does not know (examples, x-…).
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, coerceTypes: false });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'github', components: spec.components }, 'github');
  loaded = { spec, ajv };
  return loaded;
}

const validators = new Map<string, ValidateFunction>();
// A schema of the document, refs into its components resolved against the whole document.
function validatorOf(schema: unknown): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    const { ajv } = githubSpec();
    const rebased = JSON.parse(key.replaceAll('"#/components/', '"github#/components/')) as object;
    validate = ajv.compile(rebased);
    validators.set(key, validate);
  }
  return validate;
}

const resolveParameter = (p: Parameter | { $ref: string }): Parameter =>
  '$ref' in p ? githubSpec().spec.components.parameters[p.$ref.split('/').pop()!]! : p;

/** The operation a request is, with its path parameters. */
function operationOf(method: string, path: string): { template: string; operation: Operation; params: Record<string, string> } | undefined {
  for (const [template, item] of Object.entries(githubSpec().spec.paths)) {
    const operation = item[method.toLowerCase()];
    if (!operation) continue;
    const names: string[] = [];
    const pattern = new RegExp(`^${template.replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
    const match = pattern.exec(path);
    if (match) return { template, operation, params: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)])) };
  }
  return undefined;
}

// Query strings carry text: a parameter's value is read as its schema's type first.
function asTyped(value: string, schema: Record<string, unknown>): unknown {
  if (schema.type === 'integer' || schema.type === 'number') return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (schema.type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
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
  const { spec } = githubSpec();
  const issues = new Map<string, GitHubIssue[]>([[options.repo, []]]);
  const calls: string[] = [];
  const problems: string[] = [];
  let failures: { count: number; status: number; body: unknown } = { count: 0, status: 0, body: null };
  let dropCreate = false;
  let base = '';

  const example = (operation: Operation, status: string): Record<string, unknown> => {
    const content = operation.responses[status]?.content?.['application/json'];
    const ref = content?.examples?.default?.$ref;
    const value = ref ? spec.components.examples[ref.split('/').pop()!]!.value : content?.examples?.default?.value;
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
    const schema = operation?.responses[String(status)]?.content?.['application/json']?.schema;
    if (operation && schema) {
      const validate = validatorOf(schema);
      if (!validate(body)) problems.push(`our ${operation.operationId} ${status} answer: ${validate.errors?.slice(0, 3).map((e) => `${e.instancePath} ${e.message}`).join('; ')}`);
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-media-type': 'github.v3' });
    res.end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, text: string) => {
    const url = new URL(req.url ?? '/', base);
    const found = operationOf(req.method ?? 'GET', url.pathname);
    if (!found) {
      problems.push(`${req.method} ${url.pathname}: no such operation in GitHub's document`);
      return answer(res, undefined, 404, { message: 'Not Found' });
    }
    const { operation, params } = found;
    calls.push(`${req.method} ${operation.operationId}`);
    const problem = (what: string) => problems.push(`${operation.operationId}: ${what}`);

    for (const parameter of (operation.parameters ?? []).map(resolveParameter)) {
      const raw = parameter.in === 'path' ? params[parameter.name] : parameter.in === 'query' ? url.searchParams.get(parameter.name) : undefined;
      if (raw === undefined || raw === null) {
        if (parameter.required) problem(`missing ${parameter.in} parameter ${parameter.name}`);
        continue;
      }
      const validate = validatorOf(parameter.schema);
      if (!validate(asTyped(raw, parameter.schema))) problem(`${parameter.name}=${raw}: ${validate.errors?.[0]?.message}`);
    }
    const known = new Set((operation.parameters ?? []).map(resolveParameter).filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of url.searchParams.keys()) if (!known.has(name)) problem(`unknown query parameter ${name}`);

    let body: Record<string, unknown> = {};
    if (operation.requestBody) {
      const type = req.headers['content-type'] ?? '';
      if (text === '' && operation.requestBody.required) problem('missing body');
      if (text !== '') {
        if (!/^application\/json/.test(type)) problem(`body sent as ${type}`);
        body = JSON.parse(text) as Record<string, unknown>;
        const validate = validatorOf(operation.requestBody.content['application/json']!.schema);
        if (!validate(body)) problem(`body: ${validate.errors?.slice(0, 3).map((e) => `${e.instancePath} ${e.message}`).join('; ')}`);
      }
    }

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

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        problems.push(`the test API failed: ${String(error)}`);
        res.writeHead(500).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
