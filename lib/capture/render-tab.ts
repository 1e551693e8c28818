/**
 * The capture fallback: where `captureVisibleTab` is not allowed (no `activeTab` grant, e.g.
 * the panel was opened without a click on Loupe), html2canvas draws the page instead. It is
 * many times slower (bench/RESULTS.md) and approximates what CSS it knows, so it is only a
 * fallback, and it gives up after RENDER_TIMEOUT_MS.
 */
import { browser } from 'wxt/browser';

/** How long the page may take to be drawn. */
export const RENDER_TIMEOUT_MS = 5_000;
const RENDER_SCRIPT = '/content-scripts/render-page.js';
/** Where the render script keeps its promise, in the isolated world it shares with the worker's functions. */
export const RENDER_RESULT = '__loupeRender';

/** Chrome's refusal when neither `<all_urls>` nor an `activeTab` grant covers the tab. */
export function isMissingGrant(error: unknown): boolean {
  return /activeTab|<all_urls>|permission/i.test(String(error));
}

/** Draws the tab's visible area with html2canvas; rejects after `timeoutMs` or when the tab cannot be scripted. */
export async function renderTab(tabId: number, timeoutMs = RENDER_TIMEOUT_MS): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`html2canvas took over ${timeoutMs} ms`)), timeoutMs);
  });
  const target = { tabId };
  const render = async () => {
    // Chromium waits for the promise the file ends with; Firefox refuses it as a result
    // ("non-structured-clonable"), so the script also keeps it on its global, which a
    // function injected into the same world then returns (that one both browsers await).
    await browser.scripting.executeScript({ target, files: [RENDER_SCRIPT] }).catch((error: unknown) => {
      if (!/structured.?clon/i.test(String(error))) throw error;
    });
    return browser.scripting.executeScript({ target, func: (key: string) => (globalThis as Record<string, unknown>)[key], args: [RENDER_RESULT] });
  };
  try {
    const [injection] = await Promise.race([render(), timeout]);
    const dataUrl: unknown = injection?.result;
    if (typeof dataUrl !== 'string' || !dataUrl.startsWith('data:image/png;base64,')) throw new Error('html2canvas gave no image');
    return dataUrl;
  } finally {
    clearTimeout(timer);
  }
}
