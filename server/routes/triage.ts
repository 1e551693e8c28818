/**
 * Triage routes of the read API (docs/team-api.md "Triage"): a report's change, a bulk change
 * and the project's labels. Mounted by createReadApi, behind its project middleware (role set).
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import * as z from 'zod/mini';
import type { FieldIssues } from '../../lib/api/schemas.ts';
import { actorOf, requireRole } from '../auth/access.ts';
import { READ_API_ERRORS, TRIAGE_ERRORS } from '../constants.ts';
import { newTeamId } from '../ids.ts';
import { toItemsJson } from '../read-api/items.ts';
import { parseBulkChange, parseLabelChange, parseNewLabel, parseTriageChange } from '../read-api/triage-schemas.ts';
import type { Label } from '../storage/team-types.ts';
import { checkReferences, triage, type TriageRequest, type TriageWant } from '../triage.ts';
import { invalid, readJsonBody } from '../read-api/json-body.ts';
import type { ProjectEnv, ReadApiOptions } from './read-api.ts';
import { publicBase } from './upload-form.ts';

/** A label as the API shows it. */
export const labelSchema = z.object({ id: z.string(), name: z.string(), color: z.string().check(z.regex(/^#[0-9a-f]{6}$/)) });

const labelJson = (label: Label): z.infer<typeof labelSchema> => ({ id: label.id, name: label.name, color: label.color });

/** Adds the triage routes to the read API's app; `cappedBody` bounds every body. */
export function addTriageRoutes(api: Hono<ProjectEnv>, options: ReadApiOptions, cappedBody: MiddlewareHandler): void {
  const { storage } = options;
  const member = requireRole('member');

  const requestOf = (c: Context<ProjectEnv>): TriageRequest => ({
    storage,
    client: c.get('client'),
    actor: actorOf(c.get('access')),
    nowMs: options.nowMs(),
    inboxBase: `${publicBase(c, options.publicUrl)}/`,
    onEmailsQueued: options.onEmailsQueued,
    onOutboxQueued: options.onOutboxQueued,
  });
  const refused = (c: Context, issues: FieldIssues) =>
    Object.keys(issues).length > 0 ? invalid(c, READ_API_ERRORS.invalidBody, issues) : undefined;

  api.patch('/:clientId/feedbacks/:id', member, cappedBody, async (c) => {
    const body = await readJsonBody(c);
    const parsed = body.ok ? parseTriageChange(body.value) : body;
    if (!parsed.ok) return invalid(c, READ_API_ERRORS.invalidBody, parsed.issues);
    const { labelIds, ...fields } = parsed.value;
    const clientId = c.get('client').id;
    const labels = [{ place: 'labelIds', ids: labelIds ?? [] }];
    const bad = refused(c, await checkReferences(storage, clientId, { assigneeId: fields.assigneeId, labels }, 'assigneeId'));
    if (bad) return bad;
    const want: TriageWant = { ...fields, labels: labelIds && (() => labelIds) };
    const done = await triage(requestOf(c), [c.req.param('id')], want);
    if (!done.ok) return c.json({ error: READ_API_ERRORS.feedbackNotFound }, 404);
    const [item] = await toItemsJson(storage, [done.items[0]!.row], publicBase(c, options.publicUrl));
    return c.json(item);
  });

  api.post('/:clientId/feedbacks/bulk', member, cappedBody, async (c) => {
    const body = await readJsonBody(c);
    const parsed = body.ok ? parseBulkChange(body.value) : body;
    if (!parsed.ok) return invalid(c, READ_API_ERRORS.invalidBody, parsed.issues);
    const { ids, change } = parsed.value;
    const { addLabelIds = [], removeLabelIds = [], ...fields } = change;
    const labels = [
      { place: 'change.addLabelIds', ids: addLabelIds },
      { place: 'change.removeLabelIds', ids: removeLabelIds },
    ];
    const clientId = c.get('client').id;
    const bad = refused(c, await checkReferences(storage, clientId, { assigneeId: fields.assigneeId, labels }, 'change.assigneeId'));
    if (bad) return bad;
    const relabel = addLabelIds.length > 0 || removeLabelIds.length > 0;
    const want: TriageWant = {
      ...fields,
      labels: relabel ? (current) => [...current, ...addLabelIds].filter((id) => !removeLabelIds.includes(id)) : undefined,
    };
    const done = await triage(requestOf(c), ids, want);
    if (!done.ok) {
      const issues: FieldIssues = Object.fromEntries(done.missing.map((at) => [`ids.${at}`, [TRIAGE_ERRORS.notAnItem]]));
      return invalid(c, READ_API_ERRORS.invalidBody, issues);
    }
    return c.json({ items: await toItemsJson(storage, done.items.map((item) => item.row), publicBase(c, options.publicUrl)) });
  });

  api.get('/:clientId/labels', async (c) => c.json({ items: (await storage.team.listLabels(c.get('client').id)).map(labelJson) }));

  api.post('/:clientId/labels', member, cappedBody, async (c) => {
    const body = await readJsonBody(c);
    const parsed = body.ok ? parseNewLabel(body.value) : body;
    if (!parsed.ok) return invalid(c, READ_API_ERRORS.invalidBody, parsed.issues);
    const label: Label = {
      id: newTeamId('label'),
      clientId: c.get('client').id,
      ...parsed.value,
      createdAt: new Date(options.nowMs()).toISOString(),
    };
    if (!(await storage.team.insertLabel(label))) return c.json({ error: TRIAGE_ERRORS.labelNameTaken }, 409);
    return c.json(labelJson(label), 201);
  });

  api.patch('/:clientId/labels/:labelId', member, cappedBody, async (c) => {
    const body = await readJsonBody(c);
    const parsed = body.ok ? parseLabelChange(body.value) : body;
    if (!parsed.ok) return invalid(c, READ_API_ERRORS.invalidBody, parsed.issues);
    const label = await storage.team.updateLabel(c.get('client').id, c.req.param('labelId'), parsed.value);
    if (label === undefined) return c.json({ error: TRIAGE_ERRORS.labelNotFound }, 404);
    if (label === false) return c.json({ error: TRIAGE_ERRORS.labelNameTaken }, 409);
    return c.json(labelJson(label));
  });

  api.delete('/:clientId/labels/:labelId', member, async (c) => {
    if (!(await storage.team.deleteLabel(c.get('client').id, c.req.param('labelId')))) {
      return c.json({ error: TRIAGE_ERRORS.labelNotFound }, 404);
    }
    return c.body(null, 204);
  });
}
