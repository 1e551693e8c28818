/**
 * What the panel host guard (host-guard.ts) checks: whether the host still looks as the
 * mount made it, whether the page's hit test finds it, and which document changes can
 * hide the top layer. Read in the content script's world, where the page cannot patch them.
 */

/** Whatever sits in the top layer; only what was shown after the host can be above it. */
export const TOP_LAYER = ':popover-open, :modal, :fullscreen';
/** `checkVisibility` options for the top layer. Not `opacityProperty`: an ancestor's opacity does not reach the top layer (the root at 0 still shows the panel). */
export const VISIBLE = { visibilityProperty: true, contentVisibilityAuto: true };
// The host's own look, as the mount's inline !important declarations make it.
const HOST_LOOK: [string, string][] = [
  ['opacity', '1'],
  ['transform', 'none'],
  ['filter', 'none'],
  ['clip-path', 'none'],
  ['mix-blend-mode', 'normal'],
];
const STYLING = new Set(['STYLE', 'LINK']);
/** Whether a document change can hide the top layer (the root's or body's style, a stylesheet added or edited): checked at once, not at the next periodic check. */
export const mayRestyle = (record: MutationRecord, host: Element) =>
  record.target === document.documentElement ||
  record.target === document.body ||
  STYLING.has(record.target.nodeName) ||
  [...record.addedNodes, ...record.removedNodes].some((node) => node === host || STYLING.has(node.nodeName));
// Where the host must be what the page hit-tests: the frame's middle and four points around it.
const PROBES = [
  [0.5, 0.5],
  [0.2, 0.2],
  [0.8, 0.2],
  [0.2, 0.8],
  [0.8, 0.8],
] as const;

/** Whether two boxes share any area. */
export const overlaps = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Whether the host's own look is still what the mount's inline !important declarations make it. */
export function looksAsMade(host: Element): boolean {
  const look = getComputedStyle(host);
  return HOST_LOOK.every(([name, value]) => look.getPropertyValue(name) === value);
}

/** Whether the page's own hit test finds `host` at each probe of `box` (clipped to the viewport); false for an empty box. */
export function hitsHost(host: Element, box: DOMRect): boolean {
  const left = Math.max(box.left, 0);
  const top = Math.max(box.top, 0);
  const width = Math.min(box.right, innerWidth) - left;
  const height = Math.min(box.bottom, innerHeight) - top;
  if (width <= 0 || height <= 0) return false;
  return PROBES.every(([x, y]) => document.elementFromPoint(left + x * width, top + y * height) === host);
}
