/** GET /assets/...: rrweb's player (out of node_modules) and the pages' own scripts. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Handler } from 'hono';
import { ASSET_CACHE_MAX_AGE_SECONDS, PAGE_ASSETS } from '../constants.ts';

// The map files are not served, so the comment pointing at them would only cause 404s.
const SOURCE_MAP_COMMENT = /\n?(\/\/# sourceMappingURL=[^\n]*|\/\*# sourceMappingURL=[^*]*\*\/)\s*$/;

/** Reads a file of rrweb's player package (its `exports` hide dist/, so go via the main file). */
export async function readPlayerFile(distFile: string): Promise<string> {
  const main = createRequire(import.meta.url).resolve(PAGE_ASSETS.rrwebPackage);
  const text = await readFile(join(dirname(main), distFile), 'utf8');
  return text.replace(SOURCE_MAP_COMMENT, '\n');
}

/** A handler answering with `load()`'s text, loaded once per app (a failed load is retried). */
export function createAssetHandler(contentType: string, load: () => Promise<string>): Handler {
  let loaded: Promise<string> | undefined;
  return async (c) => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return c.body(await loaded, 200, {
      'Content-Type': contentType,
      'Cache-Control': `public, max-age=${ASSET_CACHE_MAX_AGE_SECONDS}`,
    });
  };
}
