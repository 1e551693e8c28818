/** The list's filter controls (state with counts, rating, environment, comment search, assignee, label, priority) and the query they make. */
import { h, replaceChildren } from './dom.ts';
import { INBOX_STRINGS as S, PRIORITY_LABELS, RATING_LABELS, STATE_LABELS, TEAM_STRINGS as T } from './strings.ts';
import { PRIORITIES, personLabel, type Label, type Member } from './team-types.ts';
import { FEEDBACK_STATES, type FeedbackState, type FilterClause, type Filters } from './types.ts';

/** How long typing pauses before a search runs. */
const TYPING_DEBOUNCE_MS = 300;

/** Items per state under the other filters; `all` is their sum. */
export type StateCounts = Record<FeedbackState | 'all', number>;

/** The filter form and what the list does with it. */
export interface FilterForm {
  element: HTMLElement;
  /** Shows `filters` without reporting a change (after Back, or a link). */
  set(filters: Filters): void;
  /** Shows the counts beside the state buttons (undefined while they load or failed). */
  setCounts(counts: StateCounts | undefined): void;
  /** Offers these environments as suggestions. */
  suggestEnvironments(names: string[]): void;
  /** The project's members and labels to filter by; `meId` is listed first, as "Me". */
  setChoices(members: Member[], labels: Label[], meId: string | undefined): void;
  dispose(): void;
}

/** The read API query for `filters`; `state` may be overridden (for the per-state counts). */
export function filterQuery(filters: Filters, state: FeedbackState | '' = filters.state): FilterClause[] {
  const query: FilterClause[] = [];
  if (state) query.push({ filter_type: 'state', operator: 'eq', value: state });
  if (filters.rating) query.push({ filter_type: 'rating', operator: 'eq', value: Number(filters.rating) });
  if (filters.environment.trim()) query.push({ filter_type: 'environment', operator: 'eq', value: filters.environment.trim() });
  if (filters.text.trim()) query.push({ filter_type: 'comment', operator: 'contains', value: filters.text.trim() });
  if (filters.assignee) query.push({ filter_type: 'assignee', operator: 'eq', value: filters.assignee === 'none' ? null : filters.assignee });
  if (filters.label) query.push({ filter_type: 'label', operator: 'eq', value: filters.label });
  if (filters.priority) query.push({ filter_type: 'priority', operator: 'eq', value: filters.priority });
  return query;
}

/** Builds the form; `onChange` gets the whole new set of filters. */
export function createFilterForm(options: { initial: Filters; onChange(filters: Filters): void }): FilterForm {
  let state: FeedbackState | '' = options.initial.state;
  let counts: StateCounts | undefined;
  let typing: ReturnType<typeof setTimeout> | undefined;

  const stateButtons = (['', ...FEEDBACK_STATES] as const).map((value) =>
    h('button', { type: 'button', class: 'toggle', 'data-state-filter': value || 'all', onclick: () => pickState(value) }),
  );
  const rating = h(
    'select',
    { id: 'filter-rating', name: 'rating', onchange: () => emit() },
    h('option', { value: '' }, S.anyRating),
    [1, 2, 3, 4].map((n) => h('option', { value: String(n) }, `${n} – ${RATING_LABELS[n]}`)),
  );
  const environments = h('datalist', { id: 'filter-environments' });
  const environment = h('input', {
    id: 'filter-environment',
    name: 'environment',
    type: 'text',
    list: 'filter-environments',
    placeholder: S.environmentAny,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'filter-environment-hint',
    onchange: () => emit(),
    oninput: () => emitSoon(),
  });
  const text = h('input', { id: 'filter-text', name: 'q', type: 'search', autocomplete: 'off', oninput: () => emitSoon() });
  const assignee = h('select', { id: 'filter-assignee', name: 'assignee', onchange: () => emit() });
  const label = h('select', { id: 'filter-label', name: 'label', onchange: () => emit() });
  const priority = h(
    'select',
    { id: 'filter-priority', name: 'priority', onchange: () => emit() },
    h('option', { value: '' }, T.anyPriority),
    PRIORITIES.map((p) => h('option', { value: p }, PRIORITY_LABELS[p])),
  );
  // Until the members and labels are loaded, a value from the address is kept as an option.
  const keep = (select: HTMLSelectElement, value: string, fallback: string) => {
    if (value && ![...select.options].some((o) => o.value === value)) select.append(h('option', { value }, fallback));
    select.value = value;
  };

  const element = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': S.filters, onsubmit: (event: Event) => (event.preventDefault(), emit()) },
    h('div', { class: 'state-filter', role: 'group', 'aria-label': S.stateFilter }, stateButtons),
    h(
      'div',
      { class: 'filter-fields' },
      h('div', { class: 'field' }, h('label', { for: 'filter-text' }, S.searchFilter), text),
      h('div', { class: 'field' }, h('label', { for: 'filter-rating' }, S.ratingFilter), rating),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'filter-environment' }, S.environmentFilter),
        environment,
        environments,
        h('p', { id: 'filter-environment-hint', class: 'hint' }, S.environmentHint),
      ),
      h('div', { class: 'field' }, h('label', { for: 'filter-assignee' }, T.assigneeFilter), assignee),
      h('div', { class: 'field' }, h('label', { for: 'filter-label' }, T.labelFilter), label),
      h('div', { class: 'field' }, h('label', { for: 'filter-priority' }, T.priorityFilter), priority),
      h('button', { type: 'button', class: 'secondary', onclick: () => clear() }, S.clearFilters),
    ),
  );

  function read(): Filters {
    return {
      state,
      rating: rating.value,
      environment: environment.value,
      text: text.value,
      assignee: assignee.value,
      label: label.value,
      priority: priority.value as Filters['priority'],
    };
  }
  function emit(): void {
    clearTimeout(typing);
    options.onChange(read());
  }
  function emitSoon(): void {
    clearTimeout(typing);
    typing = setTimeout(emit, TYPING_DEBOUNCE_MS);
  }
  function pickState(value: FeedbackState | ''): void {
    state = value;
    paintStates();
    emit();
  }
  function clear(): void {
    set({ state: '', rating: '', environment: '', text: '', assignee: '', label: '', priority: '' });
    emit();
  }
  function paintStates(): void {
    for (const button of stateButtons) {
      const value = button.dataset.stateFilter as FeedbackState | 'all';
      const label = value === 'all' ? S.allStates : STATE_LABELS[value];
      button.textContent = S.stateCount(label, counts?.[value]);
      button.setAttribute('aria-pressed', String((state || 'all') === value));
    }
  }
  function set(filters: Filters): void {
    state = filters.state;
    rating.value = filters.rating;
    // Don't overwrite what the user is typing right now.
    if (document.activeElement !== environment) environment.value = filters.environment;
    if (document.activeElement !== text) text.value = filters.text;
    keep(assignee, filters.assignee, filters.assignee);
    keep(label, filters.label, filters.label);
    priority.value = filters.priority;
    paintStates();
  }
  function setChoices(members: Member[], labels: Label[], meId: string | undefined): void {
    const [chosenAssignee, chosenLabel] = [assignee.value, label.value];
    const people = [...members].sort((a, b) => Number(b.userId === meId) - Number(a.userId === meId));
    replaceChildren(
      assignee,
      h('option', { value: '' }, T.anyone),
      h('option', { value: 'none' }, T.unassigned),
      people.map((m) => h('option', { value: m.userId }, m.userId === meId ? T.me(personLabel(m)) : personLabel(m))),
    );
    replaceChildren(label, h('option', { value: '' }, T.anyLabel), labels.map((l) => h('option', { value: l.id }, l.name)));
    keep(assignee, chosenAssignee, chosenAssignee);
    keep(label, chosenLabel, chosenLabel);
  }

  setChoices([], [], undefined);
  set(options.initial);
  return {
    element,
    set,
    setChoices,
    setCounts(next) {
      counts = next;
      paintStates();
    },
    suggestEnvironments(names) {
      const known = new Set([...environments.options].map((option) => option.value));
      for (const name of names) if (!known.has(name)) environments.append(h('option', { value: name }));
    },
    dispose: () => clearTimeout(typing),
  };
}
