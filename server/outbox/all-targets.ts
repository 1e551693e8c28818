/** The kinds of integration this server delivers to, each with its target (targets.ts). */
import type { Targets } from './targets.ts';
import { webhookTarget } from './webhook.ts';

/** Every kind's target. */
export const OUTBOX_TARGETS: Targets = { webhook: webhookTarget };
