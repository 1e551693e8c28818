/**
 * The outbound side in the OpenAPI document (README "Webhooks", "Slack", GitHub): a project's
 * webhook endpoints and their deliveries; tracker connections, a report's place in each and
 * its GitHub issue; and GitHub's signed webhook back.
 */
import * as z from 'zod/mini';
import { OUTBOUND, READ_API_ERRORS, SERVER_ERRORS, TEAM_ERRORS } from '../constants.ts';
import { deliverySchema, endpointSchema, newEndpointSchema } from '../outbox/endpoints.ts';
import { hookAnswerSchema, hookIgnoredSchema, issuesEventDoc } from '../routes/github-hook.ts';
import { connectionChangeBody, connectionSchema, issueBody, newConnectionBodyDoc, newConnectionSchema, trackerStatusSchema } from '../routes/integrations.ts';
import { WEBHOOK_EVENTS } from '../storage/outbox-types.ts';
import { newWebhookBody, webhookChangeBody } from '../team-api/schemas.ts';
import { json, listOf, named, ok, operation, refusal, type OperationSpec } from './build.ts';

const [team, signed] = [operation('team'), operation('githubSignature')];
const P = '/api/projects/{clientId}';
const ENDPOINT = named('WebhookEndpoint', endpointSchema);
const DELIVERY = named('Delivery', deliverySchema, 'One event (or test, or issue asked for) on its way to one endpoint or tracker: where it stands, its last try');
const DELIVERIES = ok(`The latest ${OUTBOUND.listLimit}, newest first`, listOf('DeliveryList', deliverySchema));
const CONNECTION = named('TrackerConnection', connectionSchema, "A tracker connection: its kind's settings, never its token or webhook URL");
const STATUS = named('TrackerStatus', trackerStatusSchema, 'Where a report stands in one tracker: its issue, and how its latest delivery there went');
const events = WEBHOOK_EVENTS.map((event) => `\`${event}\``).join(', ');

const noEndpoint = refusal(TEAM_ERRORS.webhookNotFound);
const noConnection = refusal(TEAM_ERRORS.integrationNotFound);

/** Webhook endpoints, tracker connections, a report's trackers and issue; GitHub's webhook. */
export const OUTBOUND_OPERATIONS: OperationSpec[] = [
  team(`GET ${P}/webhooks`, 'listWebhooks', 'Webhooks', "The project's webhook endpoints (owner)", { answers: { 200: ok('The endpoints, oldest first', listOf('WebhookEndpointList', endpointSchema)) } }),
  team(`POST ${P}/webhooks`, 'createWebhook', 'Webhooks', 'Add a webhook endpoint (owner)', {
    description: `\`events\`: among ${events} (default all). Each is sent as \`{"type","timestamp","data"}\`, signed as Standard Webhooks says (\`webhook-id\`, \`webhook-timestamp\`, \`webhook-signature\`), and retried with the same \`webhook-id\`. Private and loopback addresses are refused when sending unless listed in \`${OUTBOUND.allowedHostsEnvVar}\`.`,
    body: json('NewWebhook', newWebhookBody),
    answers: { 201: ok('Made: its signing secret (`whsec_…`) is in this answer only', named('WebhookEndpointMade', newEndpointSchema)) },
  }),
  team(`PATCH ${P}/webhooks/{webhookId}`, 'updateWebhook', 'Webhooks', "Change an endpoint's events, or turn it on or off (owner)", {
    body: json('WebhookChange', webhookChangeBody, true),
    answers: { 200: ok('The endpoint', ENDPOINT), 404: noEndpoint },
  }),
  team(`DELETE ${P}/webhooks/{webhookId}`, 'deleteWebhook', 'Webhooks', 'Delete an endpoint and its deliveries (owner)', { answers: { 204: ok('Deleted'), 404: noEndpoint } }),
  team(`GET ${P}/webhooks/{webhookId}/deliveries`, 'listWebhookDeliveries', 'Webhooks', "An endpoint's deliveries (owner)", { answers: { 200: DELIVERIES, 404: noEndpoint } }),
  team(`POST ${P}/webhooks/{webhookId}/test`, 'testWebhook', 'Webhooks', 'Send an endpoint a `webhook.test` event, whether or not it is on (owner)', {
    answers: { 202: ok('Queued, signed and retried like any delivery', DELIVERY), 404: noEndpoint },
  }),
  team(`POST ${P}/webhooks/deliveries/{deliveryId}/redeliver`, 'redeliverWebhook', 'Webhooks', "Send a delivery again (an endpoint's or a tracker's), its tries counted afresh (owner)", {
    answers: { 202: ok('Queued again', DELIVERY), 404: refusal(TEAM_ERRORS.deliveryNotFound), 409: refusal(TEAM_ERRORS.deliveryPending) },
  }),

  team(`GET ${P}/integrations`, 'listTrackers', 'Trackers', "The project's tracker connections", { answers: { 200: ok('The connections, oldest first', listOf('TrackerConnectionList', connectionSchema)) } }),
  team(`POST ${P}/integrations`, 'connectTracker', 'Trackers', 'Connect a tracker (owner)', {
    description:
      '`github`: a repository (`owner/name`), a token that may write its issues, labels for the issues it makes; without a rule, issues are made only when asked. `slack`: an incoming webhook URL; without a rule, every new report is posted. `rule: null`: none on their own. The token and the webhook URL are kept encrypted and never shown again.',
    body: json('NewTrackerConnection', newConnectionBodyDoc),
    answers: { 201: ok("Connected; GitHub's with `hook`: the webhook to add to the repository, its secret in this answer only", named('TrackerConnectionMade', newConnectionSchema)) },
  }),
  team(`PATCH ${P}/integrations/{integrationId}`, 'updateTracker', 'Trackers', 'Turn a connection on or off, or change its rule (owner)', {
    body: json('TrackerConnectionChange', connectionChangeBody, true),
    answers: { 200: ok('The connection', CONNECTION), 404: noConnection },
  }),
  team(`DELETE ${P}/integrations/{integrationId}`, 'disconnectTracker', 'Trackers', 'Disconnect a tracker, with its deliveries (owner)', { answers: { 204: ok('Disconnected'), 404: noConnection } }),
  team(`GET ${P}/integrations/{integrationId}/deliveries`, 'listTrackerDeliveries', 'Trackers', "A connection's deliveries (owner)", { answers: { 200: DELIVERIES, 404: noConnection } }),
  team(`GET ${P}/feedbacks/{id}/trackers`, 'listReportTrackers', 'Trackers', "Where a report stands in each of the project's trackers", {
    answers: { 200: ok('One entry per connection, oldest first', listOf('TrackerStatusList', trackerStatusSchema)), 404: refusal(READ_API_ERRORS.feedbackNotFound) },
  }),
  team(`POST ${P}/feedbacks/{id}/issues`, 'createIssue', 'Trackers', "Ask for a report's issue in a GitHub connection (member)", {
    description: 'Queued like any delivery and retried; made once (a try whose answer was lost finds the issue it made by a marker in its body).',
    body: json('IssueRequest', issueBody),
    answers: {
      200: ok('The report has its issue there already', STATUS),
      202: ok('Queued', STATUS),
      404: refusal(READ_API_ERRORS.feedbackNotFound, ` (the report), or \`${TEAM_ERRORS.integrationNotFound}\` (no GitHub connection of the project has this id)`),
      409: refusal(TEAM_ERRORS.issueQueued),
    },
  }),

  signed('POST /api/integrations/{integrationId}/github', 'receiveGitHubWebhook', 'Trackers', "GitHub's webhook of a connection: an issue closed or reopened moves its report", {
    description:
      "Add it to the repository as the connection's `hook` says (content type `application/json`, the `issues` event). An issue closed moves its report to done, one reopened back to new, as done by GitHub and not sent back to it; a report already there is left as it is.",
    requestHeaders: { 'X-GitHub-Event': { schema: z.string(), description: '`issues` (acted on when closed or reopened) or `ping` (answered `{"ok": true}`); any other is left alone' } },
    body: json('GitHubIssuesEvent', issuesEventDoc),
    answers: {
      200: ok('The report moved: its id and state (a ping: `ok` only)', named('GitHubWebhookHandled', hookAnswerSchema)),
      202: ok('Left alone, `ignored` says why: the connection is off, another event or action, another repository, an issue no report is linked to', named('GitHubWebhookIgnored', hookIgnoredSchema)),
      400: refusal(SERVER_ERRORS.bodyNotJson),
      404: refusal(SERVER_ERRORS.notFound, ': no GitHub connection has this id'),
    },
  }),
];
