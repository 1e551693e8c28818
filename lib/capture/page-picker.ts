/**
 * The region and element pickers, drawn over the page by the panel's content script (in its
 * closed shadow root, so the page can neither style nor see them). Both resolve with a box
 * in CSS pixels of the viewport, or null when the user presses Escape.
 */
import type { Rect } from '../screenshot/annotations';
import { cssSelector, describeElement } from './css-selector';

/** A box in CSS pixels of the viewport. */
export type ViewportRect = Rect;
/** What the element picker found. */
export type PickedElement = { rect: ViewportRect; selector: string };

/** Smaller drags are taken as a click, not a region. */
const MIN_REGION_PX = 4;
/** Arrow keys move (or, with Alt, resize) the keyboard's box this far; ten times with Shift. */
const KEY_STEP_PX = 10;
const ARROWS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
const ACCENT = '#2563eb';

const OVERLAY_STYLE = `
  .overlay { position: fixed; inset: 0; z-index: 2147483647; visibility: visible; cursor: crosshair;
    touch-action: none; user-select: none; }
  .overlay.region { background: rgba(0, 0, 0, 0.35); }
  .box { position: fixed; visibility: visible; pointer-events: none; border: 2px solid ${ACCENT};
    box-sizing: border-box; }
  .region .box { background: transparent; box-shadow: 0 0 0 100vmax rgba(0, 0, 0, 0.35); }
  .overlay.region:has(.box:not([hidden])) { background: transparent; }
  .element .box { background: rgba(37, 99, 235, 0.15); }
  .label { position: fixed; visibility: visible; pointer-events: none; padding: 2px 6px; border-radius: 4px;
    font: 12px/1.4 ui-monospace, monospace; color: #fff; background: ${ACCENT}; white-space: nowrap;
    max-width: 60vw; overflow: hidden; text-overflow: ellipsis; }
  .hint { position: fixed; top: 12px; left: 50%; transform: translateX(-50%); visibility: visible;
    pointer-events: none; padding: 6px 12px; border-radius: 6px; font: 13px/1.4 system-ui, sans-serif;
    color: #fff; background: rgba(0, 0, 0, 0.75); }`;

const place = (element: HTMLElement, rect: ViewportRect) => {
  Object.assign(element.style, { left: `${rect.x}px`, top: `${rect.y}px`, width: `${rect.width}px`, height: `${rect.height}px` });
  element.hidden = false;
};

/** Mounts the overlay, runs `wire` on it, and removes it when `wire`'s promise settles or on Escape. */
function withOverlay<T>(
  root: ShadowRoot,
  kind: 'region' | 'element',
  hint: string,
  wire: (parts: { overlay: HTMLDivElement; box: HTMLDivElement; label: HTMLDivElement }, done: (value: T | null) => void) => void,
): Promise<T | null> {
  return new Promise((resolve) => {
    const style = document.createElement('style');
    style.textContent = OVERLAY_STYLE;
    const overlay = document.createElement('div');
    overlay.className = `overlay ${kind}`;
    overlay.tabIndex = -1;
    const [box, label, hintElement] = [document.createElement('div'), document.createElement('div'), document.createElement('div')];
    box.className = 'box';
    label.className = 'label';
    hintElement.className = 'hint';
    hintElement.textContent = hint;
    box.hidden = label.hidden = true;
    overlay.append(box, label, hintElement);
    root.append(style, overlay);
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      done(null);
    };
    const done = (value: T | null) => {
      window.removeEventListener('keydown', onKey, true);
      style.remove();
      overlay.remove();
      resolve(value);
    };
    window.addEventListener('keydown', onKey, true);
    wire({ overlay, box, label }, done);
    overlay.focus();
  });
}

/** The keyboard's box after an arrow key: moved, or with Alt resized, and kept inside the viewport. */
export function nudgeRect(rect: ViewportRect, key: string, shift: boolean, alt: boolean, viewport: { width: number; height: number }): ViewportRect {
  const [dx, dy] = ARROWS[key] ?? [0, 0];
  const step = KEY_STEP_PX * (shift ? 10 : 1);
  const width = Math.min(viewport.width, Math.max(MIN_REGION_PX, rect.width + (alt ? dx * step : 0)));
  const height = Math.min(viewport.height, Math.max(MIN_REGION_PX, rect.height + (alt ? dy * step : 0)));
  const x = Math.min(viewport.width - width, Math.max(0, rect.x + (alt ? 0 : dx * step)));
  const y = Math.min(viewport.height - height, Math.max(0, rect.y + (alt ? 0 : dy * step)));
  return { x, y, width, height };
}

/** The element the keyboard moves to from `current`: its parent, first child, or a sibling. */
export function stepElement(current: Element, key: string): Element {
  const next =
    key === 'ArrowUp' ? current.parentElement
    : key === 'ArrowDown' ? current.firstElementChild
    : key === 'ArrowLeft' ? current.previousElementSibling
    : key === 'ArrowRight' ? current.nextElementSibling
    : null;
  return next && next !== document.documentElement ? next : current;
}

/** The page dims; the user drags a rectangle, or makes one with the arrow keys (Alt resizes) and Enter. */
export function pickRegion(root: ShadowRoot, hint: string): Promise<ViewportRect | null> {
  return withOverlay<ViewportRect>(root, 'region', hint, ({ overlay, box }, done) => {
    let start: { x: number; y: number } | undefined;
    let keyed: ViewportRect | undefined;
    overlay.addEventListener('keydown', (event) => {
      const viewport = { width: window.innerWidth, height: window.innerHeight };
      if (event.key === 'Enter' && keyed) return done(keyed);
      if (!(event.key in ARROWS) && event.key !== 'Enter') return;
      event.preventDefault();
      // The first key shows a box over the middle half of the viewport.
      keyed = keyed
        ? nudgeRect(keyed, event.key, event.shiftKey, event.altKey, viewport)
        : { x: viewport.width / 4, y: viewport.height / 4, width: viewport.width / 2, height: viewport.height / 2 };
      place(box, keyed);
    });
    const rectTo = (event: PointerEvent): ViewportRect => ({
      x: Math.min(start!.x, event.clientX),
      y: Math.min(start!.y, event.clientY),
      width: Math.abs(event.clientX - start!.x),
      height: Math.abs(event.clientY - start!.y),
    });
    overlay.addEventListener('pointerdown', (event) => {
      start = { x: event.clientX, y: event.clientY };
      overlay.setPointerCapture(event.pointerId);
    });
    overlay.addEventListener('pointermove', (event) => start && place(box, rectTo(event)));
    overlay.addEventListener('pointerup', (event) => {
      if (!start) return;
      const rect = rectTo(event);
      start = undefined;
      if (rect.width >= MIN_REGION_PX && rect.height >= MIN_REGION_PX) done(rect);
      else box.hidden = true;
    });
  });
}

/**
 * Hovering highlights the element under the pointer with its tag, id and classes; a click
 * picks it. By keyboard: the element in the middle of the viewport is highlighted, arrow
 * keys move to its parent, first child or siblings, Enter picks.
 */
export function pickElement(root: ShadowRoot, hint: string): Promise<PickedElement | null> {
  const host = root.host;
  const elementAt = (x: number, y: number) => document.elementsFromPoint(x, y).find((element) => element !== host && element !== document.documentElement);
  return withOverlay<PickedElement>(root, 'element', hint, ({ overlay, box, label }, done) => {
    let current: Element | undefined;
    const highlight = (element: Element | undefined) => {
      current = element;
      if (!current) return;
      const { x, y, width, height } = current.getBoundingClientRect();
      place(box, { x, y, width, height });
      label.textContent = `${describeElement(current)}  ${Math.round(width)}×${Math.round(height)}`;
      label.hidden = false;
      Object.assign(label.style, { left: `${Math.max(0, x)}px`, top: `${y > 24 ? y - 22 : y + height + 2}px` });
    };
    const pick = (picked: Element) => {
      const { x, y, width, height } = picked.getBoundingClientRect();
      done({ rect: { x, y, width, height }, selector: cssSelector(picked) });
    };
    overlay.addEventListener('pointermove', (event) => highlight(elementAt(event.clientX, event.clientY)));
    overlay.addEventListener('click', (event) => {
      const picked = current ?? elementAt(event.clientX, event.clientY);
      if (picked) pick(picked);
    });
    overlay.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && current) return pick(current);
      if (!(event.key in ARROWS)) return;
      event.preventDefault();
      highlight(current ? stepElement(current, event.key) : elementAt(window.innerWidth / 2, window.innerHeight / 2));
    });
  });
}
