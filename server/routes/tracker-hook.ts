/**
 * What the trackers' own webhooks (github-hook.ts, jira-hook.ts) share: the options, the cap
 * on the body, and moving a linked report to the state the tracker says, triaged with the
 * connection as its source so that it is not sent back (no echo).
 */
import type { Context } from 'hono';
import { capBody } from '../body-cap.ts';
import { CLOSE_AFTER_ANSWER, SERVER_ERRORS } from '../constants.ts';
import type { Integration, TrackerLink } from '../storage/outbox-types.ts';
import type { FeedbackState, Storage } from '../storage/types.ts';
import { triage } from '../triage.ts';
import { publicBase } from './upload-form.ts';

/** What a tracker's hook needs. */
export interface TrackerHookOptions {
  storage: Storage;
  masterKey: Uint8Array;
  nowMs: () => number;
  publicUrl?: string;
  onEmailsQueued?: () => void;
  onOutboxQueued?: () => void;
}

/** The cap on a hook's body. */
export const hookBodyCap = (maxBytes: number) =>
  capBody({ maxBytes, onTooLarge: (c) => c.json({ error: `Body too large (max ${maxBytes / 1024 / 1024}MB)` }, 413, CLOSE_AFTER_ANSWER) });

/** Moves the linked report to `state` as the tracker (`actorLabel`) did; the answer to give the tracker. */
export async function moveLinkedReport(
  c: Context,
  options: TrackerHookOptions,
  integration: Integration,
  link: TrackerLink,
  state: FeedbackState,
  actorLabel: string,
): Promise<Response> {
  const client = await options.storage.getClient(integration.clientId);
  if (!client) return c.json({ error: SERVER_ERRORS.notFound }, 404);
  await triage(
    {
      storage: options.storage,
      client,
      actor: { id: null, label: actorLabel },
      nowMs: options.nowMs(),
      inboxBase: `${publicBase(c, options.publicUrl)}/`,
      onEmailsQueued: options.onEmailsQueued,
      onOutboxQueued: options.onOutboxQueued,
      source: integration.id,
    },
    [link.feedbackId],
    { state },
  );
  return c.json({ ok: true, feedbackId: link.feedbackId, state });
}
