/** The `?` dialog listing the keyboard shortcuts (a modal <dialog>: Escape closes it). */
import { h } from './dom.ts';
import { STATE_LABELS, TEAM_STRINGS as T } from './strings.ts';
import { SHORTCUT_KEYS, type Shortcut } from './shortcuts.ts';

function describe(shortcut: Shortcut): string {
  if (shortcut.kind === 'state') return T.shortcut.state(STATE_LABELS[shortcut.state]);
  return T.shortcut[shortcut.kind];
}

/** Opens the dialog; it removes itself when closed and focus returns where it was. */
export function openShortcutDialog(): void {
  const before = document.activeElement as HTMLElement | null;
  const dialog = h(
    'dialog',
    { class: 'shortcuts-dialog', 'aria-labelledby': 'shortcuts-title' },
    h('h2', { id: 'shortcuts-title' }, T.shortcutsTitle),
    h('dl', { class: 'shortcut-list' }, SHORTCUT_KEYS.map((entry) => [h('dt', {}, entry.keys.map((key) => h('kbd', {}, key))), h('dd', {}, describe(entry.shortcut))])),
    h('form', { method: 'dialog' }, h('button', { type: 'submit', class: 'primary' }, T.close)),
  );
  dialog.addEventListener('close', () => {
    dialog.remove();
    before?.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
}
