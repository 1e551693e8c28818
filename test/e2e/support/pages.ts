/** A local site with pages of known colours, for checking what a screenshot shows. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PNG } from 'pngjs';

/** The red, green, blue and alpha of one pixel of a decoded PNG (coordinates rounded). */
export function rgbaAt(png: PNG, x: number, y: number): number[] {
  const offset = (png.width * Math.round(y) + Math.round(x)) * 4;
  return [...png.data.subarray(offset, offset + 4)];
}

/** The page's background, filling the viewport. */
export const PAGE_RGB = [30, 144, 255] as const;
/** A block at the top-left corner, 200 x 100 CSS px. */
export const BLOCK_RGB = [255, 0, 0] as const;

/**
 * The colours a viewport screenshot of `/colours` has inside the block, and at three points
 * where the panel sits (bottom right), for a page of `view` CSS px at `view.dpr`: a shot of
 * the page, not the panel, has the block's, then the page's colour at all three.
 */
export function coloursShotPixels(png: PNG, view: { width: number; height: number; dpr: number }): { block: number[]; underPanel: number[][] } {
  const rgb = (x: number, y: number) => rgbaAt(png, x * view.dpr, y * view.dpr).slice(0, 3);
  return {
    block: rgb(50, 50),
    underPanel: [
      rgb(view.width - 40, view.height - 40),
      rgb(view.width - 200, view.height - 150),
      rgb(view.width - 200, view.height - 400),
    ],
  };
}

const COLOURS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Colours test page</title>
<style>
  html, body { margin: 0; height: 100%; background: rgb(${PAGE_RGB.join(',')}); overflow: hidden; }
  #block { position: absolute; left: 0; top: 0; width: 200px; height: 100px; background: rgb(${BLOCK_RGB.join(',')}); }
</style></head>
<body><div id="block"></div><p style="margin-top:140px;color:white;font:16px sans-serif">A page with known colours.</p></body></html>`;

/** The capture page's element, at a known place and size (CSS px). */
export const TARGET = { left: 320, top: 180, width: 160, height: 90, rgb: [255, 0, 255] as const };

const CAPTURE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Capture modes page</title>
<style>
  html, body { margin: 0; height: 100%; background: rgb(${PAGE_RGB.join(',')}); overflow: hidden; }
  #block { position: absolute; left: 0; top: 0; width: 200px; height: 100px; background: rgb(${BLOCK_RGB.join(',')}); }
  #target { position: absolute; left: ${TARGET.left}px; top: ${TARGET.top}px; width: ${TARGET.width}px; height: ${TARGET.height}px;
    background: rgb(${TARGET.rgb.join(',')}); }
</style></head>
<body><div id="block"></div><div class="card wide" id="target"></div></body></html>`;

/** The tall page's sticky header (CSS px) and the colours of its three viewport-high bands. */
export const TALL = { headerPx: 50, headerRgb: [255, 0, 0] as const, bandRgb: [[0, 160, 0], [0, 0, 200], [230, 200, 0]] as const };

const TALL_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tall page</title>
<style>
  body { margin: 0; }
  header { position: sticky; top: 0; height: ${TALL.headerPx}px; background: rgb(${TALL.headerRgb.join(',')}); }
  section { height: 100vh; }
  ${TALL.bandRgb.map((rgb, i) => `section:nth-of-type(${i + 1}) { background: rgb(${rgb.join(',')}); }`).join('\n  ')}
</style></head>
<body><header></header><section></section><section></section><section></section></body></html>`;

/**
 * A page that does what a hostile site could to Loupe from its own world: strips every
 * style, covers the viewport at the highest z-index, disables pointer events, patches
 * built-ins, records every key, input and message event, and keeps trying to reach into
 * the panel and to post to its frame.
 */
const HOSTILE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hostile page</title>
<style>
  * { all: unset !important; }
  html { pointer-events: none !important; }
</style>
<script>
  window.__seen = [];
  window.__tries = { shadow: 0, fetch: 0, stringify: 0, push: 0, frames: 0, opened: 0 };
  const record = (event) => __seen.push(event.type + ':' + (event.key ?? event.data ?? ''));
  for (const type of ['keydown', 'keyup', 'keypress', 'beforeinput', 'input', 'paste', 'copy', 'message']) {
    window.addEventListener(type, record, true);
  }
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { __tries.shadow++; return attachShadow.call(this, { ...init, mode: 'open' }); };
  window.fetch = function () { __tries.fetch++; return Promise.reject(new Error('blocked')); };
  const stringify = JSON.stringify;
  JSON.stringify = function (...args) { __tries.stringify++; return stringify.apply(this, args); };
  const push = Array.prototype.push;
  Array.prototype.push = function (...args) { __tries.push++; return push.apply(this, args); };
  setInterval(() => {
    for (const element of document.querySelectorAll('*')) {
      if (element.shadowRoot) __tries.opened++;
      if (element.tagName === 'LOUPE-FEEDBACK') element.click();
    }
    for (let i = 0; i < window.frames.length; i++) {
      __tries.frames++;
      window.frames[i].postMessage({ type: 'loupe:connect', nonce: 'guess' }, '*');
    }
  }, 50);
</script></head>
<body><div id="cover" style="position: fixed !important; inset: 0 !important; z-index: 2147483647 !important; display: block !important; background: rgba(255, 0, 0, 0.2) !important; pointer-events: auto !important;"></div>
<p>Nothing here may touch the panel.</p></body></html>`;

/** A page whose DOM keeps changing, with a text and a password field, linking to `next`. */
/** How far the recorded pages' scrolled box is scrolled: a full snapshot must keep it. */
export const SCROLLED_BOX_TOP = 120;

const recordedPage = (title: string, next: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1>
<label>Name <input id="name" type="text"></label>
<label>Password <input id="password" type="password"></label>
<a id="next" href="${next}">Next page</a>
<div id="scroller" style="height: 40px; overflow: auto"><div style="height: 400px">Scrolled box</div></div>
<ol id="ticks"></ol>
<script>
  document.getElementById('scroller').scrollTop = ${SCROLLED_BOX_TOP};
  let n = 0;
  setInterval(() => {
    const item = document.createElement('li');
    item.textContent = 'tick ' + ++n;
    document.getElementById('ticks').append(item);
  }, 100);
</script></body></html>`;

/** How many nodes `window.storm()` on `/churn` adds, one by one in one task: a mutation storm. */
export const STORM_PAGE_NODES = 12_000;
/** How many texts `/churn` changes every animation frame. */
const CHURN_PAGE_TEXTS = 1_000;

/** CHURN_PAGE_TEXTS counters whose texts change every animation frame (times and values in `window.changes`); `window.storm()` adds STORM_PAGE_NODES spans. */
const CHURN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Churn page</title></head>
<body><div id="counters"></div><div id="storm"></div><script>
  const counters = document.getElementById('counters');
  const texts = [];
  for (let i = 0; i < ${CHURN_PAGE_TEXTS}; i++) texts.push(counters.appendChild(document.createElement('b')).appendChild(document.createTextNode('0')));
  let n = 0;
  // The last 600 changes: [when, the value written], for the test to compare with the replay.
  window.changes = [];
  const tick = () => {
    n++;
    for (const text of texts) text.data = String(n);
    changes.push([Date.now(), n]);
    if (changes.length > 600) changes.shift();
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  window.storm = () => {
    const box = document.getElementById('storm');
    for (let i = 0; i < ${STORM_PAGE_NODES}; i++) box.append(document.createElement('span'));
  };
</script></body></html>`;

/**
 * A page that gets things wrong, for the context a report carries: it logs an error while
 * it loads, and `window.trouble()` logs another, throws, rejects a promise, fetches a 404
 * with a token in its query and an Authorization header, and navigates with pushState.
 * It records the bridge's events in `window.loupeEvents`. Its secrets are built at run
 * time, so that only what Loupe captured could put them in a report.
 */
const CONTEXT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Context page</title>
<script>
  window.secret = { token: 'abc', bearer: ['secret', 'bearer', 'xyz'].join('-') };
  window.loupeEvents = [];
  for (const type of ['loupe:open', 'loupe:close', 'loupe:sent']) {
    window.addEventListener(type, (event) => loupeEvents.push({ type, detail: event.detail }));
  }
  console.error('Boot failed, ' + 'token' + '=' + secret.token);
  window.trouble = async () => {
    console.error('Checkout failed', new Error('card declined'));
    setTimeout(() => { throw new Error('uncaught boom'); });
    Promise.reject(new Error('rejected boom'));
    await fetch('/api/missing?' + 'token' + '=' + secret.token + '&page=2', { headers: { Authorization: 'Bearer ' + secret.bearer } });
    history.pushState({}, '', '/context/step-2');
    await new Promise((resolve) => setTimeout(resolve, 50));
  };
</script></head>
<body><h1>Context page</h1></body></html>`;

/** A shop page for the report page's timeline: a field to type in, and a button whose click logs a console error. */
const TIMELINE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Timeline page</title></head>
<body><h1>Timeline page</h1>
<label>Coupon <input id="coupon" type="text"></label>
<button id="add" type="button"><span>Add to cart</span></button>
<p id="result"></p>
<script>
  document.getElementById('add').addEventListener('click', () => {
    document.getElementById('result').textContent = 'Something went wrong';
    console.error('Cart failed: out of stock');
  });
</script></body></html>`;

/** The colour of `/page-script`'s fake "Loupe feedback" popover, to tell it from the panel on screen. */
export const FAKE_PANEL_RGB = [255, 0, 255] as const;

/**
 * A page whose script (not its CSS) goes after the panel's host element: `window.attack[name]()`
 * shows a fake feedback form in a popover over the whole viewport (`cover`; `seeThrough` lets
 * clicks pass through it to whatever is below; `shadowCover` does that from inside a shadow
 * root, whose toggle events never leave it), sets `opacity: 0` or a transform on the host,
 * strips its style attribute, calls `hidePopover()`, moves it into the body (which reloads its
 * frame), removes it, keeps setting `opacity: 0`
 * each time it is put back (`fight`), or hides the whole document, top layer included, in a
 * way the panel cannot undo (`vanish`, `content-visibility: hidden` on the root; `reappear` ends it). `window.fakeHits` counts pointer presses on the fake form.
 */
const PAGE_SCRIPT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Page script attacks</title>
<style>
  html, body { margin: 0; height: 100%; background: rgb(${PAGE_RGB.join(',')}); }
  #fake { position: fixed; inset: 0; width: 100vw; height: 100vh; margin: 0; border: 0; padding: 0;
    background: rgb(${FAKE_PANEL_RGB.join(',')}); }
</style></head>
<body><h1>Page script attacks</h1>
<div id="fake" popover="manual"><form><h2>Loupe feedback</h2><label>Comment <input></label><button type="button">Send</button></form></div>
<script>
  const host = () => document.querySelector('loupe-feedback');
  const fake = document.getElementById('fake');
  window.fakeHits = 0;
  const covers = [];
  fake.addEventListener('pointerdown', () => fakeHits++);
  const hideHost = (element) => element.style.setProperty('opacity', '0', 'important');
  window.attack = {
    cover: () => fake.showPopover(),
    seeThrough: () => { fake.style.pointerEvents = 'none'; fake.showPopover(); },
    shadowCover: () => {
      const shadow = document.body.appendChild(document.createElement('div')).attachShadow({ mode: 'closed' });
      const cover = shadow.appendChild(fake.cloneNode(true));
      cover.setAttribute('style', 'pointer-events: none; position: fixed; inset: 0; width: 100vw; height: 100vh; margin: 0; border: 0; background: rgb(${FAKE_PANEL_RGB.join(',')})');
      cover.showPopover();
      covers.push(cover);
    },
    uncover: () => {
      if (fake.matches(':popover-open')) fake.hidePopover();
      fake.style.pointerEvents = '';
      for (const cover of covers.splice(0)) cover.remove();
    },
    opacity: () => hideHost(host()),
    transform: () => host().style.setProperty('transform', 'translateX(-200vw)', 'important'),
    unstyle: () => host().removeAttribute('style'),
    hide: () => host().hidePopover(),
    move: () => document.body.append(host()),
    remove: () => host().remove(),
    vanish: () => document.documentElement.style.setProperty('content-visibility', 'hidden'),
    reappear: () => document.documentElement.style.removeProperty('content-visibility'),
    fight: () => {
      const element = host();
      new MutationObserver(() => hideHost(element)).observe(element, { attributes: true });
      hideHost(element);
    },
  };
</script></body></html>`;

/** Serves `/colours`, `/capture`, `/tall`, `/hostile`, `/page-script`, `/replay-a`, `/replay-b`, `/churn`, `/context` and `/timeline` (`/api/missing...`: a 404; anything else: a link to `/colours`) on 127.0.0.1. */
export async function startPageServer(): Promise<{ url: string; close(): Promise<void> }> {
  const pages: Record<string, string> = {
    '/colours': COLOURS_PAGE,
    '/capture': CAPTURE_PAGE,
    '/tall': TALL_PAGE,
    '/hostile': HOSTILE_PAGE,
    '/page-script': PAGE_SCRIPT_PAGE,
    '/replay-a': recordedPage('Replay page A', '/replay-b'),
    '/replay-b': recordedPage('Replay page B', '/replay-a'),
    '/churn': CHURN_PAGE,
    '/context': CONTEXT_PAGE,
    '/timeline': TIMELINE_PAGE,
  };
  const server: Server = createServer((request, response) => {
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    if (request.url?.startsWith('/api/missing')) response.statusCode = 404;
    response.end(pages[request.url ?? ''] ?? '<!doctype html><a href="/colours">colours</a>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
