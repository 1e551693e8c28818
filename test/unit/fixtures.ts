/** Shared test data for the extension's unit tests. */
import type { PageContext } from '@/lib/messaging/protocol';

/** What the panel reports about a typical page. */
export const PAGE: PageContext = {
  url: 'https://example.com/a',
  title: 'A',
  referrer: 'https://example.com/',
  viewport: { width: 1280, height: 720 },
  screen: { width: 1920, height: 1080 },
  devicePixelRatio: 2,
  language: 'en-GB',
  timeZone: 'Europe/London',
};
