/** The manifest's own messages (`__MSG_extName__`...), in English; wxt.config.ts refers to them by name. */
import type { Message } from './i18n';

/** Name, description and the shortcut's description, as the browser and the stores show them. */
export const MANIFEST_MESSAGES: Record<'extName' | 'extDescription' | 'commandOpenFeedback', Message> = {
  extName: { message: 'Loupe' },
  extDescription: { message: 'Leave feedback on any web page: a rating, a comment and screenshots.' },
  commandOpenFeedback: { message: 'Give feedback on this page' },
};
