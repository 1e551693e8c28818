/**
 * The feedback page's one script, served from /assets (the page's policy allows no inline
 * script). It inflates the stored gzip in the browser and hands the events to rrweb's
 * Replayer, and reports on the #replay section what happened, for people and for tests:
 * `data-replay-state` is `loading`, then `playing` (rebuilt and started) or `error` (with
 * `data-replay-error`); `data-replay-current-ms` follows the player; `data-replay-finished`
 * turns `true` at the end.
 */

/** The script's source (plain ES2020, no imports: the player is the global `rrwebReplay`). */
export const FEEDBACK_PAGE_SCRIPT = String.raw`(() => {
  'use strict';
  const section = document.getElementById('replay');
  if (!section || !section.dataset.replayUrl) return;
  const status = section.querySelector('[data-replay-status]');
  const root = section.querySelector('[data-replay-root]');
  const offsetMs = Number(section.dataset.replayOffsetMs) || 0;
  const REBUILD_TIMEOUT_MS = 5000;
  const TICK_MS = 200;

  const show = (state, text) => {
    section.dataset.replayState = state;
    status.textContent = text;
  };
  const fail = (error) => {
    const message = error instanceof Error ? error.message : String(error);
    section.dataset.replayError = message;
    show('error', 'The replay could not be played: ' + message);
  };

  async function loadEvents() {
    const res = await fetch(section.dataset.replayUrl);
    if (!res.ok || !res.body) throw new Error('loading it failed (HTTP ' + res.status + ')');
    // The server stores the gzip as the browser made it and serves it without Content-Encoding.
    const text = await new Response(res.body.pipeThrough(new DecompressionStream('gzip'))).text();
    return JSON.parse(text);
  }

  async function start(events) {
    if (typeof rrwebReplay === 'undefined') throw new Error('the player script did not load');
    const warnings = [];
    const replayer = new rrwebReplay.Replayer(events, {
      root,
      mouseTail: false,
      logger: {
        log: () => {},
        warn: (...args) => {
          warnings.push(args.map(String).join(' '));
          section.dataset.replayWarnings = String(warnings.length);
        },
      },
    });
    // The first full snapshot is rebuilt on play, or on a timer the Replayer sets itself.
    const rebuilt = new Promise((resolve, reject) => {
      replayer.on('fullsnapshot-rebuilded', resolve);
      setTimeout(() => reject(new Error('the page was not rebuilt from its snapshot')), REBUILD_TIMEOUT_MS);
    });
    replayer.on('finish', () => { section.dataset.replayFinished = 'true'; });
    const playFrom = (ms) => {
      section.dataset.replayFinished = 'false';
      replayer.play(ms);
    };
    playFrom(offsetMs);
    await rebuilt;
    show('playing', 'Playing from ' + (offsetMs / 1000).toFixed(1) + ' s, where the feedback was given.');

    const timer = setInterval(() => {
      section.dataset.replayCurrentMs = String(Math.round(replayer.getCurrentTime()));
    }, TICK_MS);
    const actions = { start: () => playFrom(0), feedback: () => playFrom(offsetMs), pause: () => replayer.pause() };
    for (const button of section.querySelectorAll('[data-replay-seek]')) {
      button.disabled = false;
      button.addEventListener('click', () => actions[button.dataset.replaySeek]());
    }
    addEventListener('pagehide', () => {
      clearInterval(timer);
      replayer.pause();
    }, { once: true });
  }

  loadEvents().then(start).catch(fail);
})();
`;
