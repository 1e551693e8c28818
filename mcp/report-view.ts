/**
 * What the tools answer about reports: a short line per report for lists, and one report in
 * full with the context the inbox's report page shows (its timeline: console, network, repro
 * steps and browser info, built by the inbox's own server/inbox/client/timeline-entries.ts).
 */
import { feedbackUrl } from '../server/inbox/client/links.ts';
import type { Comment, Label } from '../server/inbox/client/team-types.ts';
import { buildTimeline, formatOffset, type TimelineEntry } from '../server/inbox/client/timeline-entries.ts';
import type { FeedbackItem, FeedbackPage } from '../server/inbox/client/types.ts';
import { MCP_ERRORS, MCP_LIMITS, UNTRUSTED_NOTE } from './constants.ts';

const clip = (text: string | null, max: number) => (text === null || text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** One report in a list: enough to choose which to open. */
export function reportLine(item: FeedbackItem, labels: ReadonlyMap<string, string>) {
  return {
    id: item.id,
    state: item.state,
    priority: item.priority,
    rating: item.rating,
    comment: clip(item.comment, MCP_LIMITS.listCommentMaxChars),
    pageUrl: item.pageUrl,
    environment: item.environment,
    assigneeId: item.assigneeId,
    labels: item.labelIds.map((id) => labels.get(id) ?? id),
    screenshots: item.screenshots?.length ?? 0,
    replay: item.replay !== null,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

/** A page of reports, with how many match in all and the cursors to move on. */
export function reportList(page: FeedbackPage, total: number, labels: ReadonlyMap<string, string>) {
  return {
    total,
    reports: page.items.map((item) => reportLine(item, labels)),
    next: page.next,
    previous: page.previous,
    hasMore: page.has_more,
    note: UNTRUSTED_NOTE,
  };
}

function entryJson(entry: TimelineEntry) {
  return {
    at: new Date(entry.atMs).toISOString(),
    ...(entry.offsetMs !== undefined && { replayAt: formatOffset(entry.offsetMs) }),
    kind: entry.badge,
    error: entry.error,
    text: entry.text,
    ...(entry.detail !== undefined && { detail: entry.detail }),
  };
}

/** What get_report answers: the report, its context and its discussion. */
export interface ReportDetailInput {
  base: URL;
  item: FeedbackItem;
  /** The replay's events; an error when it is stored but could not be read. */
  replay: { events: unknown[] } | { error: string } | undefined;
  comments: readonly Comment[];
  labels: readonly Label[];
}

/** One report in full. */
export function reportDetail(input: ReportDetailInput) {
  const { item, replay } = input;
  const timeline = buildTimeline(item.metadata, replay && 'events' in replay ? { events: replay.events } : undefined);
  const { context: _context, ...metadata } = (item.metadata ?? {}) as Record<string, unknown>;
  const labelNames = new Map(input.labels.map((label) => [label.id, label.name]));
  return {
    report: {
      id: item.id,
      inboxUrl: feedbackUrl(input.base, item.id),
      state: item.state,
      priority: item.priority,
      assigneeId: item.assigneeId,
      labels: item.labelIds.map((id) => labelNames.get(id) ?? id),
      rating: item.rating,
      comment: item.comment,
      userEmail: item.userEmail,
      pageUrl: item.pageUrl,
      pageTitle: item.pageTitle,
      referrer: item.referrer,
      environment: item.environment,
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
      screenshots: (item.screenshots ?? []).map((shot, index) => ({ index, width: shot.width, height: shot.height, mimeType: shot.mimeType })),
      replay: item.replay && { url: item.replay.url, durationMs: item.replay.durationMs, eventCount: item.replay.eventCount, feedbackAtMs: item.replayOffsetMs },
      metadata,
    },
    steps: timeline.steps.map((entry) => entry.text),
    ...(replay && 'error' in replay && { stepsNote: MCP_ERRORS.replayUnread(replay.error) }),
    console: timeline.console.map(entryJson),
    network: timeline.network.map(entryJson),
    info: Object.fromEntries(timeline.info),
    comments: input.comments.map((comment) => ({
      author: comment.author.name ?? comment.author.email,
      body: comment.deletedAt === null ? comment.body : null,
      createdAt: comment.createdAt,
    })),
    note: UNTRUSTED_NOTE,
  };
}
