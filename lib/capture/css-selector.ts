/** A CSS selector that finds one element again: what the element capture puts in `metadata`. */

const MAX_DEPTH = 12;

/** `CSS.escape` where the platform has it (every browser Loupe runs in; tests may not). */
const escape = (value: string) => (typeof globalThis.CSS === 'object' ? CSS.escape(value) : value.replace(/[^\w-]/g, (c) => `\\${c}`));

/**
 * The shortest path up to an element with a unique id (or the root), each step narrowed by
 * `:nth-of-type` only where siblings share its tag. Ids the page generates (digits and hex
 * runs) are skipped: they would not find the element on the next load.
 */
export function cssSelector(element: Element): string {
  const steps: string[] = [];
  let current: Element | null = element;
  while (current && steps.length < MAX_DEPTH) {
    const id = current.id;
    if (id && !/\d{3,}|[0-9a-f]{8,}/i.test(id) && current.ownerDocument.querySelectorAll(`#${escape(id)}`).length === 1) {
      steps.unshift(`#${escape(id)}`);
      break;
    }
    const tag = current.localName;
    const parent: Element | null = current.parentElement;
    if (!parent) {
      steps.unshift(tag);
      break;
    }
    const sameTag = [...parent.children].filter((child) => child.localName === tag);
    steps.unshift(sameTag.length > 1 ? `${tag}:nth-of-type(${sameTag.indexOf(current) + 1})` : tag);
    current = parent;
  }
  return steps.join(' > ');
}

/** How the element picker labels an element: its tag, id and classes, e.g. `button#save.primary.large`. */
export function describeElement(element: Element): string {
  const classes = [...element.classList].slice(0, 4).map((name) => `.${name}`).join('');
  return `${element.localName}${element.id ? `#${element.id}` : ''}${classes}`;
}
