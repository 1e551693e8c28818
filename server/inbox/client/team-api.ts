/** The team API's calls (docs/team-api.md): me, triage, discussion, notifications, project settings. */
import type { Request } from './api.ts';
import type {
  Activity,
  BulkChange,
  Comment,
  InvitationInfo,
  Label,
  Member,
  MyProject,
  Notification,
  Priority,
  ProjectKey,
  ProjectSettings,
  Role,
  SignedIn,
  TrackerConnection,
  TrackerStatus,
  TriagedItem,
  User,
  WebhookDelivery,
  WebhookEndpoint,
} from './team-types.ts';
import type { FeedbackState } from './types.ts';

/** What a PATCH of one report may change. */
export interface ItemChange {
  state?: FeedbackState;
  assigneeId?: string | null;
  priority?: Priority;
  labelIds?: string[];
}

/** The team calls, bound to one sign-in. */
export interface TeamApi {
  me(): Promise<{ user: User; projects: MyProject[] }>;
  setNotifyNewReports(projectId: string, on: boolean): Promise<unknown>;
  notifications(limit: number): Promise<{ items: Notification[]; unread: number }>;
  markRead(ids?: string[]): Promise<void>;
  signOut(): Promise<void>;
  acceptInvitation(token: string, body: { name?: string; email?: string; password?: string }): Promise<SignedIn & { project: { id: string; name: string } }>;

  changeItem(projectId: string, id: string, change: ItemChange): Promise<TriagedItem>;
  bulk(projectId: string, ids: string[], change: BulkChange): Promise<TriagedItem[]>;
  labels(projectId: string): Promise<Label[]>;
  createLabel(projectId: string, label: { name: string; color: string }): Promise<Label>;
  members(projectId: string): Promise<Member[]>;

  comments(projectId: string, feedbackId: string): Promise<Comment[]>;
  addComment(projectId: string, feedbackId: string, body: string): Promise<Comment>;
  editComment(projectId: string, commentId: string, body: string): Promise<Comment>;
  deleteComment(projectId: string, commentId: string): Promise<void>;
  activity(projectId: string, feedbackId: string): Promise<Activity[]>;

  project(projectId: string): Promise<ProjectSettings>;
  updateProject(projectId: string, change: { name?: string; allowedOrigins?: string[] | null; notifyReporterOnDone?: boolean }): Promise<ProjectSettings>;
  setMemberRole(projectId: string, userId: string, role: Role): Promise<Member>;
  removeMember(projectId: string, userId: string): Promise<void>;
  invite(projectId: string, body: { role: Role; email?: string }): Promise<{ url: string; expiresAt: string }>;
  keys(projectId: string): Promise<ProjectKey[]>;
  createKey(projectId: string, name?: string): Promise<ProjectKey & { secret: string }>;
  revokeKey(projectId: string, kid: string): Promise<ProjectKey>;
  reporterLink(projectId: string, environment?: string): Promise<{ url: string }>;
  webhooks(projectId: string): Promise<WebhookEndpoint[]>;
  createWebhook(projectId: string, body: { url: string; events: string[] }): Promise<WebhookEndpoint & { secret: string }>;
  changeWebhook(projectId: string, id: string, change: { enabled?: boolean; events?: string[] }): Promise<WebhookEndpoint>;
  deleteWebhook(projectId: string, id: string): Promise<void>;
  deliveries(projectId: string, id: string): Promise<WebhookDelivery[]>;
  testWebhook(projectId: string, id: string): Promise<WebhookDelivery>;
  redeliver(projectId: string, deliveryId: string): Promise<WebhookDelivery>;
  trackers(projectId: string): Promise<TrackerConnection[]>;
  connectTracker(projectId: string, body: Record<string, unknown>): Promise<TrackerConnection & { hook?: { url: string; secret: string; events: string[] } }>;
  changeTracker(projectId: string, id: string, change: { enabled?: boolean; rule?: TrackerConnection['rule'] }): Promise<TrackerConnection>;
  deleteTracker(projectId: string, id: string): Promise<void>;
  trackerDeliveries(projectId: string, id: string): Promise<WebhookDelivery[]>;
  reportTrackers(projectId: string, feedbackId: string): Promise<TrackerStatus[]>;
  createIssue(projectId: string, feedbackId: string, integrationId: string): Promise<TrackerStatus>;
}

const e = encodeURIComponent;

/** The team calls made with `request`. */
export function teamCalls(request: Request): TeamApi {
  const project = (id: string) => `api/projects/${e(id)}`;
  const items = async <T>(method: string, path: string, body?: unknown) => (await request<{ items: T[] }>(method, path, body)).items;
  return {
    me: () => request('GET', 'api/me'),
    setNotifyNewReports: (projectId, on) => request('PATCH', `api/me/projects/${e(projectId)}`, { notifyNewReports: on }),
    notifications: (limit) => request('GET', `api/me/notifications?limit=${limit}`),
    markRead: (ids) => request('POST', 'api/me/notifications/read', ids ? { ids } : {}),
    signOut: () => request('POST', 'api/auth/sign-out'),
    acceptInvitation: (token, body) => request('POST', `api/invitations/${e(token)}/accept`, body),

    changeItem: (projectId, id, change) => request('PATCH', `${project(projectId)}/feedbacks/${e(id)}`, change),
    bulk: (projectId, ids, change) => items('POST', `${project(projectId)}/feedbacks/bulk`, { ids, change }),
    labels: (projectId) => items('GET', `${project(projectId)}/labels`),
    createLabel: (projectId, label) => request('POST', `${project(projectId)}/labels`, label),
    members: (projectId) => items('GET', `${project(projectId)}/members`),

    comments: (projectId, feedbackId) => items('GET', `${project(projectId)}/feedbacks/${e(feedbackId)}/comments`),
    addComment: (projectId, feedbackId, body) => request('POST', `${project(projectId)}/feedbacks/${e(feedbackId)}/comments`, { body }),
    editComment: (projectId, commentId, body) => request('PATCH', `${project(projectId)}/comments/${e(commentId)}`, { body }),
    deleteComment: (projectId, commentId) => request('DELETE', `${project(projectId)}/comments/${e(commentId)}`),
    activity: (projectId, feedbackId) => items('GET', `${project(projectId)}/feedbacks/${e(feedbackId)}/activity`),

    project: (projectId) => request('GET', project(projectId)),
    updateProject: (projectId, change) => request('PATCH', project(projectId), change),
    setMemberRole: (projectId, userId, role) => request('PATCH', `${project(projectId)}/members/${e(userId)}`, { role }),
    removeMember: (projectId, userId) => request('DELETE', `${project(projectId)}/members/${e(userId)}`),
    invite: (projectId, body) => request('POST', `${project(projectId)}/invitations`, body),
    keys: (projectId) => items('GET', `${project(projectId)}/keys`),
    createKey: (projectId, name) => request('POST', `${project(projectId)}/keys`, name ? { name } : {}),
    revokeKey: (projectId, kid) => request('DELETE', `${project(projectId)}/keys/${e(kid)}`),
    reporterLink: (projectId, environment) => request('POST', `${project(projectId)}/reporter-links`, environment ? { environment } : {}),
    webhooks: (projectId) => items('GET', `${project(projectId)}/webhooks`),
    createWebhook: (projectId, body) => request('POST', `${project(projectId)}/webhooks`, body),
    changeWebhook: (projectId, id, change) => request('PATCH', `${project(projectId)}/webhooks/${e(id)}`, change),
    deleteWebhook: (projectId, id) => request('DELETE', `${project(projectId)}/webhooks/${e(id)}`),
    deliveries: (projectId, id) => items('GET', `${project(projectId)}/webhooks/${e(id)}/deliveries`),
    testWebhook: (projectId, id) => request('POST', `${project(projectId)}/webhooks/${e(id)}/test`),
    redeliver: (projectId, deliveryId) => request('POST', `${project(projectId)}/webhooks/deliveries/${e(deliveryId)}/redeliver`),
    trackers: (projectId) => items('GET', `${project(projectId)}/integrations`),
    connectTracker: (projectId, body) => request('POST', `${project(projectId)}/integrations`, body),
    changeTracker: (projectId, id, change) => request('PATCH', `${project(projectId)}/integrations/${e(id)}`, change),
    deleteTracker: (projectId, id) => request('DELETE', `${project(projectId)}/integrations/${e(id)}`),
    trackerDeliveries: (projectId, id) => items('GET', `${project(projectId)}/integrations/${e(id)}/deliveries`),
    reportTrackers: (projectId, feedbackId) => items('GET', `${project(projectId)}/feedbacks/${e(feedbackId)}/trackers`),
    createIssue: (projectId, feedbackId, integrationId) => request('POST', `${project(projectId)}/feedbacks/${e(feedbackId)}/issues`, { integrationId }),
  };
}
