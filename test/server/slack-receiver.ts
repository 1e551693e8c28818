/**
 * Slack's incoming webhook, as it documents it, on 127.0.0.1 for the tests: a POST of
 * `application/json` with `text` and/or `blocks`, each block of a known type with its
 * required fields inside Block Kit's limits (https://docs.slack.dev/reference/block-kit/blocks,
 * https://docs.slack.dev/reference/block-kit/composition-objects/text-object). A request that
 * fails a check is answered `400 invalid_payload` (and kept, with the reason); any other as the
 * test says, by default `200 ok`. Stricter than Slack on one point: unknown top-level keys
 * are refused, so a misspelt field fails a test instead of being dropped.
 */
import { startLoopbackServer } from './loopback-server.ts';

/** One request as received. */
export interface SlackRequest {
  method: string;
  path: string;
  contentType: string;
  raw: string;
  body: any;
  /** Why it is not a valid message, or `undefined` when it is. */
  problem: string | undefined;
  /** The status it was answered with. */
  status: number;
  at: number;
}

/** How Slack answers. */
export type SlackAnswer = { status: number; headers?: Record<string, string>; body?: string };

export interface FakeSlack {
  /** The webhook URL, secret path and all, as Slack hands it out. */
  url: string;
  /** The secret part of the URL. */
  secret: string;
  received: SlackRequest[];
  /** The messages posted to the channel: valid, and answered 200. */
  messages(): any[];
  /** How a valid request is answered (default 200 `ok`). */
  answer: (request: SlackRequest, count: number) => SlackAnswer;
  close(): Promise<void>;
  reopen(): Promise<void>;
}

const MESSAGE_KEYS = new Set(['text', 'blocks', 'attachments', 'mrkdwn', 'unfurl_links', 'unfurl_media', 'username', 'icon_emoji', 'icon_url', 'channel', 'thread_ts', 'link_names', 'parse', 'metadata']);
const isObject = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A text object's problem: its type, a non-empty text, `emoji` only on plain_text, `verbatim` only on mrkdwn. */
function textProblem(text: unknown, where: string, maxChars: number, only?: 'plain_text'): string | undefined {
  if (!isObject(text)) return `${where} must be a text object`;
  if (text.type !== 'plain_text' && text.type !== 'mrkdwn') return `${where}.type must be plain_text or mrkdwn`;
  if (only && text.type !== only) return `${where} must be ${only}`;
  if (typeof text.text !== 'string' || text.text.length < 1) return `${where}.text must be a non-empty string`;
  if (text.text.length > maxChars) return `${where}.text is ${text.text.length} characters, more than ${maxChars}`;
  if ('emoji' in text && (text.type !== 'plain_text' || typeof text.emoji !== 'boolean')) return `${where}.emoji is only a boolean of plain_text`;
  if ('verbatim' in text && (text.type !== 'mrkdwn' || typeof text.verbatim !== 'boolean')) return `${where}.verbatim is only a boolean of mrkdwn`;
  const unknown = Object.keys(text).filter((key) => !['type', 'text', 'emoji', 'verbatim'].includes(key));
  return unknown.length > 0 ? `${where} has unknown fields ${unknown.join(', ')}` : undefined;
}

function blockProblem(block: unknown, where: string): string | undefined {
  if (!isObject(block)) return `${where} must be an object`;
  if (block.block_id !== undefined && (typeof block.block_id !== 'string' || block.block_id.length > 255)) return `${where}.block_id must be a string of at most 255 characters`;
  switch (block.type) {
    case 'header':
      return textProblem(block.text, `${where}.text`, 150, 'plain_text');
    case 'divider':
      return undefined;
    case 'section': {
      if (block.text === undefined && block.fields === undefined) return `${where} needs text or fields`;
      if (block.text !== undefined) {
        const problem = textProblem(block.text, `${where}.text`, 3000);
        if (problem) return problem;
      }
      if (block.fields === undefined) return undefined;
      if (!Array.isArray(block.fields) || block.fields.length < 1 || block.fields.length > 10) return `${where}.fields must hold 1 to 10 text objects`;
      return block.fields.map((field: unknown, i: number) => textProblem(field, `${where}.fields[${i}]`, 2000)).find(Boolean);
    }
    case 'context': {
      if (!Array.isArray(block.elements) || block.elements.length < 1 || block.elements.length > 10) return `${where}.elements must hold 1 to 10 elements`;
      return block.elements.map((element: unknown, i: number) => textProblem(element, `${where}.elements[${i}]`, 3000)).find(Boolean);
    }
    default:
      return `${where}.type ${JSON.stringify(block.type)} is not a block type this message may use`;
  }
}

/** Why a request is not a message Slack would post, or `undefined`. */
export function slackProblem(method: string, contentType: string, raw: string): string | undefined {
  if (method !== 'POST') return `${method}: incoming webhooks take POST`;
  if (!/^application\/json(;|$)/i.test(contentType)) return `Content-Type ${contentType || '(none)'}: must be application/json`;
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return 'The body is not JSON';
  }
  if (!isObject(body)) return 'The body must be an object';
  const unknown = Object.keys(body).filter((key) => !MESSAGE_KEYS.has(key));
  if (unknown.length > 0) return `Unknown fields ${unknown.join(', ')}`;
  const hasText = typeof body.text === 'string' && body.text.length > 0;
  if (body.text !== undefined && typeof body.text !== 'string') return 'text must be a string';
  if (hasText && body.text.length > 40_000) return 'text is longer than 40000 characters';
  if (body.blocks === undefined) return hasText ? undefined : 'A message needs text or blocks';
  if (!Array.isArray(body.blocks) || body.blocks.length < 1 || body.blocks.length > 50) return 'blocks must hold 1 to 50 blocks';
  return body.blocks.map((block: unknown, i: number) => blockProblem(block, `blocks[${i}]`)).find(Boolean);
}

/** Starts a stand-in for one Slack incoming webhook (on `port`, or a free one). */
export async function startFakeSlack(port = 0): Promise<FakeSlack> {
  const secret = 'XXXXsecretXXXX0123456789';
  const path = `/services/TLOUPE00/BLOUPE00/${secret}`;
  const server = await startLoopbackServer((req, raw, res) => {
    const contentType = String(req.headers['content-type'] ?? '');
    const method = req.method ?? '';
    // Another path is a webhook Slack does not know (removed, or never made).
    const problem = req.url === path ? slackProblem(method, contentType, raw) : 'no_service';
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const request: SlackRequest = { method, path: req.url ?? '', contentType, raw, body, problem, status: 0, at: Date.now() };
    fake.received.push(request);
    const answer =
      problem === 'no_service' ? { status: 404, body: 'no_service' } : problem ? { status: 400, body: 'invalid_payload' } : fake.answer(request, fake.received.length);
    request.status = answer.status;
    res.writeHead(answer.status, { 'content-type': 'text/html', ...answer.headers }).end(answer.body ?? '');
  }, port);
  const fake: FakeSlack = {
    url: `http://127.0.0.1:${server.port}${path}`,
    secret,
    received: [],
    messages: () => fake.received.filter((request) => request.problem === undefined && request.status === 200).map((request) => request.body),
    answer: () => ({ status: 200, body: 'ok' }),
    close: server.close,
    reopen: server.reopen,
  };
  return fake;
}
