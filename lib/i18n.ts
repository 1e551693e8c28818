/**
 * The extension's strings in the browser's language, through `i18n.getMessage` and the
 * `_locales` messages copied into the build. Each string of the English table is one
 * message named by its path (`editorTool.rect` is `editorTool_rect`); each function is one
 * message whose arguments fill its placeholders. Outside the extension (Node, tests) and
 * for a message a locale lacks, the English text is used.
 */

/** A table of strings: text, functions that only interpolate their arguments, or nested tables. */
export type StringTable = { readonly [key: string]: string | ((...args: never[]) => string) | StringTable };

/** One entry of a `messages.json` file. */
export type Message = { message: string; placeholders?: Record<string, { content: string }> };

type GetMessage = (name: string, substitutions?: string[]) => string;
type I18nHost = { i18n?: { getMessage?: GetMessage } };

/** The message name of a path in the table: letters, digits and underscores only. */
export function messageName(path: readonly string[]): string {
  return path.join('_').replace(/[^A-Za-z0-9_]/g, '_');
}

/** The platform's getMessage (Firefox's `browser` or Chromium's `chrome`), if this runs in an extension. */
function platformGetMessage(): GetMessage | undefined {
  const scope = globalThis as { browser?: I18nHost; chrome?: I18nHost };
  const i18n = scope.browser?.i18n ?? scope.chrome?.i18n;
  return i18n?.getMessage?.bind(i18n);
}

/**
 * The table with every string looked up in the browser's language when read (a getter, so
 * module load does no work) and every function formatting its localized message.
 */
export function localize<T extends StringTable>(table: T, getMessage: GetMessage | undefined = platformGetMessage(), path: string[] = []): T {
  const lookup = (name: string, args?: string[]) => {
    try {
      return getMessage?.(name, args) || undefined;
    } catch {
      return undefined; // e.g. a test double without i18n
    }
  };
  const localized: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(table)) {
    const name = messageName([...path, key]);
    if (typeof value === 'string') {
      Object.defineProperty(localized, key, { enumerable: true, get: () => lookup(name) ?? value });
    } else if (typeof value === 'function') {
      const english = value as (...args: unknown[]) => string;
      localized[key] = (...args: unknown[]) => lookup(name, args.map(String)) ?? english(...args);
    } else {
      localized[key] = localize(value, getMessage, [...path, key]);
    }
  }
  return localized as T;
}

const SENTINEL = (index: number) => `\u0000${index}\u0000`;

/** The `messages.json` entries of a table: functions are called with markers that become placeholders `$ARG1$`... */
export function messagesOf(table: StringTable, path: string[] = []): Record<string, Message> {
  const messages: Record<string, Message> = {};
  for (const [key, value] of Object.entries(table)) {
    const name = messageName([...path, key]);
    if (typeof value === 'string') {
      messages[name] = { message: value.replaceAll('$', '$$$$') };
    } else if (typeof value === 'function') {
      const count = value.length;
      const text = (value as (...args: string[]) => string)(...Array.from({ length: count }, (_, i) => SENTINEL(i + 1)));
      let message = text.replaceAll('$', '$$$$');
      const placeholders: Record<string, { content: string }> = {};
      for (let i = 1; i <= count; i++) {
        message = message.replaceAll(SENTINEL(i), `$ARG${i}$`);
        placeholders[`arg${i}`] = { content: `$${i}` };
      }
      messages[name] = { message, placeholders };
    } else {
      Object.assign(messages, messagesOf(value, [...path, key]));
    }
  }
  return messages;
}
