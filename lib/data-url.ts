/** `data:` URLs to bytes and back, without `fetch` (only the worker talks to the network) or FileReader (absent in the worker). */

/** Decodes a base64 `data:` URL into its bytes. */
export function dataUrlToBytes(dataUrl: string): ArrayBuffer {
  const binary = atob(dataUrl.slice(dataUrl.indexOf(',') + 1));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

/** A base64 `data:` URL of the blob's bytes, labelled `mimeType`. */
export async function blobToDataUrl(blob: Blob, mimeType: string): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const chunks: string[] = [];
  // Chunked, because spreading millions of bytes into one call overflows the stack.
  for (let at = 0; at < bytes.length; at += 0x8000) chunks.push(String.fromCharCode(...bytes.subarray(at, at + 0x8000)));
  return `data:${mimeType};base64,${btoa(chunks.join(''))}`;
}
