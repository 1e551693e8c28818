/**
 * The file store in an S3-compatible bucket (AWS S3, MinIO, Garage, R2, s3rver): the engine
 * for several server instances sharing one store. Keys are `[prefix]<clientId>/<name>`, the
 * same names the disk store uses, so files move between engines (export/import) unchanged.
 *
 * Never replacing an object: every PutObject carries `If-None-Match: *` (AWS, MinIO and R2
 * refuse with 412 when the key exists). Servers that ignore the header would overwrite, which
 * cannot matter for fresh names (22 random characters each); an import (`putNamed`) names
 * files itself, so it also checks with a HEAD first.
 *
 * Clients never talk to the bucket: files are served through the server (routes/files.ts), so
 * URLs stay the same on every engine, need no public bucket, and never expire in a copied link.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { S3_FILES } from '../constants.ts';
import { isValidFileName, mimeTypeOf, newFileName, parseFileName } from './file-names.ts';
import type { FileStore, StoredExt } from './files.ts';

/** Where the bucket is and how to reach it. */
export interface S3FilesConfig {
  bucket: string;
  /** e.g. `http://127.0.0.1:9000` for MinIO; absent for AWS itself. */
  endpoint?: string;
  region?: string;
  /** `http://host/bucket/key` instead of `http://bucket.host/key` (MinIO, Garage, s3rver). */
  forcePathStyle?: boolean;
  /** Prepended to every key, so one bucket can hold several installs (`loupe/`). */
  prefix?: string;
  /** Default: the SDK's chain (env AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Keys per listing page (default S3's maximum); for tests of the paging. */
  listPageSize?: number;
}

/** An S3 SDK error's status and name, when it has them. */
function s3Failure(error: unknown): { status?: number; name?: string } {
  const e = error as { $metadata?: { httpStatusCode?: number }; name?: string };
  return { status: e?.$metadata?.httpStatusCode, name: e?.name };
}

const isMissing = (error: unknown) => {
  const { status, name } = s3Failure(error);
  return status === 404 || name === 'NoSuchKey' || name === 'NotFound';
};

/** Why a bucket could not be reached, in words an operator can act on. */
function whyUnreachable(error: unknown): string {
  const { status, name } = s3Failure(error);
  if (status === 404) return 'the bucket does not exist';
  if (status === 403) return 'access denied (check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)';
  if (status === 301) return 'the bucket is in another region (set S3_REGION)';
  const code = (error as NodeJS.ErrnoException)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const label = code ?? (name !== 'Error' ? name : undefined);
  return [status && `HTTP ${status}`, label && !message.includes(label) ? label : undefined, message].filter(Boolean).join(': ');
}

/** A file store in `config.bucket`; nothing is sent until the first call. */
export function createS3FileStore(config: S3FilesConfig): FileStore {
  const { bucket } = config;
  const prefix = config.prefix ? config.prefix.replace(/\/*$/, '/') : '';
  const region = config.region ?? S3_FILES.defaultRegion;
  const where = `S3 bucket "${bucket}"${prefix ? ` (prefix ${prefix})` : ''} at ${config.endpoint ?? `AWS ${region}`}`;
  const agent = { keepAlive: true, maxSockets: S3_FILES.maxSockets };
  const client = new S3Client({
    endpoint: config.endpoint,
    region,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
    // The SDK's default CRC32 trailers are unknown to MinIO releases, Garage, R2 and s3rver.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: S3_FILES.connectTimeoutMs,
      socketTimeout: S3_FILES.socketTimeoutMs,
      httpAgent: agent,
      httpsAgent: agent,
    },
  });

  const keyOf = (fileName: string) => `${prefix}${fileName}`;

  /** Puts a new object, refusing (where the server honours it) to replace one. */
  async function putNew(fileName: string, body: PutObjectCommandInput['Body'], sizeBytes: number): Promise<void> {
    const parsed = parseFileName(fileName);
    if (!parsed) throw new Error(`Refusing to store an invalid file name: ${fileName}`);
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: keyOf(fileName),
          Body: body,
          // Known up front, so the SDK streams the body as is (no chunked encoding to buffer).
          ContentLength: sizeBytes,
          ContentType: mimeTypeOf(parsed.ext),
          IfNoneMatch: '*',
        }),
      );
    } catch (error) {
      if (s3Failure(error).status === 412) throw new Error(`Refusing to replace ${fileName} in ${where}: it exists`, { cause: error });
      throw error;
    }
  }

  // The SDK does not retry a streamed body (it cannot rewind it): a failed put fails the upload,
  // which answers 500 and the extension's outbox sends again.
  async function putFromDisk(fileName: string, sourcePath: string): Promise<void> {
    const { size } = await stat(sourcePath);
    const body = createReadStream(sourcePath);
    try {
      await putNew(fileName, body, size);
    } finally {
      body.destroy(); // a request that failed midway leaves it open
    }
  }

  return {
    description: where,

    async put(clientId, ext: StoredExt, bytes) {
      const fileName = newFileName(clientId, ext);
      await putNew(fileName, bytes, bytes.byteLength);
      return fileName;
    },

    async putFile(clientId, ext, sourcePath) {
      const fileName = newFileName(clientId, ext);
      await putFromDisk(fileName, sourcePath);
      return fileName;
    },

    async putNamed(fileName, sourcePath) {
      if (!isValidFileName(fileName)) throw new Error(`Refusing to store an invalid file name: ${fileName}`);
      const exists = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(fileName) })).then(
        () => true,
        (error: unknown) => {
          if (isMissing(error)) return false;
          throw error;
        },
      );
      if (exists) throw new Error(`Refusing to replace ${fileName} in ${where}: it exists`);
      await putFromDisk(fileName, sourcePath);
    },

    async open(fileName) {
      const parsed = parseFileName(fileName);
      if (!parsed) return undefined;
      let answer;
      try {
        answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(fileName) }));
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      if (!answer.Body || answer.ContentLength === undefined) {
        answer.Body?.transformToWebStream().cancel().catch(() => undefined);
        throw new Error(`${where} answered ${fileName} without a body or a length`);
      }
      return {
        // Straight from the socket: cancelling it (a HEAD, a client gone) ends that response.
        stream: answer.Body.transformToWebStream() as ReadableStream<Uint8Array>,
        sizeBytes: answer.ContentLength,
        mimeType: mimeTypeOf(parsed.ext),
      };
    },

    async remove(fileName) {
      if (!isValidFileName(fileName)) throw new Error('Refusing to remove an invalid file name');
      // S3 answers 204 for a missing key too.
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: keyOf(fileName) }));
    },

    async *list() {
      const pages = paginateListObjectsV2(
        { client, pageSize: config.listPageSize ?? S3_FILES.listPageSize },
        { Bucket: bucket, Prefix: prefix || undefined },
      );
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          const fileName = object.Key?.slice(prefix.length);
          if (fileName === undefined || !isValidFileName(fileName) || !object.LastModified) continue;
          yield { fileName, modifiedMs: object.LastModified.getTime() };
        }
      }
    },

    async ping() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch (error) {
        throw new Error(`${where} is not usable: ${whyUnreachable(error)}`, { cause: error });
      }
    },

    async close() {
      client.destroy();
    },
  };
}
