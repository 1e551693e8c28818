/** Reads a file store the way the server does (through its interface), whatever engine is behind it. */
import type { FileStore } from '../../server/storage/files.ts';

/** The bytes of a stored file; throws naming the file when it is not there. */
export async function readStoredFile(files: FileStore, fileName: string): Promise<Buffer> {
  const stored = await files.open(fileName);
  if (!stored) throw new Error(`No stored file ${fileName} in ${files.description}`);
  return Buffer.from(await new Response(stored.stream).arrayBuffer());
}

/** Every stored file's name, sorted; only those of one client when given. */
export async function storedFileNames(files: FileStore, clientId?: string): Promise<string[]> {
  const names: string[] = [];
  for await (const file of files.list()) {
    if (clientId === undefined || file.fileName.startsWith(`${clientId}/`)) names.push(file.fileName);
  }
  return names.sort();
}
