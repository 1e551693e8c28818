import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localize, messagesOf, type Message } from '@/lib/i18n';
import { englishMessages } from '@/scripts/locales';

const LOCALES_DIR = join(import.meta.dirname, '..', '..', 'public', '_locales');
const read = (locale: string) => JSON.parse(readFileSync(join(LOCALES_DIR, locale, 'messages.json'), 'utf8')) as Record<string, Message>;
/** The placeholders a message uses, e.g. ["$ARG1$"]: a translation must keep every one. */
const placeholdersIn = (message: string) => [...new Set(message.match(/\$ARG\d\$/g) ?? [])].sort();

describe('the shipped locales', () => {
  it('has the English messages of lib/strings.ts as they are now (run `npm run locales` after changing a string)', () => {
    expect(read('en')).toEqual(englishMessages());
  });

  it.each(['fr', 'de', 'es', 'ja'])('%s has every message, no stale one, and keeps every placeholder', (locale) => {
    const english = read('en');
    const translated = read(locale);
    expect(Object.keys(translated).sort()).toEqual(Object.keys(english).sort());
    for (const [name, { message, placeholders }] of Object.entries(english)) {
      expect(translated[name]!.message.trim(), `${locale} ${name}`).not.toBe('');
      expect(placeholdersIn(translated[name]!.message), `${locale} ${name}`).toEqual(placeholdersIn(message));
      expect(translated[name]!.placeholders, `${locale} ${name}`).toEqual(placeholders);
    }
  });
});

describe('localized strings', () => {
  const table = { send: 'Send', tool: { rect: 'Rectangle' }, screenshot: (n: number) => `Screenshot ${n}`, price: 'Costs $5' } as const;

  it('reads each string in the browser language, by its path, and formats functions with their arguments', () => {
    const french: Record<string, string> = { send: 'Envoyer', tool_rect: 'Rectangle (fr)', screenshot: 'Capture $1' };
    const strings = localize(table, (name, args) => (french[name] ?? '').replace('$1', args?.[0] ?? ''));
    expect([strings.send, strings.tool.rect, strings.screenshot(2)]).toEqual(['Envoyer', 'Rectangle (fr)', 'Capture 2']);
  });

  it('falls back to English for a message the locale lacks, and where there is no i18n at all', () => {
    expect(localize(table, () => '').send).toBe('Send');
    expect(localize(table, () => { throw new Error('no i18n'); }).screenshot(3)).toBe('Screenshot 3');
    expect(localize(table, undefined).tool.rect).toBe('Rectangle');
  });

  it('writes functions as messages with numbered placeholders, and escapes a literal dollar', () => {
    expect(messagesOf(table)).toEqual({
      send: { message: 'Send' },
      tool_rect: { message: 'Rectangle' },
      screenshot: { message: 'Screenshot $ARG1$', placeholders: { arg1: { content: '$1' } } },
      price: { message: 'Costs $$5' },
    });
  });
});
