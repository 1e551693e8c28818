/**
 * Chooses the file store from the environment: an S3-compatible bucket when S3_BUCKET is set
 * (with S3_ENDPOINT, S3_REGION, S3_FORCE_PATH_STYLE, S3_PREFIX and the SDK's standard
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), else files on disk under DATA_DIR as always.
 */
import { S3_FILES } from '../constants.ts';
import { createDiskFileStore } from './disk-files.ts';
import type { FileStore } from './files.ts';
import { createS3FileStore, type S3FilesConfig } from './s3-files.ts';

/** Which engine holds the files, and where. */
export type FilesConfig = { engine: 'disk'; dir: string } | { engine: 's3'; s3: S3FilesConfig };

const { env: ENV } = S3_FILES;

function parseBoolean(name: string, text: string | undefined): boolean | undefined {
  if (text === undefined || text === '') return undefined;
  if (text === 'true' || text === 'false') return text === 'true';
  throw new Error(`${name} must be true or false, not "${text}"`);
}

function parseEndpoint(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw new Error(`${ENV.endpoint} must be an http(s) URL, not "${text}"`);
  return text;
}

/** The files config an environment asks for; `diskDir` is where disk files go without S3_BUCKET. Throws naming a bad variable. */
export function filesConfigFromEnv(env: Record<string, string | undefined>, diskDir: string): FilesConfig {
  const bucket = env[ENV.bucket];
  if (!bucket) return { engine: 'disk', dir: diskDir };
  return {
    engine: 's3',
    s3: {
      bucket,
      endpoint: parseEndpoint(env[ENV.endpoint]),
      region: env[ENV.region] || S3_FILES.defaultRegion,
      forcePathStyle: parseBoolean(ENV.forcePathStyle, env[ENV.forcePathStyle]),
      prefix: env[ENV.prefix] || undefined,
    },
  };
}

/** The store a config names; nothing is checked until its ping(). */
export function openFileStore(config: FilesConfig): FileStore {
  return config.engine === 's3' ? createS3FileStore(config.s3) : createDiskFileStore(config.dir);
}
