/** The inbox's keyboard: j/k, Enter, x, state and assignee keys on the selected (or current) reports, `?` for the list. */
import { errorText, isSignedOut, type Api } from './api.ts';
import type { ListView } from './list.ts';
import { openShortcutDialog } from './shortcut-dialog.ts';
import { shortcutFor } from './shortcuts.ts';
import { TEAM_STRINGS as T } from './strings.ts';
import type { TeamContext } from './team-context.ts';
import type { BulkChange } from './team-types.ts';

/** What the keys act on. */
export interface ShortcutOptions {
  api: Api;
  list: ListView;
  context(): TeamContext | undefined;
  openId(): string | undefined;
  open(id: string): void;
  /** After a change: the list and the open report again. */
  refresh(): void;
  /** False while another page (settings) is shown. */
  active(): boolean;
}

/** Listens for the shortcuts; answers what stops listening. */
export function mountListShortcuts(options: ShortcutOptions): () => void {
  const { list } = options;
  async function change(change: BulkChange): Promise<void> {
    const context = options.context();
    if (!context?.canTriage) return;
    const ids = list.targets(options.openId());
    if (ids.length === 0) return list.say(T.nothingToChange);
    try {
      const items = await options.api.bulk(context.projectId, ids, change);
      list.say(T.bulkDone(items.length));
      options.refresh();
    } catch (error) {
      if (!isSignedOut(error)) list.say(T.bulkFailed(errorText(error)));
    }
  }
  const onKey = (event: KeyboardEvent) => {
    if (!options.active() || document.querySelector('dialog[open]')) return;
    const shortcut = shortcutFor({ key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey, altKey: event.altKey, target: event.target as HTMLElement | null });
    if (!shortcut) return;
    event.preventDefault();
    const context = options.context();
    switch (shortcut.kind) {
      case 'next':
      case 'previous':
        return list.moveFocus(shortcut.kind === 'next' ? 1 : -1, options.openId());
      case 'open': {
        const [id] = list.targets(undefined);
        if (id) options.open(id);
        return;
      }
      case 'select':
        return void list.toggleCurrent(options.openId());
      case 'select-all':
        return list.toggleAll();
      case 'state':
        return void change({ state: shortcut.state });
      case 'assign-me':
        if (!context?.me) return list.say(T.needsPerson);
        return void change({ assigneeId: context.me.id });
      case 'assignee-picker': {
        const picker = document.getElementById('triage-assignee');
        if (picker && !list.targets(undefined).length) return picker.focus();
        return list.focusBulkAssignee();
      }
      case 'search':
        return document.getElementById('filter-text')?.focus();
      case 'help':
        return openShortcutDialog();
    }
  };
  addEventListener('keydown', onKey);
  return () => removeEventListener('keydown', onKey);
}
