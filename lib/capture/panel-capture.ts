/**
 * Every capture mode, run from the panel page: it hides the panel, asks the page (pickers,
 * scrolling) and the worker (captureVisibleTab, or the html2canvas fallback), then crops or
 * stitches the result. Each mode answers the images it made, or none when the user cancelled.
 */
import { sendMessage } from '../messaging/protocol';
import type { HostEnd } from '../panel/frame-channel';
import { cropCapture, planSlices, stitchSlices } from './compose';
import type { ViewportRect } from './page-picker';

/** How a screenshot was made: it goes into the report's metadata. */
export type CaptureMode = 'visible' | 'region' | 'element' | 'full-page' | 'file';

/** One image a capture made. */
export type Captured = {
  dataUrl: string;
  mode: CaptureMode;
  /** Drawn by html2canvas because the tab could not be captured. */
  rendered?: boolean;
  /** The element capture's CSS selector. */
  selector?: string;
  /** A full page too tall for one image: which part this is. */
  part?: { index: number; count: number };
};

/** Captures the visible area with the panel hidden; the panel shows again whatever happens. */
async function captureHidden(host: HostEnd): Promise<{ dataUrl: string; rendered: boolean }> {
  await host.hide();
  try {
    return await sendMessage('capture:visible', {});
  } finally {
    await host.show();
  }
}

/** The visible area, as it is. */
export async function captureVisible(host: HostEnd): Promise<Captured[]> {
  const { dataUrl, rendered } = await captureHidden(host);
  return [{ dataUrl, mode: 'visible', rendered }];
}

/**
 * Lets the user pick a box on the page (the panel hides meanwhile), then captures and crops
 * to it at device pixels; the panel shows again if the pick is cancelled or fails.
 */
async function capturePicked(host: HostEnd, picked: Promise<{ rect: ViewportRect; selector?: string } | null>, mode: 'region' | 'element'): Promise<Captured[]> {
  const pick = await picked.catch(async (error: unknown) => {
    await host.show();
    throw error;
  });
  if (!pick) {
    await host.show();
    return [];
  }
  const { viewport } = await host.page();
  const { dataUrl, rendered } = await captureHidden(host);
  return [{ dataUrl: await cropCapture(dataUrl, pick.rect, viewport.width), mode, rendered, ...(pick.selector !== undefined && { selector: pick.selector }) }];
}

/** The user drags a box over the page; the capture is cropped to it. */
export function captureRegion(host: HostEnd): Promise<Captured[]> {
  return capturePicked(host, host.pickRegion().then((rect) => rect && { rect }), 'region');
}

/** The user clicks an element; the capture is cropped to its box, and its selector kept. */
export function captureElement(host: HostEnd): Promise<Captured[]> {
  return capturePicked(host, host.pickElement(), 'element');
}

/**
 * Scrolls the page a viewport at a time (the worker's capture queue keeps to Chrome's two
 * captures per second), then stitches; the page's scroll position and styles come back even
 * when a capture fails. `onProgress` hears each slice done.
 */
export async function captureFullPage(host: HostEnd, onProgress: (done: number, total: number) => void): Promise<Captured[]> {
  const extent = await host.scroll({ step: 'begin' });
  const slices: { y: number; dataUrl: string }[] = [];
  let rendered = false;
  try {
    const positions = planSlices(extent);
    onProgress(0, positions.length);
    for (const [index, y] of positions.entries()) {
      const scrolledY = await host.scroll({ step: 'scroll', y, hideFixed: index > 0 });
      const capture = await captureHidden(host);
      rendered ||= capture.rendered;
      slices.push({ y: scrolledY, dataUrl: capture.dataUrl });
      onProgress(index + 1, positions.length);
    }
  } finally {
    await host.scroll({ step: 'end' });
  }
  const parts = await stitchSlices(slices, extent);
  return parts.map((dataUrl, index) => ({
    dataUrl,
    mode: 'full-page',
    rendered,
    ...(parts.length > 1 && { part: { index: index + 1, count: parts.length } }),
  }));
}
