/** A list row's triage parts: its selection checkbox, and chips for the assignee, the labels and the priority. */
import { h, type Child } from './dom.ts';
import { PRIORITY_LABELS, TEAM_STRINGS as T } from './strings.ts';
import { memberById, type TeamContext } from './team-context.ts';
import { personLabel, type TriagedItem } from './team-types.ts';

/** A label's colour when it is a plain hex colour (the server checks, the page checks again). */
export function safeColor(color: string): string | undefined {
  return /^#[0-9a-fA-F]{6}$/.test(color) ? color : undefined;
}

/** Black or white text, whichever reads better on `hex` (WCAG relative luminance). */
export function textOn(hex: string): '#000000' | '#ffffff' {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return luminance > 0.179 ? '#000000' : '#ffffff';
}

/** A coloured chip for a label. */
export function labelChip(label: { name: string; color: string }): HTMLElement {
  const color = safeColor(label.color);
  const style = color ? `background:${color};color:${textOn(color)};border-color:${color}` : undefined;
  return h('span', { class: 'chip label-chip', style }, label.name);
}

/** The chips of an item: assignee, labels, priority (nothing of what the server does not send). */
export function triageChips(item: TriagedItem, context: TeamContext | undefined): Child[] {
  const assignee = memberById(context ?? ({ members: [] } as unknown as TeamContext), item.assigneeId);
  const labels = (item.labelIds ?? []).map((id) => context?.labels.find((l) => l.id === id)).filter((l) => l !== undefined);
  return [
    item.priority && item.priority !== 'neutral' && h('span', { class: `badge priority priority-${item.priority}` }, T.priorityBadge(PRIORITY_LABELS[item.priority] ?? item.priority)),
    item.assigneeId && h('span', { class: 'chip assignee-chip', 'data-field': 'assignee' }, T.assignedTo(assignee ? personLabel(assignee) : T.unknownMember)),
    labels.map((label) => labelChip(label)),
  ];
}

/** The row's checkbox: a click toggles, shift-click toggles a range (`onToggle` is told which). */
export function rowCheckbox(id: string, title: string, checked: boolean, onToggle: (id: string, range: boolean) => void): HTMLInputElement {
  let shift = false;
  return h('input', {
    type: 'checkbox',
    class: 'row-select',
    'data-select-id': id,
    'aria-label': T.selectItem(title),
    checked,
    // The click event knows about Shift; the change that follows does the work.
    onclick: (event: MouseEvent) => (shift = event.shiftKey),
    onchange: () => {
      onToggle(id, shift);
      shift = false;
    },
  });
}
