/**
 * The read API client. A person's requests carry the session cookie and, when they change
 * something, the session's CSRF token; a tool's carry a freshly signed JWT (or the admin
 * token). A 401 hands the server's message to `onUnauthorized`, which returns the tab to sign-in.
 */
import { importSecret, signToken } from './jwt.ts';
import { INBOX_STRINGS as S } from './strings.ts';
import { teamCalls, type TeamApi } from './team-api.ts';
import type { Credentials, Cursor, FeedbackItem, FeedbackPage, FeedbackState, FilterClause, Project } from './types.ts';

/** A refused or failed request; `status` 0 means the server was not reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** True for the refusal that already sent the tab back to sign-in (nothing else to show). */
export function isSignedOut(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** The words to show for a failed request. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What the client needs: where the server is, how to sign, and what to do when refused. */
export interface ApiOptions {
  /** The server's root (the inbox's own base URL). */
  base: URL;
  credentials: Credentials;
  onUnauthorized(message: string): void;
}

/** One request to the server: the parsed JSON answer (null for none), or an ApiError. */
export type Request = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/** The calls the inbox makes. */
export interface Api extends TeamApi {
  /** How this sign-in is made (a person's session, or a tool's token). */
  credentials: Credentials;
  /** A raw request, for the calls not listed here. */
  request: Request;
  /** Projects this sign-in may read. */
  listProjects(): Promise<Project[]>;
  /** One page of a project's feedback matching `query`, newest-updated first. */
  filter(projectId: string, query: FilterClause[], cursor: Cursor, limit: number): Promise<FeedbackPage>;
  /** How many items match `query`. */
  count(projectId: string, query: FilterClause[]): Promise<number>;
  /** One item by id, or undefined when the project has no such item. */
  getFeedback(projectId: string, id: string): Promise<FeedbackItem | undefined>;
  /** Moves an item to `state`; answers the updated item. */
  setState(projectId: string, id: string, state: FeedbackState): Promise<FeedbackItem>;
}

// Without a single-item route, a deep link is found by paging through the project, this far at most.
const SCAN_PAGE_SIZE = 100;
const SCAN_MAX_PAGES = 50;

function describeRefusal(status: number, body: unknown): string {
  const error = (body as { error?: unknown } | null)?.error;
  const issues = (body as { issues?: Record<string, string[]> } | null)?.issues;
  const base = typeof error === 'string' ? error : S.serverError(status, 'no message');
  if (!issues || typeof issues !== 'object') return base;
  const details = Object.entries(issues).map(([place, messages]) => `${place}: ${[messages].flat().join(', ')}`);
  return details.length ? `${base} (${details.join('; ')})` : base;
}

// Retry-After in seconds (the server never sends the HTTP-date form).
function retryAfterSeconds(res: Response): number | undefined {
  const value = res.headers.get('retry-after');
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** A client bound to one sign-in. */
export function createApi(options: ApiOptions): Api {
  const { credentials } = options;
  // Imported once per sign-in; a page without WebCrypto fails on its first request, not here.
  const key = credentials.kind === 'key' ? Promise.resolve().then(() => importSecret(credentials.secret)) : undefined;
  // A failed import surfaces on the first request, not as an unhandled rejection.
  key?.catch(() => undefined);

  async function authorization(): Promise<string | undefined> {
    if (credentials.kind === 'session') return undefined;
    if (credentials.kind === 'admin') return `Bearer ${credentials.token}`;
    return `Bearer ${await signToken(credentials.kid, await key!)}`;
  }

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const bearer = await authorization();
    if (bearer) headers.Authorization = bearer;
    // The cookie alone never changes anything: the server wants the session's CSRF token beside it.
    if (credentials.kind === 'session' && method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = credentials.csrfToken;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(new URL(path, options.base), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        // A tool's token stands alone: no cookie of a person signed in elsewhere in this browser.
        credentials: credentials.kind === 'session' ? 'same-origin' : 'omit',
      });
    } catch {
      throw new ApiError(0, S.networkError);
    }
    const parsed: unknown = await res.json().catch(() => null);
    if (res.ok) return parsed as T;
    // The server's limit on failed sign-ins: say when to try again, not only that it refused.
    const message = res.status === 429 ? S.tooManyAttempts(retryAfterSeconds(res)) : describeRefusal(res.status, parsed);
    if (res.status === 401) options.onUnauthorized(message);
    throw new ApiError(res.status, message);
  }

  const project = (id: string) => `api/projects/${encodeURIComponent(id)}`;
  const pageQuery = (cursor: Cursor, limit: number) => new URLSearchParams({ limit: String(limit), ...cursor }).toString();

  const api: Api = {
    credentials,
    request,
    ...teamCalls(request),
    async listProjects() {
      return (await request<{ items: Project[] }>('GET', 'api/projects')).items;
    },
    filter(projectId, query, cursor, limit) {
      return request('POST', `${project(projectId)}/feedbacks/filter?${pageQuery(cursor, limit)}`, { query });
    },
    async count(projectId, query) {
      return (await request<{ count: number }>('POST', `${project(projectId)}/feedbacks/filter/count`, { query })).count;
    },
    async getFeedback(projectId, id) {
      try {
        return await request<FeedbackItem>('GET', `${project(projectId)}/feedbacks/${encodeURIComponent(id)}`);
      } catch (error) {
        // "Feedback not found" is the route's answer; any other 404 or 405 means there is no such route.
        if (!(error instanceof ApiError) || ![404, 405].includes(error.status)) throw error;
        if (error.message === 'Feedback not found' || error.message === 'Invalid client ID') return undefined;
      }
      let cursor: Cursor = {};
      for (let page = 0; page < SCAN_MAX_PAGES; page++) {
        const answer = await api.filter(projectId, [], cursor, SCAN_PAGE_SIZE);
        const found = answer.items.find((item) => item.id === id);
        if (found) return found;
        if (!answer.next) return undefined;
        cursor = { after: answer.next };
      }
      return undefined;
    },
    setState(projectId, id, state) {
      return request('PATCH', `${project(projectId)}/feedbacks/${encodeURIComponent(id)}`, { state });
    },
  };
  return api;
}
