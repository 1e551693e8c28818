/**
 * The read API in the OpenAPI document (api-contract.md section 2, docs/team-api.md "Triage" and
 * "Discussion and history"): projects, lists, filters, one item, triage, labels, comments, activity.
 */
import { DISCUSSION_ERRORS, READ_API_ERRORS, TEAM_ERRORS, TRIAGE_ERRORS } from '../constants.ts';
import { feedbackItemSchema, feedbackPageSchema } from '../read-api/items.ts';
import { filterBodyDocSchema, listQuerySchema } from '../read-api/schemas.ts';
import { bulkSchema, changeSchema, labelChangeSchema, newLabelSchema } from '../read-api/triage-schemas.ts';
import { activitySchema, commentBody, commentSchema } from '../routes/comments.ts';
import { projectSchema } from '../routes/projects.ts';
import { feedbackCountSchema, projectSummarySchema } from '../routes/read-api.ts';
import { labelSchema } from '../routes/triage.ts';
import { newProjectBody, projectChangeBody } from '../team-api/schemas.ts';
import { json, listOf, named, ok, operation, refusal, type AnswerSpec, type OperationSpec } from './build.ts';

const team = operation('team');
const P = '/api/projects/{clientId}';
const { shape } = listQuerySchema;
const PAGING = {
  limit: { schema: shape.limit, description: 'Items per page, 1 to 100 (default 10)' },
  after: { schema: shape.after, description: "The current page's last id: the page after it (older items in the default order)" },
  before: { schema: shape.before, description: "The current page's first id: the page before it; not with `after`" },
};
const PAGE = named('FeedbackPage', feedbackPageSchema, 'A page: its items, the cursors of the pages either side (`null` at an end) and whether more follow in the direction of travel.');
const FILTER = { json: named('FeedbackFilter', filterBodyDocSchema(), 'Filters, all ANDed, and the order (default `updated_at`, newest first). `{}` is every item.') };
const PROJECT = named('Project', projectSchema);
const ITEM = named('FeedbackItem', feedbackItemSchema);
const LABEL = named('Label', labelSchema);
const COMMENT = named('Comment', commentSchema);
const COMMENT_BODY = { json: named('CommentBody', commentBody, 'Markdown: the inbox renders a safe subset. `@name` or `@email` of a member mentions them.') };

const noFeedback = refusal(READ_API_ERRORS.feedbackNotFound);
const noLabel = refusal(TRIAGE_ERRORS.labelNotFound);
const labelTaken = refusal(TRIAGE_ERRORS.labelNameTaken);
const badPaging: AnswerSpec = {
  description: `\`${READ_API_ERRORS.invalidQuery}\` (the paging, or an unknown cursor) or \`${READ_API_ERRORS.invalidFilter}\` (the body), each place in \`issues\``,
  body: 'invalid',
};
const commentGone: Record<number, AnswerSpec> = {
  403: refusal(DISCUSSION_ERRORS.notAuthor, ', a member no longer, or a session without its CSRF token'),
  404: refusal(DISCUSSION_ERRORS.commentNotFound, ' (or no such project)'),
  409: refusal(DISCUSSION_ERRORS.commentDeleted),
};

/** Projects, feedback, triage, labels and discussion under /api/projects. */
export const READ_OPERATIONS: OperationSpec[] = [
  team('GET /api/projects', 'listProjects', 'Projects', 'The projects the caller reads', {
    answers: { 200: ok('Every project for the admin token and the server owner, its own for a key, theirs for a person (with their role)', listOf('ProjectList', projectSummarySchema)) },
  }),
  team('POST /api/projects', 'createProject', 'Projects', 'Create a project (the server owner or the admin token; a person who creates one owns it)', {
    body: json('NewProject', newProjectBody),
    answers: { 201: ok('Created', PROJECT), 403: refusal(TEAM_ERRORS.projectsNeedOwner, ', or a session without its CSRF token') },
  }),
  team(`GET ${P}`, 'getProject', 'Projects', "A project's settings and the caller's role", { answers: { 200: ok('The project', PROJECT) } }),
  team(`PATCH ${P}`, 'updateProject', 'Projects', "Change a project's settings (owner)", { body: json('ProjectChange', projectChangeBody, true), answers: { 200: ok('The project', PROJECT) } }),

  team(`GET ${P}/feedbacks`, 'listFeedback', 'Feedback', 'A page of feedback, newest-updated first', { query: PAGING, answers: { 200: ok('The page', PAGE), 400: badPaging } }),
  team(`POST ${P}/feedbacks/filter`, 'filterFeedback', 'Feedback', 'A page of the feedback that passes the filters', { query: PAGING, body: FILTER, answers: { 200: ok('The page', PAGE), 400: badPaging } }),
  team(`POST ${P}/feedbacks/filter/count`, 'countFeedback', 'Feedback', 'How many items pass the filters', { body: FILTER, answers: { 200: ok('The count', named('FeedbackCount', feedbackCountSchema)) } }),
  team(`GET ${P}/feedbacks/{id}`, 'getFeedback', 'Feedback', 'One feedback item', { answers: { 200: ok('The item', ITEM), 404: noFeedback } }),
  team(`PATCH ${P}/feedbacks/{id}`, 'triageFeedback', 'Triage', "Change a report's state, assignee, priority or labels (member)", {
    description: "At least one field. `assigneeId` must be a member of the project or `null`, label ids the project's. A field given with the value it has changes nothing.",
    body: json('TriageChange', changeSchema),
    answers: { 200: ok('The item', ITEM), 404: noFeedback },
  }),
  team(`POST ${P}/feedbacks/bulk`, 'bulkTriage', 'Triage', 'One change to many reports, all or none (member)', {
    description: 'At most 100 ids, each a report of the project (else `400` naming `ids.<i>`, and nothing changes); labels are added and taken off.',
    body: json('BulkChange', bulkSchema),
    answers: { 200: ok("The items, in `ids`' order", listOf('FeedbackItemList', feedbackItemSchema)) },
  }),

  team(`GET ${P}/labels`, 'listLabels', 'Triage', "The project's labels", { answers: { 200: ok('The labels', listOf('LabelList', labelSchema)) } }),
  team(`POST ${P}/labels`, 'createLabel', 'Triage', 'Add a label (member)', { body: json('NewLabel', newLabelSchema), answers: { 201: ok('Created', LABEL), 409: labelTaken } }),
  team(`PATCH ${P}/labels/{labelId}`, 'updateLabel', 'Triage', 'Rename or recolour a label (member)', { body: json('LabelChange', labelChangeSchema), answers: { 200: ok('The label', LABEL), 404: noLabel, 409: labelTaken } }),
  team(`DELETE ${P}/labels/{labelId}`, 'deleteLabel', 'Triage', 'Delete a label, taking it off every report (member)', { answers: { 204: ok('Deleted'), 404: noLabel } }),

  team(`GET ${P}/feedbacks/{id}/comments`, 'listComments', 'Discussion', "A report's comments, oldest first", {
    answers: { 200: ok('The comments; a deleted one keeps its place with an empty body', listOf('CommentList', commentSchema)), 404: noFeedback },
  }),
  team(`POST ${P}/feedbacks/{id}/comments`, 'createComment', 'Discussion', 'Comment on a report (a member who is a person)', {
    body: COMMENT_BODY,
    answers: {
      201: ok('Created', COMMENT),
      403: refusal(TEAM_ERRORS.signInRequired, ' for tokens (a comment has a person as its author); not a member; or a session without its CSRF token'),
      404: noFeedback,
    },
  }),
  team(`PATCH ${P}/comments/{commentId}`, 'updateComment', 'Discussion', 'Edit a comment (its author)', { body: COMMENT_BODY, answers: { 200: ok('The comment', COMMENT), ...commentGone } }),
  team(`DELETE ${P}/comments/{commentId}`, 'deleteComment', 'Discussion', 'Delete a comment (its author); it stays in place as deleted', { answers: { 204: ok('Deleted'), ...commentGone } }),
  team(`GET ${P}/feedbacks/{id}/activity`, 'listActivity', 'Discussion', "A report's history, oldest first", {
    answers: { 200: ok('The entries: created, state, assigned, labelled, priority, commented', listOf('ActivityList', activitySchema)), 404: noFeedback },
  }),
];
