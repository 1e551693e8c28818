/**
 * A Jira Cloud REST API v3 on loopback for the tracker tests: each request is checked against
 * Atlassian's published OpenAPI document of the Jira Cloud platform REST API (the parts Loupe
 * uses, fixtures/jira-platform-v3.json, where it came from said in its `x-source`), and each
 * answer too, built from the document's own examples. The document leaves an issue's fields
 * open, so the description is checked as ADF against Atlassian's ADF JSON schema
 * (fixtures/adf-schema-v1-full.json) and by hand (doc version 1, the node types and marks
 * allowed where they stand, http(s) links), and the fields against the project.
 * A small workflow moves issues between statuses by transitions, and, like Jira, it may tell
 * a registered webhook of each status change, signed with its secret (X-Hub-Signature). What
 * does not match is collected in `problems`, which a test expects to stay empty.
 */
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Ajv, type ValidateFunction } from 'ajv';
import { serveLocal, specChecks, withNulls, type Operation, type Spec } from './vendor-spec.ts';

/** A stored issue. */
export interface JiraIssue {
  id: string;
  key: string;
  summary: string;
  issueType: string;
  description: unknown;
  labels: string[];
  status: string;
}

/** The local API. */
export interface JiraApi {
  /** Give it to the connection as `siteUrl`. */
  url: string;
  issues: JiraIssue[];
  /** Every request, as `METHOD operationId`. */
  calls: string[];
  /** What did not match Atlassian's document (requests and the answers given), or ADF. */
  problems: string[];
  /** What the webhook was told, each status change with the status it answered. */
  told: { status: string; answer: number }[];
  /** The next `count` requests get `status` (e.g. 503), without effect. */
  failNext(count: number, status: number, body?: unknown): void;
  /** The next issue made is kept, and its connection dropped before the answer: a timeout. */
  dropNextCreate(): void;
  /** Tells this webhook of each status change from now on, as Jira does for a webhook an admin registers. */
  registerHook(url: string, secret: string): void;
  /** Moves an issue as someone in Jira would, telling the webhook. */
  moveAs(key: string, status: string): Promise<void>;
  close(): Promise<void>;
}

let checks: ReturnType<typeof specChecks> | undefined;
const spec = () => withNulls(createRequire(import.meta.url)('./fixtures/jira-platform-v3.json')) as Spec;
const example = (operation: Operation, status: string) => JSON.parse(String(operation.responses[status]!.content!['application/json']!.example)) as Record<string, any>;

// ADF (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/): which nodes may hold which.
const BLOCK = ['paragraph', 'heading', 'bulletList', 'orderedList', 'blockquote', 'codeBlock', 'rule'];
const INLINE = ['text', 'hardBreak'];
const CHILDREN: Record<string, string[]> = {
  doc: BLOCK,
  paragraph: INLINE,
  heading: INLINE,
  bulletList: ['listItem'],
  orderedList: ['listItem'],
  listItem: ['paragraph', 'bulletList', 'orderedList', 'codeBlock'],
  blockquote: ['paragraph', 'bulletList', 'orderedList', 'codeBlock'],
  codeBlock: ['text'],
  rule: [],
  hardBreak: [],
};
const MARKS = ['strong', 'em', 'code', 'strike', 'underline', 'link'];

let adfSchema: ValidateFunction | undefined;
/** What Atlassian's ADF JSON schema (fixtures/adf-schema-v1-full.json) finds wrong with a document. */
export function adfSchemaProblems(doc: unknown): string[] {
  adfSchema ??= new Ajv({ strict: false, allErrors: true }).compile(createRequire(import.meta.url)('./fixtures/adf-schema-v1-full.json') as object);
  return adfSchema(doc) ? [] : [`description: not ADF as Atlassian's schema has it (${adfSchema.errors?.length} complaints, e.g. ${adfSchema.errors?.[0]?.instancePath} ${adfSchema.errors?.[0]?.message})`];
}

/** What is wrong with an ADF document, at which path, checked by hand: what Jira needs beyond the schema (a link's http(s) address), in plainer words. */
export function adfProblems(doc: unknown): string[] {
  const problems: string[] = [];
  const root = doc as { type?: unknown; version?: unknown };
  if (root?.type !== 'doc' || root.version !== 1) problems.push('description: not an ADF doc of version 1');
  const walk = (node: Record<string, any>, path: string) => {
    const allowed = CHILDREN[node.type];
    if (node.type === 'text') {
      if (typeof node.text !== 'string' || node.text === '') problems.push(`${path}: a text node needs non-empty text`);
      for (const mark of node.marks ?? []) {
        if (!MARKS.includes(mark.type)) problems.push(`${path}: unknown mark ${mark.type}`);
        if (mark.type === 'link' && !/^https?:\/\//.test(String(mark.attrs?.href))) problems.push(`${path}: a link needs an http(s) href`);
      }
      return;
    }
    if (!allowed) return void problems.push(`${path}: unknown node ${String(node.type)}`);
    if (node.type === 'heading' && ![1, 2, 3, 4, 5, 6].includes(node.attrs?.level)) problems.push(`${path}: a heading needs a level 1 to 6`);
    if (['bulletList', 'orderedList', 'listItem', 'blockquote'].includes(node.type) && !node.content?.length) problems.push(`${path}: ${node.type} needs content`);
    if (node.type === 'codeBlock') for (const child of node.content ?? []) if (child.marks?.length) problems.push(`${path}: no marks in a codeBlock`);
    (node.content ?? []).forEach((child: Record<string, any>, i: number) => {
      if (!allowed.includes(child?.type)) problems.push(`${path}/${i}: ${String(child?.type)} may not be in ${node.type}`);
      else walk(child, `${path}/${i}`);
    });
  };
  if (problems.length === 0) walk(doc as Record<string, any>, 'description');
  return problems;
}

/** Starts the API for an account (`email`, `token`) that may use `projectKey` with its workflow's statuses (the first is where issues start). */
export async function startJiraApi(options: { email: string; token: string; projectKey: string; statuses?: string[]; issueTypes?: string[] }): Promise<JiraApi> {
  checks ??= specChecks(spec(), 'jira', 'Atlassian');
  const { checkRequest, checkAnswer } = checks;
  const statuses = options.statuses ?? ['To Do', 'In Progress', 'Done'];
  const issueTypes = options.issueTypes ?? ['Task', 'Bug'];
  const issues: JiraIssue[] = [];
  const calls: string[] = [];
  const told: JiraApi['told'] = [];
  const problems: string[] = [];
  let failures = { count: 0, status: 0, body: null as unknown };
  let dropCreate = false;
  let hook: { url: string; secret: string } | undefined;
  let base = '';
  const issueOf = (key: string) => issues.find((issue) => issue.key === key || issue.id === key);
  const statusJson = (name: string) => {
    const id = String(10000 + statuses.indexOf(name));
    const category = statuses.indexOf(name) === 0 ? { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' } : name === statuses.at(-1) ? { id: 3, key: 'done', name: 'Done', colorName: 'green' } : { id: 4, key: 'indeterminate', name: 'In Progress', colorName: 'yellow' };
    return { id, name, description: '', iconUrl: `${base}/images/icons/status.gif`, self: `${base}/rest/api/3/status/${id}`, statusCategory: { ...category, self: `${base}/rest/api/3/statuscategory/${category.id}` } };
  };

  // Jira's webhook body for a status change (https://developer.atlassian.com/cloud/jira/platform/webhooks/#example-callback-for-an-issue-related-event).
  const tell = async (issue: JiraIssue, from: string) => {
    if (!hook) return;
    const body = JSON.stringify({
      timestamp: Date.now(),
      webhookEvent: 'jira:issue_updated',
      issue_event_type_name: 'issue_generic',
      user: { self: `${base}/rest/api/2/user?accountId=5b10a2844c20165700ede21g`, accountId: '5b10a2844c20165700ede21g', displayName: options.email, active: true, timeZone: 'UTC', accountType: 'atlassian' },
      issue: { id: issue.id, self: `${base}/rest/api/2/${issue.id}`, key: issue.key, fields: { summary: issue.summary, labels: issue.labels, status: statusJson(issue.status) } },
      changelog: { id: String(Date.now()), items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', from: statusJson(from).id, fromString: from, to: statusJson(issue.status).id, toString: issue.status }] },
    });
    const signature = `sha256=${createHmac('sha256', hook.secret).update(body).digest('hex')}`;
    const res = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature': signature, 'x-atlassian-webhook-identifier': String(Date.now()) }, body });
    told.push({ status: issue.status, answer: res.status });
  };

  const answer = (res: ServerResponse, operation: Operation | undefined, status: number, body?: unknown) => {
    if (operation) checkAnswer(operation, status, body, problems);
    if (body === undefined) return res.writeHead(status).end();
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
    res.end(JSON.stringify(body));
  };
  const refusal = (messages: string[], errors: Record<string, string> = {}) => ({ errorMessages: messages, errors });

  const handle = (req: IncomingMessage, res: ServerResponse, text: string) => {
    const url = new URL(req.url ?? '/', base);
    const checked = checkRequest(req.method ?? 'GET', url, req.headers['content-type'] ?? '', text, problems);
    if (!checked) return answer(res, undefined, 404, refusal(['Not found']));
    const { operation, params, body } = checked;
    calls.push(`${req.method} ${operation.operationId}`);
    const problem = (what: string) => problems.push(`${operation.operationId}: ${what}`);

    if (req.headers.authorization !== `Basic ${Buffer.from(`${options.email}:${options.token}`).toString('base64')}`) {
      return answer(res, operation, 401, refusal(['Client must be authenticated to access this resource.']));
    }
    if (failures.count > 0) {
      failures.count--;
      return answer(res, undefined, failures.status, failures.body);
    }

    switch (operation.operationId) {
      case 'createIssue': {
        const fields = (body.fields ?? {}) as Record<string, any>;
        if (fields.project?.key !== options.projectKey) return answer(res, operation, 400, refusal([], { project: 'Specify a valid project ID or key' }));
        if (!issueTypes.includes(fields.issuetype?.name)) return answer(res, operation, 400, refusal([], { issuetype: 'Specify a valid issue type' }));
        if (typeof fields.summary !== 'string' || fields.summary === '' || fields.summary.length > 255 || /[\r\n]/.test(fields.summary)) problem('summary: one line of 1 to 255 characters');
        problems.push(...adfSchemaProblems(fields.description), ...adfProblems(fields.description));
        if (!Array.isArray(fields.labels) || fields.labels.some((label: unknown) => typeof label !== 'string' || /\s/.test(label) || label.length > 255)) problem('labels: words of at most 255 characters');
        const id = String(10000 + issues.length);
        const issue: JiraIssue = { id, key: `${options.projectKey}-${issues.length + 1}`, summary: fields.summary, issueType: fields.issuetype.name, description: fields.description, labels: fields.labels ?? [], status: statuses[0]! };
        issues.push(issue);
        if (dropCreate) {
          dropCreate = false;
          return req.socket.destroy();
        }
        return answer(res, operation, 201, { ...example(operation, '201'), id, key: issue.key, self: `${base}/rest/api/3/issue/${id}`, transition: undefined });
      }
      case 'searchAndReconsileIssuesUsingJql': {
        // The one query Loupe asks: its project, one label.
        const match = /^project = "([A-Z0-9_]+)" AND labels = "([^"\\]+)" ORDER BY created ASC$/.exec(url.searchParams.get('jql') ?? '');
        if (!match) {
          problem(`a query this test API does not read: ${url.searchParams.get('jql')}`);
          return answer(res, operation, 400, refusal(['The query could not be read.']));
        }
        const max = Number(url.searchParams.get('maxResults') ?? 50);
        const found = issues.filter((issue) => match[1] === options.projectKey && issue.labels.some((label) => label.toLowerCase() === match[2]!.toLowerCase())).slice(0, max);
        return answer(res, operation, 200, { isLast: true, issues: found.map((issue) => ({ id: issue.id, key: issue.key, self: `${base}/rest/api/3/issue/${issue.id}`, fields: { summary: issue.summary } })) });
      }
      case 'getTransitions': {
        const issue = issueOf(params.issueIdOrKey!);
        if (!issue) return answer(res, operation, 404, refusal(['Issue does not exist or you do not have permission to see it.']));
        const template = example(operation, '200').transitions[0];
        // Every status but its own is one step away, as in Jira's simplified workflow.
        const transitions = statuses
          .filter((status) => status !== issue.status)
          .map((status) => ({ ...template, fields: undefined, id: String(11 + 10 * statuses.indexOf(status)), name: `Move to ${status}`, hasScreen: false, to: statusJson(status) }));
        return answer(res, operation, 200, { transitions });
      }
      case 'doTransition': {
        const issue = issueOf(params.issueIdOrKey!);
        if (!issue) return answer(res, operation, 404, refusal(['Issue does not exist or you do not have permission to see it.']));
        const to = statuses.find((status) => String(11 + 10 * statuses.indexOf(status)) === (body.transition as { id?: string } | undefined)?.id);
        if (!to || to === issue.status) return answer(res, operation, 400, refusal(['Transition id is not valid for this issue.']));
        const from = issue.status;
        issue.status = to;
        answer(res, operation, 204);
        return void tell(issue, from);
      }
      default:
        problem('not an operation this test API answers');
        return answer(res, operation, 404, refusal(['Not found']));
    }
  };

  const { url, close } = await serveLocal(handle, problems);
  base = url;
  return {
    url,
    close,
    issues,
    told,
    calls,
    problems,
    failNext(count, status, body = refusal(['Service unavailable'])) {
      failures = { count, status, body };
    },
    dropNextCreate() {
      dropCreate = true;
    },
    registerHook(url, secret) {
      hook = { url, secret };
    },
    async moveAs(key, status) {
      const issue = issueOf(key)!;
      const from = issue.status;
      issue.status = status;
      await tell(issue, from);
    },
  };
}
