/** gzip in the browser, with the platform's CompressionStream (no library). */

/** The gzip of `value` serialized as JSON. */
export async function gzipJson(value: unknown): Promise<ArrayBuffer> {
  const stream = new Blob([JSON.stringify(value)]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}
