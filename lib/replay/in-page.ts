/**
 * The recorder content script's job on a turned-on site: honour the replay settings
 * (off, sample rate, engagement delay), record, keep the page's context (console, failed
 * requests, navigations) and serve the page bridge, answer the worker, and hand the window
 * over when the page goes away so that the next page's replay starts here.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { handleWorkerMessages, handOver } from '../messaging/recorder-channel';
import { loadReplaySettings } from '../settings/replay';
import { REPLAY_MAX_EVENT_BYTES_PER_TAB } from './buffer';
import { replayEventOf } from './context-log';
import { linkPage } from './page-link';
import { startRecorder, type Recorder } from './recorder';

/** Segments per window: a forced full snapshot every window / 3, so a replay spans at most 4/3 of it. */
const SEGMENTS_PER_WINDOW = 3;

/** Starts recording this page if the settings allow; everything stops with `ctx`. */
export async function recordPage(ctx: ContentScriptContext): Promise<void> {
  let recorder: Recorder | undefined;
  // When the panel opened, for a page that records nothing itself (its replay is then earlier pages').
  let openedAtMs: number | undefined;
  // Before anything async: the page-context script holds the page's first entries until someone takes them.
  const page = linkPage(window, (entry) => {
    const { tag, payload } = replayEventOf(entry);
    recorder?.annotate(tag, payload);
  });
  const settings = await loadReplaySettings();
  if (!settings.enabled || ctx.isInvalid) return page.stop();
  const windowMs = settings.bufferSeconds * 1000;

  const stopMessages = handleWorkerMessages({
    'recorder:freeze': ({ atMs }) => {
      recorder?.freeze(atMs);
      openedAtMs = atMs;
      page.open(atMs, windowMs);
      return { firstEventMs: recorder?.frozen().events[0]?.timestamp ?? null };
    },
    'recorder:take': () => recorder?.frozen() ?? { events: [], frozenAtMs: openedAtMs ?? Date.now() },
    'recorder:context': () => page.captured(),
    'recorder:drop': () => {
      recorder?.dropFrozen();
      openedAtMs = undefined;
      page.close();
      return {};
    },
    'recorder:sent': ({ feedbackId }) => {
      page.sent(feedbackId);
      return {};
    },
    'recorder:stop': () => {
      stop();
      return {};
    },
  });
  const onPageHide = () => {
    if (recorder) handOver(recorder.segments());
  };
  const stop = () => {
    recorder?.stop();
    recorder = undefined;
    page.stop();
    stopMessages();
    window.removeEventListener('pagehide', onPageHide);
  };
  window.addEventListener('pagehide', onPageHide);
  ctx.onInvalidated(stop);

  // Sampling and the engagement gate bound rrweb's cost; the context and the page bridge cost next to nothing and stay on.
  if (Math.random() >= settings.sampleRate) return;
  // Engagement gate: a page closed within seconds is not worth recording.
  ctx.setTimeout(() => {
    if (ctx.isInvalid) return;
    recorder = startRecorder({ windowMs, maxBytes: REPLAY_MAX_EVENT_BYTES_PER_TAB, checkoutMs: windowMs / SEGMENTS_PER_WINDOW });
  }, settings.startAfterMs);
}
