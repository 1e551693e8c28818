/** The report page's triage controls: "Assignee" (members + Unassigned), priority and labels; read-only for viewers. */
import { errorText, isSignedOut, type Api } from './api.ts';
import { h } from './dom.ts';
import { labelChip, triageChips } from './list-row.ts';
import { PRIORITY_LABELS, TEAM_STRINGS as T } from './strings.ts';
import type { TeamContext } from './team-context.ts';
import { PRIORITIES, personLabel, type TriagedItem } from './team-types.ts';

/** The controls for `item`; `onChanged` gets the item as the server now has it. */
export function renderTriage(api: Api, context: TeamContext, item: TriagedItem, onChanged: (item: TriagedItem) => void): HTMLElement {
  const title = h('h3', { id: 'triage-title' }, T.triageTitle);
  if (!context.canTriage) {
    return h('section', { class: 'triage', 'aria-labelledby': 'triage-title' }, title, h('p', { class: 'item-triage' }, triageChips(item, context)));
  }
  const status = h('p', { class: 'triage-status', role: 'status' });
  async function save(change: Parameters<Api['changeItem']>[2]): Promise<void> {
    try {
      item = await api.changeItem(item.clientId, item.id, change);
      status.textContent = T.triageSaved;
      onChanged(item);
    } catch (error) {
      status.textContent = isSignedOut(error) ? '' : T.triageFailed(errorText(error));
    }
  }
  const assignee = h(
    'select',
    { id: 'triage-assignee', onchange: () => void save({ assigneeId: assignee.value || null }) },
    h('option', { value: '' }, T.unassigned),
    context.members.map((m) => h('option', { value: m.userId, selected: m.userId === item.assigneeId }, m.userId === context.me?.id ? T.me(personLabel(m)) : personLabel(m))),
  );
  const priority = h(
    'select',
    { id: 'triage-priority', onchange: () => void save({ priority: priority.value as TriagedItem['priority'] }) },
    PRIORITIES.map((p) => h('option', { value: p, selected: p === (item.priority ?? 'neutral') }, PRIORITY_LABELS[p])),
  );
  const labelBoxes = context.labels.map((label) =>
    h(
      'label',
      { class: 'choice' },
      h('input', { type: 'checkbox', value: label.id, checked: (item.labelIds ?? []).includes(label.id), onchange: () => void save({ labelIds: checkedLabels() }) }),
      labelChip(label),
    ),
  );
  const checkedLabels = () => labelBoxes.map((l) => l.querySelector('input')!).filter((box) => box.checked).map((box) => box.value);
  return h(
    'section',
    { class: 'triage', 'aria-labelledby': 'triage-title' },
    title,
    h(
      'div',
      { class: 'triage-fields' },
      h('div', { class: 'field' }, h('label', { for: 'triage-assignee' }, T.assignee), assignee),
      h('div', { class: 'field' }, h('label', { for: 'triage-priority' }, T.priority), priority),
    ),
    h('fieldset', { class: 'triage-labels' }, h('legend', {}, T.labels), labelBoxes.length ? labelBoxes : h('p', { class: 'hint' }, T.noLabels)),
    status,
  );
}
