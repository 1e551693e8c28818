/** gzip in the browser, with the platform's CompressionStream (no library). */

/** The gzip of a JSON array whose items are given already serialized. */
export async function gzipJsonArray(items: readonly string[]): Promise<ArrayBuffer> {
  const parts = ['[', ...items.flatMap((item, index) => (index === 0 ? [item] : [',', item])), ']'];
  return new Response(new Blob(parts).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
}
