/** The list's filter controls (state with counts, rating, environment, comment search) and the query they make. */
import { h } from './dom.ts';
import { INBOX_STRINGS as S, RATING_LABELS, STATE_LABELS } from './strings.ts';
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
  dispose(): void;
}

/** The read API query for `filters`; `state` may be overridden (for the per-state counts). */
export function filterQuery(filters: Filters, state: FeedbackState | '' = filters.state): FilterClause[] {
  const query: FilterClause[] = [];
  if (state) query.push({ filter_type: 'state', operator: 'eq', value: state });
  if (filters.rating) query.push({ filter_type: 'rating', operator: 'eq', value: Number(filters.rating) });
  if (filters.environment.trim()) query.push({ filter_type: 'environment', operator: 'eq', value: filters.environment.trim() });
  if (filters.text.trim()) query.push({ filter_type: 'comment', operator: 'contains', value: filters.text.trim() });
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
      h('button', { type: 'button', class: 'secondary', onclick: () => clear() }, S.clearFilters),
    ),
  );

  function read(): Filters {
    return { state, rating: rating.value, environment: environment.value, text: text.value };
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
    set({ state: '', rating: '', environment: '', text: '' });
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
    paintStates();
  }

  set(options.initial);
  return {
    element,
    set,
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
