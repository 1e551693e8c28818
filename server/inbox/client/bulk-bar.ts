/** The bar above the list: "Select all", how many are selected, and one change applied to all of them. */
import { errorText, isSignedOut, type Api } from './api.ts';
import { h, replaceChildren } from './dom.ts';
import { PRIORITY_LABELS, STATE_LABELS, TEAM_STRINGS as T } from './strings.ts';
import type { TeamContext } from './team-context.ts';
import { PRIORITIES, personLabel, type BulkChange } from './team-types.ts';
import { FEEDBACK_STATES } from './types.ts';

/** The bar, and what the list tells it. */
export interface BulkBar {
  element: HTMLElement;
  /** Shows the count and whether all are selected. */
  paint(selected: number, shown: number): void;
  /** The project's members and labels for the pickers. */
  setContext(context: TeamContext): void;
  /** Moves focus to the assignee picker. */
  focusAssignee(): void;
  /** Says something in the bar's status line. */
  say(text: string): void;
}

/** What the bar needs: the ids to change, and what to do after. */
export interface BulkBarOptions {
  api: Api;
  projectId(): string;
  selected(): string[];
  onToggleAll(): void;
  onClear(): void;
  /** After a change was stored. */
  onChanged(): void;
}

/** Builds the bar. */
export function createBulkBar(options: BulkBarOptions): BulkBar {
  const all = h('input', { type: 'checkbox', id: 'select-all', onchange: () => options.onToggleAll() });
  const count = h('span', { class: 'selected-count' });
  const status = h('p', { class: 'bulk-status', role: 'status' });
  const picker = (id: string, label: string, make: (value: string) => BulkChange) => {
    const select = h('select', { id, onchange: () => void apply(select, make(select.value)) });
    return { select, field: h('div', { class: 'field' }, h('label', { for: id }, label), select) };
  };
  const state = picker('bulk-state', T.bulkState, (v) => ({ state: v as BulkChange['state'] }));
  const assignee = picker('bulk-assignee', T.bulkAssignee, (v) => ({ assigneeId: v === 'none' ? null : v }));
  const priority = picker('bulk-priority', T.bulkPriority, (v) => ({ priority: v as BulkChange['priority'] }));
  const addLabel = picker('bulk-add-label', T.bulkAddLabel, (v) => ({ addLabelIds: [v] }));
  const removeLabel = picker('bulk-remove-label', T.bulkRemoveLabel, (v) => ({ removeLabelIds: [v] }));
  const choose = () => h('option', { value: '' }, T.choose);
  replaceChildren(state.select, choose(), FEEDBACK_STATES.map((s) => h('option', { value: s }, STATE_LABELS[s])));
  replaceChildren(priority.select, choose(), PRIORITIES.map((p) => h('option', { value: p }, PRIORITY_LABELS[p])));
  const changes = h(
    'fieldset',
    { class: 'bulk-changes', disabled: true },
    h('legend', { class: 'visually-hidden' }, T.bulkTitle),
    state.field,
    assignee.field,
    priority.field,
    addLabel.field,
    removeLabel.field,
    h('button', { type: 'button', class: 'secondary', onclick: () => options.onClear() }, T.clearSelection),
  );
  const element = h(
    'div',
    { class: 'bulk-bar', role: 'group', 'aria-label': T.bulkTitle },
    h('label', { class: 'choice', for: 'select-all' }, all, T.selectAll),
    count,
    changes,
    status,
  );

  async function apply(select: HTMLSelectElement, change: BulkChange): Promise<void> {
    if (!select.value) return;
    const ids = options.selected();
    select.value = '';
    if (ids.length === 0) return void (status.textContent = T.nothingToChange);
    changes.disabled = true;
    try {
      const items = await options.api.bulk(options.projectId(), ids, change);
      status.textContent = T.bulkDone(items.length);
      options.onChanged();
    } catch (error) {
      status.textContent = isSignedOut(error) ? '' : T.bulkFailed(errorText(error));
    } finally {
      changes.disabled = options.selected().length === 0;
    }
  }

  return {
    element,
    paint(selected, shown) {
      count.textContent = T.selectedCount(selected);
      all.checked = shown > 0 && selected === shown;
      all.indeterminate = selected > 0 && selected < shown;
      changes.disabled = selected === 0;
    },
    setContext(context) {
      replaceChildren(
        assignee.select,
        choose(),
        h('option', { value: 'none' }, T.unassigned),
        context.members.map((m) => h('option', { value: m.userId }, m.userId === context.me?.id ? T.me(personLabel(m)) : personLabel(m))),
      );
      for (const picked of [addLabel, removeLabel]) replaceChildren(picked.select, choose(), context.labels.map((l) => h('option', { value: l.id }, l.name)));
    },
    focusAssignee: () => assignee.select.focus(),
    say: (text) => void (status.textContent = text),
  };
}
