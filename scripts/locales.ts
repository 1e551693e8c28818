/**
 * `npm run locales`: writes public/_locales/en/messages.json from the English table in
 * lib/strings.ts (the one place strings are written), and lists what each other locale
 * lacks or has left over, so translators know what to do. test/unit/locales.test.ts fails
 * while the English file is stale or a locale misses a key.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { messagesOf, type Message } from '../lib/i18n.ts';
import { ENGLISH } from '../lib/strings.ts';
import { MANIFEST_MESSAGES } from '../lib/manifest-messages.ts';

const LOCALES_DIR = join(import.meta.dirname, '..', 'public', '_locales');

/** The English messages: the manifest's and the extension's. */
export function englishMessages(): Record<string, Message> {
  return { ...MANIFEST_MESSAGES, ...messagesOf(ENGLISH) };
}

function main(): void {
  const english = englishMessages();
  mkdirSync(join(LOCALES_DIR, 'en'), { recursive: true });
  writeFileSync(join(LOCALES_DIR, 'en', 'messages.json'), `${JSON.stringify(english, null, 2)}\n`);
  for (const locale of readdirSync(LOCALES_DIR).filter((name) => name !== 'en')) {
    const messages = JSON.parse(readFileSync(join(LOCALES_DIR, locale, 'messages.json'), 'utf8')) as Record<string, Message>;
    const missing = Object.keys(english).filter((name) => !(name in messages));
    const extra = Object.keys(messages).filter((name) => !(name in english));
    if (missing.length + extra.length > 0) console.log(`${locale}: missing ${missing.join(', ') || 'none'}; extra ${extra.join(', ') || 'none'}`);
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) main();
