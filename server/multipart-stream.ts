/**
 * Reads a multipart upload from the Node request as it arrives: the small text fields into
 * memory, the one file into a temp file, every limit enforced while it streams (busboy), so
 * a body is never held whole and a hostile one is refused after its first few parts.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { Busboy, type BusboyFileStream, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import { UPLOAD_FORM_LIMITS } from './constants.ts';

/** What one route takes. */
export interface MultipartSpec {
  /** The name of the file part, e.g. `screenshot`. */
  fileField: string;
  maxFileBytes: number;
  /** The whole body, framing included; more is refused as it streams in. */
  maxBodyBytes: number;
  /** Where the file is written while it arrives (best on the store's filesystem, for a hard link). */
  tempDir: string;
  /** No bytes for this long ends the read. */
  stallMs: number;
}

/** The file part, on disk; the caller owns (and removes) `path`. */
export interface ReceivedFile {
  path: string;
  sizeBytes: number;
  /** The part's Content-Type as sent (busboy's default `text/plain` when absent). */
  declaredType: string;
}

/** How the read ended. Only `form` leaves a file behind; every other outcome removed it. */
export type MultipartOutcome =
  | { kind: 'form'; fields: Map<string, string>; file: ReceivedFile | undefined }
  /** Not multipart, or framing broken: nothing usable was sent. */
  | { kind: 'malformed' }
  | { kind: 'file-too-large' }
  | { kind: 'body-too-large' }
  | { kind: 'too-many-parts' }
  | { kind: 'field-too-long' }
  | { kind: 'stalled' }
  /** The client closed the connection mid-body. */
  | { kind: 'gone' }
  | { kind: 'failed'; error: unknown };

const MULTIPART = /^multipart\/form-data\b/i;

function createParser(incoming: IncomingMessage, spec: MultipartSpec): BusboyInstance | undefined {
  const contentType = incoming.headers['content-type'];
  if (typeof contentType !== 'string' || !MULTIPART.test(contentType)) return undefined;
  try {
    return Busboy({
      headers: incoming.headers as BusboyHeaders,
      limits: {
        parts: UPLOAD_FORM_LIMITS.maxParts,
        fields: UPLOAD_FORM_LIMITS.maxFields,
        files: UPLOAD_FORM_LIMITS.maxFiles,
        fieldSize: UPLOAD_FORM_LIMITS.maxFieldBytes,
        headerPairs: UPLOAD_FORM_LIMITS.maxHeaderPairs,
        headerSize: UPLOAD_FORM_LIMITS.maxPartHeaderBytes,
        fileSize: spec.maxFileBytes,
      },
      // As the Fetch standard's form parser decides: a part with a filename is a file.
      isPartAFile: (_name, _type, fileName) => fileName !== undefined,
    });
  } catch {
    return undefined; // no boundary
  }
}

/**
 * Reads the request's body to its end, or stops at the first limit it breaks. After any
 * outcome but `form` the rest of the body may still be unread on the socket (paused).
 */
export function receiveMultipart(incoming: IncomingMessage, spec: MultipartSpec): Promise<MultipartOutcome> {
  return new Promise((resolve) => {
    const parser = createParser(incoming, spec);
    if (!parser) return resolve({ kind: 'malformed' });
    const fields = new Map<string, string>();
    let file: ReceivedFile | undefined;
    let output: WriteStream | undefined;
    let receivedBytes = 0;
    let settled = false;
    let stallTimer: ReturnType<typeof setTimeout> | undefined;

    const stopTimer = () => clearTimeout(stallTimer);
    const startTimer = () => {
      stopTimer();
      stallTimer = setTimeout(() => void settle({ kind: 'stalled' }), spec.stallMs);
    };

    async function settle(outcome: MultipartOutcome): Promise<void> {
      if (settled) return;
      settled = true;
      stopTimer();
      incoming.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onClose);
      incoming.pause();
      parser!.removeAllListeners();
      parser!.on('error', () => undefined); // it may still complain about the body it never saw end
      if (outcome.kind !== 'form' && output) {
        // The file may still be opening (a refusal in the chunk that began it): removed only once
        // the stream has closed, or the open would make it again after the rm.
        const closed = output.closed ? Promise.resolve() : once(output, 'close').catch(() => undefined);
        output.destroy();
        await closed;
        await rm(output.path as string, { force: true }).catch(() => undefined);
      }
      resolve(outcome);
    }

    function onFile(name: string, stream: BusboyFileStream, _fileName: string, _encoding: string, mimeType: string): void {
      // A truncated body errors the part too; the parser's own error decides the outcome.
      stream.on('error', () => undefined);
      if (name !== spec.fileField) return void stream.resume();
      const path = join(spec.tempDir, `${randomUUID()}.upload`);
      output = createWriteStream(path, { flags: 'wx' });
      const written = output;
      file = { path, sizeBytes: 0, declaredType: mimeType };
      stream.on('limit', () => void settle({ kind: 'file-too-large' }));
      written.on('error', (error) => void settle({ kind: 'failed', error }));
      stream.pipe(written);
    }

    function onField(name: string, value: string, _nameTruncated: boolean, valueTruncated: boolean): void {
      if (valueTruncated) return void settle({ kind: 'field-too-long' });
      fields.set(name, value);
    }

    async function onFinish(): Promise<void> {
      if (output) {
        try {
          await finished(output);
        } catch {
          return; // the write stream's own error handler settled
        }
        file!.sizeBytes = output.bytesWritten;
      }
      await settle({ kind: 'form', fields, file });
    }

    const tooManyParts = () => void settle({ kind: 'too-many-parts' });
    parser
      .on('file', onFile)
      .on('field', onField)
      .on('partsLimit', tooManyParts)
      .on('filesLimit', tooManyParts)
      .on('fieldsLimit', tooManyParts)
      .on('error', () => void settle({ kind: 'malformed' }))
      .on('finish', () => void onFinish());

    function onData(chunk: Buffer): void {
      receivedBytes += chunk.length;
      if (receivedBytes > spec.maxBodyBytes) return void settle({ kind: 'body-too-large' });
      if (parser!.write(chunk)) return startTimer();
      // The file is written slower than it arrives: TCP holds the sender, and a wait we
      // caused is not the client's stall.
      incoming.pause();
      stopTimer();
      parser!.once('drain', () => {
        if (settled) return;
        incoming.resume();
        startTimer();
      });
    }
    function onEnd(): void {
      stopTimer();
      parser!.end();
    }
    function onClose(): void {
      if (!incoming.complete) void settle({ kind: 'gone' });
    }

    if (incoming.readableEnded) return void settle({ kind: 'malformed' });
    incoming.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onClose);
    startTimer();
  });
}
