/** The team API's shapes as the inbox uses them (docs/team-api.md). */
import type { FeedbackItem } from './types.ts';

/** What a person may do in a project. */
export type Role = 'owner' | 'member' | 'viewer';

/** Every role, highest first (as pickers list them). */
export const ROLES: readonly Role[] = ['owner', 'member', 'viewer'];

const RANK: Record<Role, number> = { viewer: 1, member: 2, owner: 3 };

/** True when `role` may do what `needed` may. */
export function atLeast(role: Role | undefined, needed: Role): boolean {
  return role !== undefined && RANK[role] >= RANK[needed];
}

/** A report's priority. */
export type Priority = 'urgent' | 'high' | 'neutral' | 'low';

/** Every priority, most pressing first. */
export const PRIORITIES: readonly Priority[] = ['urgent', 'high', 'neutral', 'low'];

/** A signed-in person. */
export interface User {
  id: string;
  email: string;
  name: string | null;
  serverOwner: boolean;
}

/** The answer of signing in (and of GET /api/auth/session). */
export interface SignedIn {
  user: User;
  csrfToken: string;
}

/** How the server lets people sign in (GET /api/auth/methods): single sign-on is `null` when off. */
export interface SignInMethods {
  password: boolean;
  oidc: { name: string } | null;
}

/** A project member. */
export interface Member {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
}

/** A project's label. */
export interface Label {
  id: string;
  name: string;
  color: string;
}

/** A feedback item with the triage fields (absent on a server without them). */
export type TriagedItem = FeedbackItem & { assigneeId?: string | null; labelIds?: string[]; priority?: Priority };

/** A comment on a report. */
export interface Comment {
  id: string;
  author: { id: string; email: string; name: string | null };
  body: string;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/** One line of a report's history. */
export interface Activity {
  id: string;
  kind: string;
  actorLabel: string;
  data: Record<string, unknown>;
  createdAt: string;
}

/** One of the bell's notifications. */
export interface Notification {
  id: string;
  kind: string;
  clientId: string;
  feedbackId: string;
  actorLabel: string;
  createdAt: string;
  readAt: string | null;
}

/** A project's settings. */
export interface ProjectSettings {
  id: string;
  name: string;
  allowedOrigins: string[] | null;
  notifyReporterOnDone: boolean;
  createdAt: string;
  role: Role;
}

/** The signed-in person's membership of one project. */
export interface MyProject {
  id: string;
  name: string;
  role: Role;
  notifyNewReports: boolean;
}

/** A project key as listed (its secret is never listed). */
export interface ProjectKey {
  kid: string;
  name: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** A project's webhook endpoint (docs/team-api.md "Webhooks"). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  failingSince: string | null;
  createdAt: string;
}

/** One event on its way to an endpoint. */
export interface WebhookDelivery {
  id: string;
  type: string;
  feedbackId: string | null;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  responseStatus: number | null;
  responseExcerpt: string | null;
  lastError: string | null;
}

/** What an invitation link offers. */
export interface InvitationInfo {
  project: { id: string; name: string };
  role: Role;
  expiresAt: string;
}

/** The change of a bulk action. */
export interface BulkChange {
  state?: FeedbackItem['state'];
  assigneeId?: string | null;
  priority?: Priority;
  addLabelIds?: string[];
  removeLabelIds?: string[];
}

/** A person as the inbox shows them: their name, else their e-mail. */
export function personLabel(person: { name: string | null; email: string }): string {
  return person.name?.trim() || person.email;
}

/** Which new reports a tracker takes on its own (`null`: only when asked; no `ratings`: every one). */
export type ReportRule = { ratings?: number[] } | null;

/** A project's tracker connection (docs/team-api.md "Trackers"); its secrets are never listed. */
export interface TrackerConnection {
  id: string;
  kind: string;
  name: string;
  rule: ReportRule;
  enabled: boolean;
  disabledReason: string | null;
  failingSince: string | null;
  createdAt: string;
  settings: Record<string, unknown>;
}

/** Where a report stands in one tracker. */
export interface TrackerStatus {
  integrationId: string;
  kind: string;
  name: string;
  issue: { id: string; url: string } | null;
  status: 'none' | 'queued' | 'retrying' | 'needs-attention' | 'failed' | 'sent' | 'linked';
  attempts: number;
  lastError: string | null;
}
