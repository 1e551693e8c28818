// The test S3 server's own process: s3rver on 127.0.0.1:0 over the directory in argv[2].
// Started by test/support/s3.ts with --openssl-legacy-provider: s3rver makes its listing
// continuation tokens with DES, which OpenSSL 3 only has in its legacy provider. Prints
// {"port":N} once listening; stops when its parent closes stdin (or dies).
import S3rver from 's3rver';

const directory = process.argv[2];
if (!directory) throw new Error('Usage: s3-server.mjs DIRECTORY');
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  server.httpServer?.closeAllConnections();
  server.close().then(() => process.exit(0));
});
