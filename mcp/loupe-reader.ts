/**
 * The MCP program's side of HTTP: the inbox's own read API client (server/inbox/client/api.ts,
 * signing a fresh JWT with the project key for each request), plus the two files a report
 * links, read within the server's own upload limits: a screenshot's bytes and a replay's events.
 * Failures become one sentence naming the problem (toolError).
 */
import { gunzipCapped } from '../server/gunzip-capped.ts';
import { ApiError, createApi, type Api } from '../server/inbox/client/api.ts';
import { replayFileUrl, screenshotUrl } from '../server/inbox/client/links.ts';
import type { FeedbackItem } from '../server/inbox/client/types.ts';
import type { McpConfig } from './args.ts';
import { MCP_ERRORS, MCP_LIMITS, SCREENSHOT_TYPES } from './constants.ts';

/** A failure already worded for the agent. */
export class ToolError extends Error {}

/** The read API client for the configured key and project. */
export function createReader(config: McpConfig): Api {
  return createApi({
    base: config.server,
    credentials: { kind: 'key', kid: config.kid, secret: config.secret },
    // Each call's refusal is answered by that call (toolError): there is no sign-in to return to.
    onUnauthorized: () => undefined,
  });
}

/** What a failed call says; `what` is what was asked for (a report's id, or 'comment' for add_comment). */
export function toolError(config: McpConfig, error: unknown, what: { reportId?: string; comment?: boolean } = {}): string {
  if (error instanceof ToolError) return error.message;
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  if (error.status === 0) return MCP_ERRORS.unreachable(config.server.href, error.message);
  if (error.status === 401) return MCP_ERRORS.keyRefused(config.kid, error.message);
  if (error.status === 404 && error.message === 'Invalid client ID') return MCP_ERRORS.projectNotFound(config.clientId);
  if (error.status === 404 && what.reportId !== undefined && error.message === 'Feedback not found') return MCP_ERRORS.reportNotFound(what.reportId, config.clientId);
  if (error.status === 403 && what.comment) return MCP_ERRORS.commentNeedsPerson(error.message);
  return MCP_ERRORS.refused(error.status, error.message);
}

/** A report by id; a missing one is a ToolError that says so. */
export async function getReport(api: Api, config: McpConfig, id: string): Promise<FeedbackItem> {
  const item = await api.getFeedback(config.clientId, id);
  if (!item) throw new ToolError(MCP_ERRORS.reportNotFound(id, config.clientId));
  return item;
}

// A body read to at most `maxBytes`: a declared or streamed excess stops the read.
async function readCapped(res: Response, maxBytes: number, what: string): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new ToolError(MCP_ERRORS.tooLarge(what, maxBytes));
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ToolError(MCP_ERRORS.tooLarge(what, maxBytes));
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks);
}

/** A report's screenshot `index`, as base64 with its type; only files stored on the configured server are fetched. */
export async function readScreenshot(config: McpConfig, item: FeedbackItem, index: number): Promise<{ data: string; mimeType: string }> {
  const shots = item.screenshots ?? [];
  const shot = shots[index];
  if (!shot) throw new ToolError(MCP_ERRORS.noScreenshot(item.id, index, shots.length));
  const url = screenshotUrl(config.server, item, shot);
  // A key's secret stays with its server, and so do the agent's requests: no fetch of other hosts.
  if (!url || new URL(url).origin !== config.server.origin) throw new ToolError(MCP_ERRORS.screenshotElsewhere(index));
  const res = await fetch(url, { redirect: 'error' }).catch((error: Error) => {
    throw new ToolError(MCP_ERRORS.unreachable(config.server.href, error.message));
  });
  if (!res.ok) {
    await res.body?.cancel();
    throw new ToolError(MCP_ERRORS.screenshotHttp(res.status));
  }
  const mimeType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!SCREENSHOT_TYPES.includes(mimeType)) {
    await res.body?.cancel();
    throw new ToolError(MCP_ERRORS.screenshotType(mimeType));
  }
  const bytes = await readCapped(res, MCP_LIMITS.screenshotMaxBytes, 'screenshot');
  return { data: Buffer.from(bytes).toString('base64'), mimeType };
}

/** The events of the report's stored replay, or why they could not be read. */
export async function readReplayEvents(config: McpConfig, item: FeedbackItem): Promise<{ events: unknown[] } | { error: string } | undefined> {
  if (!item.replay) return undefined;
  try {
    const res = await fetch(replayFileUrl(config.server, item.replay), { redirect: 'error' });
    if (!res.ok) {
      await res.body?.cancel();
      return { error: `HTTP ${res.status}` };
    }
    const gzip = await readCapped(res, MCP_LIMITS.replayMaxBytes, 'replay');
    const chunks: Buffer[] = [];
    const outcome = await gunzipCapped(gzip, MCP_LIMITS.replayMaxUnpackedBytes, (chunk) => (chunks.push(chunk), true));
    if (outcome.kind !== 'ok') return { error: outcome.kind === 'too-large' ? MCP_ERRORS.tooLarge('unpacked replay', MCP_LIMITS.replayMaxUnpackedBytes) : `its gzip is ${outcome.kind}` };
    const events: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return Array.isArray(events) ? { events } : { error: 'not a list of events' };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
