/** Pieces the settings page shares: a one-time value with a Copy button, a status line, a guarded action. */
import { errorText, isSignedOut } from './api.ts';
import { h } from './dom.ts';
import { TEAM_STRINGS as T } from './strings.ts';

/** A read-only field holding `value` (a link, a secret) and a Copy button. */
export function copyField(id: string, label: string, value: string, note?: string): HTMLElement {
  const input = h('input', { id, type: 'text', readonly: true, value, spellcheck: 'false', class: 'copy-value' });
  const said = h('span', { class: 'hint', role: 'status' });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      said.textContent = T.copied;
    } catch {
      said.textContent = T.copyFailed;
      input.focus();
      input.select();
    }
  };
  return h(
    'div',
    { class: 'field copy-field' },
    h('label', { for: id }, label),
    h('div', { class: 'copy-row' }, input, h('button', { type: 'button', class: 'secondary', onclick: () => void copy() }, T.copy)),
    note && h('p', { class: 'hint' }, note),
    said,
  );
}

/** Runs `action`, saying its failure in `status` (or `done` when given). */
export async function attempt(status: HTMLElement, action: () => Promise<unknown>, done?: string): Promise<boolean> {
  try {
    await action();
    if (done !== undefined) status.textContent = done;
    return true;
  } catch (error) {
    status.textContent = isSignedOut(error) ? '' : T.saveFailed(errorText(error));
    return false;
  }
}
