/**
 * The replay in the detail view: rrweb's player (the global `rrwebReplay` of /assets/rrweb-replay.js,
 * loaded on first use) plays the stored gzip, inflated here with DecompressionStream, from the
 * moment the feedback was given. The #replay section reports what happened, for people and
 * tests: `data-replay-state` is `loading`, then `playing` or `error` (with `data-replay-error`);
 * `data-replay-current-ms` follows the player; `data-replay-finished` turns `true` at the end.
 */
import type { Replayer } from '@rrweb/replay';
import { h } from './dom.ts';
import { INBOX_STRINGS as S } from './strings.ts';

declare global {
  // Set by the player's UMD script.
  var rrwebReplay: { Replayer: typeof Replayer } | undefined;
}

const REBUILD_TIMEOUT_MS = 5000;
const TICK_MS = 200;

/** Where the player's files are, and what to play. */
export interface ReplaySource {
  fileUrl: string;
  offsetMs: number;
  playerScriptUrl: string;
  playerStyleUrl: string;
  /** Where the player's controls and page go; the section itself by default. */
  slot?: HTMLElement;
  /** Called once the first snapshot is rebuilt, with what drives the player. */
  onReady?(player: ReplayPlayer): void;
}

/** The playing replay, for the timeline beside it. */
export interface ReplayPlayer {
  /** The recorded events, as loaded. */
  events: readonly unknown[];
  /** Where the player's controls and page are: the scrubber goes under them. */
  box: HTMLElement;
  /** Plays from `ms` on the replay's clock. */
  seek(ms: number): void;
  /** Calls `listener` with the player's time as it plays (every tick); returns what stops it. */
  onTime(listener: (currentMs: number) => void): () => void;
}

// One <script>/<link> per document, found again by their data attribute rather than remembered.
function loadOnce(tag: 'script' | 'link', url: string): Promise<void> {
  const existing = document.head.querySelector<HTMLElement>(`[data-inbox-asset="${CSS.escape(url)}"]`);
  if (existing?.dataset.loaded === 'true') return Promise.resolve();
  const element =
    existing ??
    document.head.appendChild(
      tag === 'script' ? h('script', { src: url, 'data-inbox-asset': url }) : h('link', { rel: 'stylesheet', href: url, 'data-inbox-asset': url }),
    );
  return new Promise((resolve, reject) => {
    element.addEventListener('load', () => ((element.dataset.loaded = 'true'), resolve()), { once: true });
    element.addEventListener('error', () => (element.remove(), reject(new Error(S.replayPlayerFailed))), { once: true });
  });
}

async function loadEvents(url: string, signal: AbortSignal): Promise<unknown[]> {
  const res = await fetch(url, { signal });
  if (!res.ok || !res.body) throw new Error(S.replayHttpFailed(res.status));
  // The server keeps the gzip as the browser made it and serves it without Content-Encoding.
  const text = await new Response(res.body.pipeThrough(new DecompressionStream('gzip'))).text();
  return JSON.parse(text) as unknown[];
}

/** Plays into `section` (the #replay element); returns what stops it. */
export function mountReplay(section: HTMLElement, source: ReplaySource): () => void {
  const abort = new AbortController();
  const cleanups: (() => void)[] = [() => abort.abort()];
  const status = h('p', { 'data-replay-status': '', role: 'status' }, S.replayLoading);
  const root = h('div', { class: 'replay-root', 'data-replay-root': '' });
  const buttons = {
    start: h('button', { type: 'button', class: 'secondary', disabled: true }, S.replayFromStart),
    feedback: h('button', { type: 'button', class: 'secondary', disabled: true }, S.replayFromFeedback),
    pause: h('button', { type: 'button', class: 'secondary', disabled: true }, S.replayPause),
  };
  const box = h('div', { class: 'replay-player' }, status, h('div', { class: 'replay-controls' }, buttons.start, buttons.feedback, buttons.pause), root);
  (source.slot ?? section).append(box);
  section.dataset.replayState = 'loading';
  section.dataset.replayCurrentMs = '0';

  const show = (state: string, text: string) => {
    section.dataset.replayState = state;
    status.textContent = text;
  };

  async function start(): Promise<void> {
    const [events] = await Promise.all([
      loadEvents(source.fileUrl, abort.signal),
      loadOnce('script', source.playerScriptUrl),
      loadOnce('link', source.playerStyleUrl),
    ]);
    if (abort.signal.aborted) return;
    if (!globalThis.rrwebReplay) throw new Error(S.replayPlayerFailed);
    let warnings = 0;
    const replayer = new globalThis.rrwebReplay.Replayer(events as never, {
      root,
      mouseTail: false,
      logger: {
        log: () => undefined,
        warn: () => void (section.dataset.replayWarnings = String(++warnings)),
      },
    });
    cleanups.push(() => replayer.pause());
    fitToWidth(replayer, root, cleanups);
    // The first full snapshot is rebuilt on play, or on a timer the Replayer sets itself.
    const rebuilt = new Promise((resolve, reject) => {
      replayer.on('fullsnapshot-rebuilded', resolve);
      const timer = setTimeout(() => reject(new Error(S.replayNotRebuilt)), REBUILD_TIMEOUT_MS);
      cleanups.push(() => clearTimeout(timer));
    });
    replayer.on('finish', () => void (section.dataset.replayFinished = 'true'));
    const playFrom = (ms: number) => {
      section.dataset.replayFinished = 'false';
      replayer.play(ms);
    };
    playFrom(source.offsetMs);
    await rebuilt;
    if (abort.signal.aborted) return;
    show('playing', S.replayPlaying(source.offsetMs));
    const listeners = new Set<(currentMs: number) => void>();
    const tick = () => {
      const currentMs = Math.round(replayer.getCurrentTime());
      section.dataset.replayCurrentMs = String(currentMs);
      for (const listener of listeners) listener(currentMs);
    };
    const ticker = setInterval(tick, TICK_MS);
    cleanups.push(() => clearInterval(ticker), () => listeners.clear());
    buttons.start.onclick = () => playFrom(0);
    buttons.feedback.onclick = () => playFrom(source.offsetMs);
    buttons.pause.onclick = () => replayer.pause();
    for (const button of Object.values(buttons)) button.disabled = false;
    source.onReady?.({
      events,
      box,
      seek: (ms) => (playFrom(ms), tick()),
      onTime: (listener) => (listeners.add(listener), () => void listeners.delete(listener)),
    });
  }

  start().catch((error: unknown) => {
    if (abort.signal.aborted) return;
    const message = error instanceof Error ? error.message : String(error);
    section.dataset.replayError = message;
    show('error', S.replayFailed(message));
  });
  return () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
}

// The recording keeps its own viewport size; scale it down to the pane instead of scrolling.
function fitToWidth(replayer: Replayer, root: HTMLElement, cleanups: (() => void)[]): void {
  let size: { width: number; height: number } | undefined;
  const fit = () => {
    if (!size || size.width <= 0) return;
    const scale = Math.min(1, root.clientWidth / size.width);
    replayer.wrapper.style.transformOrigin = '0 0';
    replayer.wrapper.style.transform = `scale(${scale})`;
    root.style.height = `${Math.ceil(size.height * scale)}px`;
  };
  replayer.on('resize', (dimension) => {
    size = dimension as { width: number; height: number };
    fit();
  });
  const observer = new ResizeObserver(fit);
  observer.observe(root);
  cleanups.push(() => observer.disconnect());
}
