/**
 * Builds the inbox's browser files from server/inbox/client with esbuild, in memory: the
 * script as one IIFE, the stylesheet with its imports inlined. The asset routes build each
 * once, on first request (server/routes/assets.ts caches it and retries a failed build).
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const CLIENT_DIR = fileURLToPath(new URL('./client/', import.meta.url));

/** Browsers the inbox supports: DecompressionStream and CSS.escape are the newest things it needs. */
const TARGETS = ['chrome103', 'firefox113', 'safari16.4'];

async function bundle(entry: string): Promise<string> {
  const result = await build({
    absWorkingDir: CLIENT_DIR,
    entryPoints: [entry],
    bundle: true,
    write: false,
    minify: true,
    format: entry.endsWith('.ts') ? 'iife' : undefined,
    target: TARGETS,
    legalComments: 'none',
    logLevel: 'silent',
    outdir: 'out',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild produced nothing for ${entry}`);
  return output.text;
}

/** The inbox script (server/inbox/client/main.ts and what it imports). */
export function buildInboxScript(): Promise<string> {
  return bundle('./main.ts');
}

/** The inbox stylesheet (server/inbox/client/styles/inbox.css and its imports). */
export function buildInboxStyle(): Promise<string> {
  return bundle('./styles/inbox.css');
}
