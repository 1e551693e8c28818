/**
 * The panel's screenshots: taken in any capture mode or attached from disk, kept as the
 * original image plus annotations (so re-opening the editor keeps every shape editable),
 * and flattened and encoded under the upload limit only when the report is sent.
 */
import { createSignal } from 'solid-js';
import { SCREENSHOTS_PER_FEEDBACK } from '../api/schemas';
import { captureElement, captureFullPage, captureRegion, captureVisible, type Captured, type CaptureMode } from '../capture/panel-capture';
import { blobToDataUrl } from '../data-url';
import type { ScreenshotDraft } from '../messaging/protocol';
import type { HostEnd } from '../panel/frame-channel';
import { STRINGS } from '../strings';
import { createShot, type AnnotatedShot } from './annotations';
import { canvasDataUrl, encodeForUpload, resizePageCanvas } from './encode';
import { flattenShot, loadShotImage } from './flatten';

/** One screenshot in the panel: the editable shot, its thumbnail, and how it was made. */
export type PanelShot = { shot: AnnotatedShot; preview: string; capture: Omit<Captured, 'dataUrl'> };

/** Reads a file from disk as a data URL the panel can decode; rejects when it is not an image. */
async function readImageFile(file: File): Promise<string> {
  if (!file.type.startsWith('image/')) throw new Error(STRINGS.notAnImage(file.name));
  return blobToDataUrl(file, file.type);
}

/** Thumbnails are this wide (2x the 96 CSS px they show at). */
const THUMBNAIL_WIDTH_PX = 192;

/** A small JPEG of the annotated shot, for the panel's thumbnail. */
async function thumbnail(shot: AnnotatedShot): Promise<string> {
  const flat = await flattenShot(shot);
  const small = resizePageCanvas(flat, THUMBNAIL_WIDTH_PX, Math.max(1, Math.round((THUMBNAIL_WIDTH_PX * flat.height) / flat.width)));
  return canvasDataUrl(small, 'image/jpeg', 0.8);
}

/** The screenshots state of one panel; `onError` hears every failure, worded for the user. */
export function createPanelShots(host: HostEnd, onError: (error: unknown) => void) {
  const [shots, setShots] = createSignal<PanelShot[]>([]);
  const [busy, setBusy] = createSignal<string>();
  const [editing, setEditing] = createSignal<number>();

  // `source` names an attached file in the error when it cannot be decoded.
  const add = async (captured: Captured[], source?: string) => {
    const free = SCREENSHOTS_PER_FEEDBACK - shots().length;
    if (captured.length > free) throw new Error(STRINGS.tooManyParts(captured.length, free));
    const added = await Promise.all(
      captured.map(async ({ dataUrl, ...capture }) => {
        const image = await loadShotImage(dataUrl).catch(() => {
          throw new Error(source === undefined ? STRINGS.captureFailed : STRINGS.notAnImage(source));
        });
        const shot = createShot(dataUrl, image.width, image.height);
        image.close();
        return { shot, preview: dataUrl, capture };
      }),
    );
    setShots((list) => [...list, ...added]);
  };
  const run = async (label: string, work: () => Promise<Captured[]>, source?: string) => {
    setBusy(label);
    try {
      await add(await work(), source);
    } catch (error) {
      onError(error);
    } finally {
      setBusy(undefined);
    }
  };

  return {
    shots,
    busy,
    /** The index of the shot open in the editor, if any. */
    editing,
    capture(mode: Exclude<CaptureMode, 'file'>) {
      const modes = {
        visible: () => captureVisible(host),
        region: () => captureRegion(host),
        element: () => captureElement(host),
        'full-page': () => captureFullPage(host, (done, total) => setBusy(STRINGS.fullPageProgress(done, total))),
      };
      return run(STRINGS.capturing, modes[mode]);
    },
    attach: (file: File) => run(STRINGS.capturing, async () => [{ dataUrl: await readImageFile(file), mode: 'file' }], file.name),
    async edit(index: number) {
      await host.layout('editor');
      setEditing(index);
    },
    /** Closes the editor, keeping `next` (the shot with its annotations) when given. */
    async closeEditor(next?: AnnotatedShot) {
      const index = editing();
      if (next && index !== undefined) {
        const preview = await thumbnail(next);
        setShots((list) => list.map((item, i) => (i === index ? { ...item, shot: next, preview } : item)));
      }
      setEditing(undefined);
      await host.layout('panel');
    },
    remove: (index: number) => setShots((list) => list.filter((_, i) => i !== index)),
    clear: () => setShots([]),
    /** Every shot flattened and encoded within the upload limit, as the worker takes them. */
    async forUpload(): Promise<ScreenshotDraft[]> {
      return Promise.all(
        shots().map(async ({ shot, capture }) => ({ ...capture, dataUrl: (await encodeForUpload(await flattenShot(shot))).dataUrl })),
      );
    },
  };
}

/** The screenshots state of one panel. */
export type PanelShots = ReturnType<typeof createPanelShots>;
