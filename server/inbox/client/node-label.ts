/**
 * The recorded page's elements as rrweb serialised them (full snapshots, then mutations), kept
 * just far enough to name the element a step acted on: its aria-label, its text, or tag#id.
 * Input values are never read: the label of a field comes from its label, never its value.
 * https://github.com/rrweb-io/rrweb/blob/master/packages/types/src/index.ts (serializedNode, mutationData)
 */

/** How long a label may be before it is shortened. */
export const LABEL_MAX_CHARS = 60;

type Node = { tag: string | undefined; attrs: Record<string, string>; text: string; parent: number | undefined; children: number[] };

// Elements a person acts on: a click on a <span> inside a <button> names the button.
const ACTIONABLE_TAGS = new Set(['a', 'button', 'input', 'select', 'textarea', 'summary', 'label', 'option']);
const ACTIONABLE_ROLES = new Set(['button', 'link', 'tab', 'menuitem', 'checkbox', 'radio', 'switch', 'option', 'treeitem']);
const FIELD_TAGS = new Set(['input', 'select', 'textarea']);
const TEXTLESS_TAGS = new Set(['script', 'style', 'noscript', 'template']);
const ANCESTORS_CLIMBED = 6;

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const isId = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);
const clip = (text: string) => (text.length > LABEL_MAX_CHARS ? `${text.slice(0, LABEL_MAX_CHARS - 1)}…` : text);
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The recorded page's elements by rrweb id. */
export interface NodeIndex {
  /** Starts again from a full snapshot's `data.node`. */
  reset(snapshot: unknown): void;
  /** Applies an incremental mutation's `data` (adds, removes, texts, attributes). */
  mutate(data: unknown): void;
  /** The lower-case tag and attributes of an element; undefined for anything else. */
  element(id: number): { tag: string; attrs: Readonly<Record<string, string>> } | undefined;
  /** A short name for the element (or the control it is part of), e.g. `Save`, `Email`, `div#main`. */
  label(id: number): string | undefined;
}

/** An empty index. */
export function createNodeIndex(): NodeIndex {
  const nodes = new Map<number, Node>();

  // A serialised node and, for a snapshot, its whole subtree; returns its id.
  const add = (raw: unknown, parent: number | undefined): number | undefined => {
    const node = record(raw);
    if (!node || !isId(node.id)) return undefined;
    const attrs: Record<string, string> = Object.create(null);
    for (const [name, value] of Object.entries(record(node.attributes) ?? {})) {
      if (typeof value === 'string' || typeof value === 'number') attrs[name.toLowerCase()] = String(value);
    }
    const tag = node.type === 2 && typeof node.tagName === 'string' ? node.tagName.toLowerCase() : undefined;
    const text = node.type === 3 && typeof node.textContent === 'string' ? node.textContent : '';
    const entry: Node = { tag, attrs, text, parent, children: [] };
    nodes.set(node.id, entry);
    for (const child of list(node.childNodes)) {
      const childId = add(child, node.id);
      if (childId !== undefined) entry.children.push(childId);
    }
    return node.id;
  };
  const detach = (id: number) => {
    const parent = nodes.get(id)?.parent;
    const siblings = parent === undefined ? undefined : nodes.get(parent)?.children;
    const at = siblings?.indexOf(id) ?? -1;
    if (at >= 0) siblings!.splice(at, 1);
  };

  const textOf = (id: number, budget = { chars: 4 * LABEL_MAX_CHARS }): string => {
    const node = nodes.get(id);
    if (!node || budget.chars <= 0) return '';
    if (node.tag === undefined) {
      budget.chars -= node.text.length;
      return node.text;
    }
    if (TEXTLESS_TAGS.has(node.tag) || FIELD_TAGS.has(node.tag)) return '';
    return node.children.map((child) => textOf(child, budget)).join(' ');
  };
  const isActionable = (node: Node) => ACTIONABLE_TAGS.has(node.tag!) || ACTIONABLE_ROLES.has(node.attrs.role ?? '');
  // The <label> a field is in, or the one whose `for` names its id.
  const fieldLabel = (id: number, node: Node): string => {
    for (let up = node.parent, n = 0; up !== undefined && n < ANCESTORS_CLIMBED; up = nodes.get(up)?.parent, n++) {
      if (nodes.get(up)?.tag === 'label') return squash(textOf(up));
    }
    if (!node.attrs.id) return '';
    for (const [otherId, other] of nodes) {
      if (other.tag === 'label' && other.attrs.for === node.attrs.id) return squash(textOf(otherId));
    }
    return '';
  };
  const nameOf = (id: number, node: Node): string => {
    const tag = node.tag!;
    const named =
      squash(node.attrs['aria-label'] ?? '') ||
      (FIELD_TAGS.has(tag) ? fieldLabel(id, node) || squash(node.attrs.placeholder ?? '') : squash(textOf(id))) ||
      squash(node.attrs.title ?? '') ||
      squash(node.attrs.alt ?? '');
    if (named) return clip(named);
    return clip(node.attrs.id ? `${tag}#${node.attrs.id}` : node.attrs.name ? `${tag}[name=${node.attrs.name}]` : tag);
  };

  return {
    reset(snapshot) {
      nodes.clear();
      add(snapshot, undefined);
    },
    mutate(raw) {
      const data = record(raw);
      if (!data) return;
      for (const removed of list(data.removes)) {
        const id = record(removed)?.id;
        if (isId(id)) detach(id);
      }
      for (const added of list(data.adds)) {
        const { parentId, nextId, node } = record(added) ?? {};
        const parent = isId(parentId) ? nodes.get(parentId) : undefined;
        const id = add(node, isId(parentId) ? parentId : undefined);
        if (id === undefined || !parent) continue;
        const before = isId(nextId) ? parent.children.indexOf(nextId) : -1;
        parent.children.splice(before >= 0 ? before : parent.children.length, 0, id);
      }
      for (const changed of list(data.texts)) {
        const { id, value } = record(changed) ?? {};
        const node = isId(id) ? nodes.get(id) : undefined;
        if (node && typeof value === 'string') node.text = value;
      }
      for (const changed of list(data.attributes)) {
        const { id, attributes } = record(changed) ?? {};
        const node = isId(id) ? nodes.get(id) : undefined;
        for (const [name, value] of Object.entries(record(attributes) ?? {})) {
          if (!node) break;
          if (typeof value === 'string') node.attrs[name.toLowerCase()] = value;
          else if (value === null) delete node.attrs[name.toLowerCase()];
        }
      }
    },
    element(id) {
      const node = nodes.get(id);
      return node?.tag === undefined ? undefined : { tag: node.tag, attrs: node.attrs };
    },
    label(id) {
      let target = nodes.get(id);
      if (target?.tag === undefined && target?.parent !== undefined) [id, target] = [target.parent, nodes.get(target.parent)];
      if (target?.tag === undefined) return undefined;
      for (let up: number | undefined = id, n = 0; up !== undefined && n < ANCESTORS_CLIMBED; n++) {
        const node = nodes.get(up);
        if (!node || node.tag === undefined) break;
        if (isActionable(node)) return nameOf(up, node);
        up = node.parent;
      }
      return nameOf(id, target);
    },
  };
}
