/**
 * Keeps the panel's host element the way the mount made it against page script, which
 * can reach the host (not the frame inside its closed shadow root): its attributes, its
 * place in the DOM, its popover state and its place at the top of the top layer. What the
 * page changes is put back at once; a page that keeps changing it is given up on. The
 * frame takes pointer events only while the host is verified visible and on top, so a
 * click can never land in a panel the user cannot see.
 */
import { hitsHost, looksAsMade, mayRestyle, overlaps, TOP_LAYER, VISIBLE } from './host-checks';

/** How often the host is verified, besides after every change the guard can observe. */
export const GUARD_CHECK_MS = 150;
/** How often the browser may tell that the frame became covered or see-through (its minimum is 100 ms). */
export const OCCLUSION_DELAY_MS = 100;
/** More re-assertions than this within GUARD_FIGHT_WINDOW_MS: the page keeps fighting. */
export const GUARD_MAX_REASSERTS = 10;
/** The window in which re-assertions are counted. */
export const GUARD_FIGHT_WINDOW_MS = 2_000;

/** Why the guard gave up: the page removed the host, or kept undoing what the guard put back. */
export type GiveUpReason = 'removed' | 'fighting';

/** What the guard needs from the mount. */
export type GuardOptions = {
  host: HTMLElement;
  frame: HTMLIFrameElement;
  /** The style attribute the host must carry right now (the mount changes it to place and hide the panel). */
  style(): string;
  /** False while the mount hides the panel on purpose (capture, picker): the frame then takes no pointer events. */
  shown(): boolean;
  /** Called once when the guard gives up; the mount closes the panel and says why. */
  onGiveUp(reason: GiveUpReason): void;
};

const ALLOWED_ATTRIBUTES = new Set(['style', 'popover']);

/** Starts guarding `options.host` (already shown as a popover); returns the disposer that stops every observer and timer. */
export function guardHost(options: GuardOptions): () => void {
  const { host, frame } = options;
  const root = document.documentElement;
  // Top-layer elements that were open when the host was last shown: they are below it.
  let below = new Set<Element>();
  const reasserts: number[] = [];
  let stopped = false;
  let queued = false;

  const allowPointer = (allowed: boolean) => frame.style.setProperty('pointer-events', allowed ? 'auto' : 'none', 'important');
  let reshowing = false;
  const showOnTop = () => {
    reshowing = true;
    try {
      if (host.matches(':popover-open')) host.hidePopover();
      host.showPopover();
    } finally {
      reshowing = false;
    }
    below = new Set(document.querySelectorAll(TOP_LAYER));
  };
  const laterTopLayer = (frameBox: DOMRect) => {
    for (const element of below) if (!element.matches(TOP_LAYER)) below.delete(element);
    return [...document.querySelectorAll(TOP_LAYER)].some(
      (element) => element !== host && !below.has(element) && element.checkVisibility(VISIBLE) && overlaps(element.getBoundingClientRect(), frameBox),
    );
  };
  // Puts back what the page changed; true when something had to be.
  const reassert = () => {
    let changed = false;
    for (const { name } of [...host.attributes]) {
      if (!ALLOWED_ATTRIBUTES.has(name)) {
        host.removeAttribute(name);
        changed = true;
      }
    }
    if (host.getAttribute('style') !== options.style()) {
      host.setAttribute('style', options.style());
      changed = true;
    }
    if (host.getAttribute('popover') !== 'manual') {
      host.setAttribute('popover', 'manual');
      changed = true;
    }
    if (host.parentNode !== root) {
      // moveBefore keeps the frame's document (a plain append reloads it, and the user's text with it).
      const move = (root as Element & { moveBefore?: (node: Node, child: Node | null) => void }).moveBefore;
      if (move) move.call(root, host, null);
      else root.append(host);
      changed = true;
    }
    const frameBox = frame.getBoundingClientRect();
    if (!host.matches(':popover-open') || laterTopLayer(frameBox)) {
      showOnTop();
      changed = true;
    }
    return changed;
  };
  const verified = () =>
    unoccluded !== false &&
    looksAsMade(host) &&
    host.checkVisibility(VISIBLE) &&
    frame.checkVisibility(VISIBLE) &&
    hitsHost(host, frame.getBoundingClientRect());

  const giveUp = (reason: GiveUpReason) => {
    stop();
    options.onGiveUp(reason);
  };
  const check = () => {
    queued = false;
    if (stopped) return;
    if (!host.isConnected) return giveUp('removed');
    let changed = reassert();
    const shown = options.shown();
    // Hidden on purpose (a capture) and shown again: what the occlusion observer said while
    // hidden is stale until it reports again, so it must not count as a cover to fight.
    if (shown && !wasShown) unoccluded = undefined;
    wasShown = shown;
    let fine = !shown || verified();
    if (!fine && !changed) {
      // Covered or see-through with nothing else amiss: back to the top of the top layer, then look again.
      showOnTop();
      changed = true;
      fine = verified();
    }
    if (changed) {
      const nowMs = performance.now();
      reasserts.push(nowMs);
      while (reasserts[0]! < nowMs - GUARD_FIGHT_WINDOW_MS) reasserts.shift();
      if (reasserts.length > GUARD_MAX_REASSERTS) return giveUp('fighting');
    }
    allowPointer(shown && fine);
  };
  // Observers and events run before the next input event is handled: a change made by page
  // script is undone before the user can click through it.
  const soon = () => {
    if (queued || stopped) return;
    queued = true;
    queueMicrotask(check);
  };
  // The host's own toggles count only when someone else caused them: `beforetoggle` fires
  // synchronously (while the guard re-shows it, the flag is up); `toggle` comes later and adds nothing.
  const onToggle = (event: Event) => {
    if (event.target === host) {
      if (event.type === 'beforetoggle' && !reshowing) soon();
      return;
    }
    if ((event as ToggleEvent).newState === 'open') below.delete(event.target as Element);
    soon();
  };

  // IntersectionObserver v2 sees what hit-testing cannot: a cover the page made click-through
  // (`pointer-events: none`), even in a shadow root whose toggles never reach the window.
  // Chromium only (https://web.dev/articles/intersectionobserver-v2); elsewhere it stays undefined.
  let unoccluded: boolean | undefined;
  let wasShown = true;
  const occlusion = new IntersectionObserver(
    (entries) => {
      const entry = entries.at(-1) as (IntersectionObserverEntry & { isVisible?: boolean }) | undefined;
      if (entry?.isVisible === undefined) return;
      unoccluded = entry.isVisible;
      soon();
    },
    { threshold: [0, 1], trackVisibility: true, delay: OCCLUSION_DELAY_MS } as IntersectionObserverInit,
  );
  occlusion.observe(frame);
  const hostObserver = new MutationObserver(soon);
  hostObserver.observe(host, { attributes: true });
  const documentObserver = new MutationObserver((records) => {
    if (records.some((record) => mayRestyle(record, host))) soon();
  });
  documentObserver.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['style', 'class', 'media'] });
  // Capture on window: popover and dialog toggles do not bubble (and never leave a shadow root: the occlusion observer sees those).
  for (const type of ['beforetoggle', 'toggle']) window.addEventListener(type, onToggle, true);
  const timer = setInterval(check, GUARD_CHECK_MS);
  const stop = () => {
    stopped = true;
    occlusion.disconnect();
    hostObserver.disconnect();
    documentObserver.disconnect();
    for (const type of ['beforetoggle', 'toggle']) window.removeEventListener(type, onToggle, true);
    clearInterval(timer);
  };

  allowPointer(false);
  below = new Set(document.querySelectorAll(TOP_LAYER));
  check();
  return stop;
}
