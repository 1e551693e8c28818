import html2canvas from 'html2canvas';
import { defineContentScript } from 'wxt/utils/define-content-script';

export default defineContentScript({
  // Never in the manifest: injected by the worker only when captureVisibleTab is not allowed (lib/capture/render-tab.ts).
  registration: 'runtime',
  noScriptStartedPostMessage: true,
  /** Draws the visible part of the page, without Loupe's panel, as a PNG data URL (returned to executeScript). */
  async main(): Promise<string> {
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
  },
});
