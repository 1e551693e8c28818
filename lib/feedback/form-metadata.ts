/** What the form adds to a report's metadata: the feedback type and the answers the wire body has no field for. */
import type { MessageRequest } from '../messaging/protocol';

/** The `form` part of a draft as the worker receives it (already parsed, strings bounded). */
export type FormAnswers = NonNullable<MessageRequest<'feedback:send'>['form']>;

/**
 * The metadata keys of a report's form answers (`type`, then `title`, `name`, `category`,
 * `priority` when answered); nothing for a draft without a form (an older panel).
 */
export function formMetadata(form: FormAnswers | undefined): Record<string, string> | undefined {
  if (!form) return undefined;
  const metadata: Record<string, string> = { type: form.type };
  for (const key of ['title', 'name', 'category', 'priority'] as const) {
    const value = form[key]?.trim();
    if (value) metadata[key] = value;
  }
  return metadata;
}
