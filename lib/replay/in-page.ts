/**
 * The recorder content script's job on a turned-on site: honour the replay settings
 * (off, sample rate, engagement delay), record, answer the worker, and hand the window
 * over when the page goes away so that the next page's replay starts here.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { handleWorkerMessages, handOver } from '../messaging/recorder-channel';
import { loadReplaySettings } from '../settings/replay';
import { REPLAY_MAX_BYTES_PER_TAB } from './buffer';
import { startRecorder, type Recorder } from './recorder';

/** Segments per window: a forced full snapshot every window / 3, so a replay spans at most 4/3 of it. */
const SEGMENTS_PER_WINDOW = 3;

/** Starts recording this page if the settings allow; everything stops with `ctx`. */
export async function recordPage(ctx: ContentScriptContext): Promise<void> {
  const settings = await loadReplaySettings();
  if (!settings.enabled || Math.random() >= settings.sampleRate) return;
  let recorder: Recorder | undefined;

  const stopMessages = handleWorkerMessages({
    'recorder:freeze': ({ atMs }) => {
      recorder?.freeze(atMs);
      return { firstEventMs: recorder?.frozen().events[0]?.timestamp ?? null };
    },
    'recorder:take': () => recorder?.frozen() ?? { events: [], frozenAtMs: Date.now() },
    'recorder:drop': () => {
      recorder?.dropFrozen();
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
    stopMessages();
    window.removeEventListener('pagehide', onPageHide);
  };
  window.addEventListener('pagehide', onPageHide);
  ctx.onInvalidated(stop);

  // Engagement gate: a page closed within seconds is not worth recording.
  ctx.setTimeout(() => {
    if (ctx.isInvalid) return;
    const windowMs = settings.bufferSeconds * 1000;
    recorder = startRecorder({ windowMs, maxBytes: REPLAY_MAX_BYTES_PER_TAB, checkoutMs: windowMs / SEGMENTS_PER_WINDOW });
  }, settings.startAfterMs);
}
