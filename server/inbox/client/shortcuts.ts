/** The list's keyboard shortcuts: which key does what, and when keys belong to a field instead. */
import { FEEDBACK_STATES, type FeedbackState } from './types.ts';

/** What a shortcut does. */
export type Shortcut =
  | { kind: 'next' }
  | { kind: 'previous' }
  | { kind: 'open' }
  | { kind: 'select' }
  | { kind: 'select-all' }
  | { kind: 'state'; state: FeedbackState }
  | { kind: 'assign-me' }
  | { kind: 'assignee-picker' }
  | { kind: 'search' }
  | { kind: 'help' };

/** The keys, as the `?` dialog lists them (`key` is `KeyboardEvent.key`). */
export const SHORTCUT_KEYS: ReadonlyArray<{ keys: string[]; shortcut: Shortcut }> = [
  { keys: ['j'], shortcut: { kind: 'next' } },
  { keys: ['k'], shortcut: { kind: 'previous' } },
  { keys: ['Enter'], shortcut: { kind: 'open' } },
  { keys: ['x'], shortcut: { kind: 'select' } },
  { keys: ['*'], shortcut: { kind: 'select-all' } },
  ...FEEDBACK_STATES.map((state, i) => ({ keys: [String(i + 1)], shortcut: { kind: 'state', state } as Shortcut })),
  { keys: ['a'], shortcut: { kind: 'assign-me' } },
  { keys: ['A'], shortcut: { kind: 'assignee-picker' } },
  { keys: ['/'], shortcut: { kind: 'search' } },
  { keys: ['?'], shortcut: { kind: 'help' } },
];

/** The part of a key event that decides. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The element the key went to. */
  target: { tagName?: string; isContentEditable?: boolean; type?: string } | null;
}

const TEXT_INPUTS = new Set(['text', 'search', 'email', 'password', 'url', 'tel', 'number', 'date', 'datetime-local', 'month', 'time', 'week', 'color']);

/** True when keys typed at `target` are text (or a choice) for it, not shortcuts. */
export function isTypingTarget(target: KeyPress['target']): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName?.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return tag === 'INPUT' && TEXT_INPUTS.has((target.type ?? 'text').toLowerCase());
}

/** The shortcut a key press means, or undefined (typing in a field, a modifier held, an unknown key). */
export function shortcutFor(press: KeyPress): Shortcut | undefined {
  if (press.ctrlKey || press.metaKey || press.altKey || isTypingTarget(press.target)) return undefined;
  // Enter is the link's or the button's own when focus is on one: only a row's other parts open it.
  const tag = press.target?.tagName?.toUpperCase();
  if (press.key === 'Enter' && (tag === 'A' || tag === 'BUTTON' || tag === 'INPUT')) return undefined;
  return SHORTCUT_KEYS.find((entry) => entry.keys.includes(press.key))?.shortcut;
}
