/** The `export` and `import` commands of `npm run server`: move an install between engines (server/transfer). */
import type { CliCommand } from './cli-args.ts';
import { openFiles, openMasterKey, openStorage } from './start.ts';
import { exportInstall, type Install, type Progress } from './transfer/export.ts';
import { importInstall } from './transfer/import.ts';

/** An export or import command. */
export type TransferCommand = Extract<CliCommand, { kind: 'export' | 'import' }>;

/** The install the server would start on with this data directory and environment. */
async function openInstall({ dataDir, databaseUrl }: TransferCommand): Promise<Install> {
  const masterKey = openMasterKey(dataDir, undefined, databaseUrl);
  const files = await openFiles(dataDir);
  return { storage: await openStorage(dataDir, databaseUrl), files, masterKey };
}

/** Runs one transfer command, reporting progress line by line; rejects (with why) when it fails. */
export async function runTransferCommand(command: TransferCommand, progress: Progress): Promise<void> {
  const install = await openInstall(command);
  try {
    if (command.kind === 'export') {
      const manifest = await exportInstall(install, command.to, progress);
      progress(`Exported ${manifest.counts.feedback} feedback items and ${manifest.files.length} files to ${command.to}`);
    } else {
      const manifest = await importInstall(install, command.from, progress);
      progress(`Imported ${manifest.counts.feedback} feedback items and ${manifest.files.length} files from ${command.from}`);
    }
  } finally {
    await install.storage.close();
    await install.files.close();
  }
}
