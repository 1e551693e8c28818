/** The read API's shapes as the inbox uses them (api-contract.md section 2). */
import type { ScreenshotRef as WireScreenshotRef } from '../../../lib/api/schemas.ts';
import type { FeedbackItemJson, ItemReplayJson } from '../../read-api/items.ts';
import type { FeedbackState as ServerFeedbackState } from '../../storage/types.ts';

/** A workflow state. */
export type FeedbackState = ServerFeedbackState;

/** Every state, in the order the inbox lists them. */
export const FEEDBACK_STATES: readonly FeedbackState[] = ['new', 'in_progress', 'done'];

/** A screenshot reference as the feedback stores it. */
export type ScreenshotRef = WireScreenshotRef;

/** The stored replay a feedback item links, as the read API describes it. */
export type ReplayInfo = ItemReplayJson;

/** One feedback item of the read API (the server's own type: type-only, nothing of the server is bundled). */
export type FeedbackItem = FeedbackItemJson;

/** One page of a list or filter answer. */
export interface FeedbackPage {
  items: FeedbackItem[];
  next: string | null;
  previous: string | null;
  has_more: boolean;
}

/** A project the sign-in may read, and the role it has there (absent from older servers). */
export interface Project {
  id: string;
  name: string;
  role?: 'owner' | 'member' | 'viewer';
}

/** One filter of `POST .../feedbacks/filter`. */
export interface FilterClause {
  filter_type: string;
  operator: string;
  value: string | number | string[] | number[] | null;
}

/** Where a page starts: after the last item of the page before, or before the first of the page after. */
export type Cursor = { after: string } | { before: string } | Record<string, never>;

/** What the inbox filters on; empty strings mean "any". */
export interface Filters {
  state: FeedbackState | '';
  rating: string;
  environment: string;
  text: string;
  /** A member's user id, or `none` for unassigned. */
  assignee: string;
  /** A label's id. */
  label: string;
  priority: '' | 'urgent' | 'high' | 'neutral' | 'low';
}

/** How requests are made: a person's session cookie (with its CSRF token), or a tool's key or token. */
export type Credentials =
  | { kind: 'session'; csrfToken: string }
  | { kind: 'key'; kid: string; secret: string }
  | { kind: 'admin'; token: string };
