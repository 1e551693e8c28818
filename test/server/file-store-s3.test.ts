/** The file store contract against a real S3-protocol server (s3rver on loopback), plus what only S3 has. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3FileStore } from '../../server/storage/s3-files.ts';
import { describeFileStore } from '../support/file-store-contract.ts';
import { startTestS3, type TestS3 } from '../support/s3.ts';
import { storedFileNames } from '../support/stored-files.ts';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(() => s3?.stop());

describeFileStore('S3', async () => {
  const config = await s3.createBucket();
  return {
    store: createS3FileStore(config),
    plant: (key: string, bytes: string) => s3.putRaw(config.bucket, key, bytes),
    cleanup: async () => undefined,
  };
});

describeFileStore('S3 with a key prefix', async () => {
  const config = await s3.createBucket();
  return {
    store: createS3FileStore({ ...config, prefix: 'install-a' }),
    plant: (key: string, bytes: string) => s3.putRaw(config.bucket, `install-a/${key}`, bytes),
    cleanup: async () => undefined,
  };
});

describe('S3 file store', () => {
  it('lists every page of a listing', async () => {
    const config = await s3.createBucket();
    const store = createS3FileStore({ ...config, listPageSize: 2 });
    const names = [];
    for (let i = 0; i < 5; i++) names.push(await store.put('client_abc', 'png', new Uint8Array([i])));
    expect(await storedFileNames(store)).toEqual(names.sort());
  });

  it('keeps installs under different prefixes of one bucket apart', async () => {
    const config = await s3.createBucket();
    const a = createS3FileStore({ ...config, prefix: 'a/' });
    const b = createS3FileStore({ ...config, prefix: 'b' });
    const name = await a.put('client_abc', 'png', new Uint8Array([1]));
    expect(await storedFileNames(a)).toEqual([name]);
    expect(await storedFileNames(b)).toEqual([]);
    expect(await b.open(name)).toBeUndefined();
  });

  it('fails ping naming the bucket, the endpoint and why', async () => {
    const config = await s3.createBucket();
    await expect(createS3FileStore({ ...config, bucket: 'no-such-bucket' }).ping()).rejects.toThrow(
      `S3 bucket "no-such-bucket" at ${s3.endpoint} is not usable: the bucket does not exist`,
    );
    const closed = 'http://127.0.0.1:1';
    await expect(createS3FileStore({ ...config, endpoint: closed }).ping()).rejects.toThrow(
      new RegExp(`^S3 bucket "${config.bucket}" at ${closed} is not usable: .*ECONNREFUSED`),
    );
  });
});
