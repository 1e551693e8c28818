/** Which reports of the list are selected for one change to all: click toggles one, shift-click a range. */

/** The selection of the list shown. */
export interface Selection {
  has(id: string): boolean;
  /** The selected ids, in the list's order. */
  ids(): string[];
  size(): number;
  /**
   * Toggles `id`; with `range`, every item from the last toggled one to `id` (in `order`)
   * takes the state the last toggle gave (as in a mail client). Answers the new state of `id`.
   */
  toggle(id: string, options?: { range?: boolean }): boolean;
  /** Selects every item of `order`, or clears when all are already selected; answers whether all are now selected. */
  toggleAll(): boolean;
  clear(): void;
  /** The list shown now: selected ids no longer on it are dropped. */
  setOrder(order: readonly string[]): void;
}

/** An empty selection over the list `order`. */
export function createSelection(order: readonly string[] = []): Selection {
  let shown = [...order];
  const chosen = new Set<string>();
  let anchor: { id: string; on: boolean } | undefined;
  const selection: Selection = {
    has: (id) => chosen.has(id),
    ids: () => shown.filter((id) => chosen.has(id)),
    size: () => chosen.size,
    toggle(id, options = {}) {
      const from = anchor ? shown.indexOf(anchor.id) : -1;
      const to = shown.indexOf(id);
      if (options.range && anchor && from >= 0 && to >= 0) {
        const [lo, hi] = from < to ? [from, to] : [to, from];
        for (const each of shown.slice(lo, hi + 1)) {
          if (anchor.on) chosen.add(each);
          else chosen.delete(each);
        }
        return anchor.on;
      }
      const on = !chosen.has(id);
      if (on) chosen.add(id);
      else chosen.delete(id);
      anchor = { id, on };
      return on;
    },
    toggleAll() {
      const all = shown.length > 0 && shown.every((id) => chosen.has(id));
      chosen.clear();
      if (!all) for (const id of shown) chosen.add(id);
      anchor = undefined;
      return !all && shown.length > 0;
    },
    clear() {
      chosen.clear();
      anchor = undefined;
    },
    setOrder(next) {
      shown = [...next];
      for (const id of [...chosen]) if (!shown.includes(id)) chosen.delete(id);
      if (anchor && !shown.includes(anchor.id)) anchor = undefined;
    },
  };
  return selection;
}
