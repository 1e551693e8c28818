/**
 * The page's side of a full-page capture: it scrolls the page slice by slice, hides fixed
 * and sticky elements after the first slice (so a sticky header appears once, at the top),
 * and puts the page back as it was: scroll position and every style it touched.
 */

/** The page's size, in CSS pixels. */
export type PageExtent = { height: number; viewportHeight: number; width: number; devicePixelRatio: number };

/** A full-page capture in progress. */
export type PageScroller = {
  extent: PageExtent;
  /** Scrolls to `y` and resolves with where the page really is once painted. */
  scrollTo(y: number, hideFixed: boolean): Promise<number>;
  /** Restores the scroll position and styles. */
  finish(): void;
};

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));

/** Elements that stay on screen while the page scrolls. */
function pinnedElements(root: Element): HTMLElement[] {
  const pinned: HTMLElement[] = [];
  for (const element of root.querySelectorAll<HTMLElement>('*')) {
    const position = getComputedStyle(element).position;
    if (position === 'fixed' || position === 'sticky') pinned.push(element);
  }
  return pinned;
}

/** Starts a full-page capture of `window`'s document; `exclude` (the panel) is never touched. */
export function startPageScroller(exclude: Element): PageScroller {
  const root = document.documentElement;
  const [startX, startY] = [window.scrollX, window.scrollY];
  const pinned = pinnedElements(document.body ?? root).filter((element) => !exclude.contains(element));
  // Saved as written, so that restoring puts back exactly the page's own inline styles.
  const saved = new Map<HTMLElement, [string, string]>();
  const setImportant = (element: HTMLElement, property: string, value: string) => {
    if (!saved.has(element)) saved.set(element, [element.style.getPropertyValue(property), element.style.getPropertyPriority(property)]);
    element.style.setProperty(property, value, 'important');
  };
  const rootBehaviour = [root.style.getPropertyValue('scroll-behavior'), root.style.getPropertyPriority('scroll-behavior')] as const;
  root.style.setProperty('scroll-behavior', 'auto', 'important'); // a smooth scroll would not be there yet
  let hidden = false;

  return {
    extent: {
      height: Math.max(root.scrollHeight, document.body?.scrollHeight ?? 0),
      viewportHeight: root.clientHeight || window.innerHeight,
      width: window.innerWidth,
      devicePixelRatio: window.devicePixelRatio,
    },
    async scrollTo(y, hideFixed) {
      if (hideFixed && !hidden) {
        for (const element of pinned) setImportant(element, 'visibility', 'hidden');
        hidden = true;
      }
      window.scrollTo(0, y);
      await nextFrame();
      await nextFrame();
      return window.scrollY;
    },
    finish() {
      for (const [element, [value, priority]] of saved) element.style.setProperty('visibility', value, priority);
      root.style.setProperty('scroll-behavior', ...rootBehaviour);
      window.scrollTo(startX, startY);
    },
  };
}
