/** The `metadata` object sent with every report, always within the contract's 10 KB. */
import { jsonBytes, METADATA_MAX_BYTES } from '../api/schemas';
import type { PageContext, ScreenshotDraft } from '../messaging/protocol';

/** Facts the worker knows: the extension and the browser it runs in. */
export type WorkerContext = {
  extensionVersion: string;
  userAgent: string;
  browser: string;
  os: string;
  /**
   * False when the user declined technical data (Firefox's optional `technicalAndInteraction`
   * data collection): the browser, OS, screen and language facts are then left out.
   */
  technical?: boolean;
};

/** The keys of the technical facts a user may decline. */
const TECHNICAL_KEYS = ['extensionVersion', 'browser', 'os', 'viewport', 'screen', 'devicePixelRatio', 'language', 'timeZone', 'userAgent'];

// Leaves room under the contract's limit for servers that count differently.
const METADATA_BUDGET_BYTES = METADATA_MAX_BYTES - 1024;
const STRING_MAX_CHARS = 512;

/** Names the browser and OS from a user agent string, e.g. "Chrome 156" and "Linux". */
export function describeUserAgent(userAgent: string): { browser: string; os: string } {
  const browsers: [RegExp, string][] = [
    [/Edg\/(\d+)/, 'Edge'],
    [/OPR\/(\d+)/, 'Opera'],
    [/Firefox\/(\d+)/, 'Firefox'],
    [/Chrome\/(\d+)/, 'Chrome'],
    [/Version\/(\d+).*Safari/, 'Safari'],
  ];
  const systems: [RegExp, string][] = [
    [/Windows NT/, 'Windows'],
    [/CrOS/, 'ChromeOS'],
    [/Android/, 'Android'],
    [/iPhone|iPad/, 'iOS'],
    [/Mac OS X/, 'macOS'],
    [/Linux/, 'Linux'],
  ];
  const found = browsers.find(([pattern]) => pattern.test(userAgent));
  const version = found ? userAgent.match(found[0])?.[1] : undefined;
  return {
    browser: found ? `${found[1]} ${version}` : 'Unknown',
    os: systems.find(([pattern]) => pattern.test(userAgent))?.[1] ?? 'Unknown',
  };
}

const clip = (value: string) => (value.length > STRING_MAX_CHARS ? `${value.slice(0, STRING_MAX_CHARS - 1)}…` : value);

/** What the report says of each screenshot, in upload order: how it was made, and the element's selector. */
function describeScreenshots(screenshots: readonly ScreenshotDraft[]) {
  return screenshots.map((shot) => ({
    capture: shot.mode,
    ...(shot.rendered && { rendered: 'html2canvas' }),
    ...(shot.selector !== undefined && { selector: clip(shot.selector) }),
    ...(shot.part && { part: `${shot.part.index}/${shot.part.count}` }),
  }));
}

/** What a report adds to the page's and the worker's facts. */
export type MetadataExtras = {
  screenshots?: readonly ScreenshotDraft[];
  /** The form's answers beyond rating, comment and email (`type`, `priority`...), each a top-level key. */
  form?: Record<string, unknown>;
  /** What the recorder kept of the page's console, network and navigation (turned-on sites only). */
  context?: Record<string, unknown>;
  /** What the page itself added through the page bridge (lib/replay/page-bridge.ts), already checked. */
  pageData?: Record<string, unknown>;
};

/** Copies `context` with its lists copied too, so that trimming them leaves the caller's alone. */
const copyLists = (context: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(context).map(([key, value]) => [key, Array.isArray(value) ? [...value] : value]));

/**
 * Builds the metadata object. Strings are clipped; if it is still over budget the
 * least useful parts go first — the oldest context entries, then the worker's details, the
 * page's data and the context — so the report is never refused for its metadata.
 */
export function buildMetadata(page: PageContext, worker: WorkerContext, extras: MetadataExtras = {}): Record<string, unknown> {
  const { screenshots = [] } = extras;
  const metadata: Record<string, unknown> = {
    source: 'loupe-extension',
    extensionVersion: clip(worker.extensionVersion),
    browser: clip(worker.browser),
    os: clip(worker.os),
    viewport: page.viewport,
    screen: page.screen,
    devicePixelRatio: page.devicePixelRatio,
    language: clip(page.language),
    timeZone: clip(page.timeZone),
    userAgent: clip(worker.userAgent),
    ...(screenshots.length > 0 && { screenshots: describeScreenshots(screenshots) }),
    ...extras.form,
    ...(extras.context && { context: copyLists(extras.context) }),
    ...(extras.pageData && { pageData: extras.pageData }),
  };
  if (worker.technical === false) for (const key of TECHNICAL_KEYS) delete metadata[key];
  const lists = Object.values((metadata.context ?? {}) as Record<string, unknown>).filter(Array.isArray);
  while (jsonBytes(metadata) > METADATA_BUDGET_BYTES) {
    const longest = lists.reduce((most, list) => (list.length > most.length ? list : most), []);
    if (longest.length === 0) break;
    longest.shift();
  }
  for (const key of ['userAgent', 'timeZone', 'language', 'os', 'browser', 'extensionVersion', 'pageData', 'context']) {
    if (jsonBytes(metadata) <= METADATA_BUDGET_BYTES) break;
    delete metadata[key];
  }
  return metadata;
}
