import html2canvas from 'html2canvas';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { RENDER_RESULT } from '@/lib/capture/render-tab';

export default defineContentScript({
  // Never in the manifest: injected by the worker only when captureVisibleTab is not allowed (lib/capture/render-tab.ts).
  registration: 'runtime',
  noScriptStartedPostMessage: true,
  /** Draws the visible part of the page, without Loupe's panel; the PNG data URL is left for the worker to collect. */
  main(): Promise<string> {
    // Firefox does not wait for the promise a script *file* ends with (only for an injected
    // function's): keep it in this isolated world, where the worker's function reads it.
    const rendering = render();
    (globalThis as Record<string, unknown>)[RENDER_RESULT] = rendering;
    return rendering;
  },
});

/** Draws the visible part of the page as a PNG data URL. */
async function render(): Promise<string> {
  const canvas = await html2canvas(document.documentElement, {
    x: window.scrollX,
    y: window.scrollY,
    width: window.innerWidth,
    height: window.innerHeight,
    windowWidth: window.innerWidth,
    windowHeight: window.innerHeight,
    scale: window.devicePixelRatio,
    logging: false,
    ignoreElements: (element) => element.localName === 'loupe-feedback',
  });
  return canvas.toDataURL('image/png');
}
