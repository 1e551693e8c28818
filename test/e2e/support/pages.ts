/** A local site with pages of known colours, for checking what a screenshot shows. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The page's background, filling the viewport. */
export const PAGE_RGB = [30, 144, 255] as const;
/** A block at the top-left corner, 200 x 100 CSS px. */
export const BLOCK_RGB = [255, 0, 0] as const;

const COLOURS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Colours test page</title>
<style>
  html, body { margin: 0; height: 100%; background: rgb(${PAGE_RGB.join(',')}); overflow: hidden; }
  #block { position: absolute; left: 0; top: 0; width: 200px; height: 100px; background: rgb(${BLOCK_RGB.join(',')}); }
</style></head>
<body><div id="block"></div><p style="margin-top:140px;color:white;font:16px sans-serif">A page with known colours.</p></body></html>`;

/** Serves `/colours` (and, with a referrer, `/from` linking to it) on 127.0.0.1. */
export async function startPageServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.end(request.url === '/colours' ? COLOURS_PAGE : '<!doctype html><a href="/colours">colours</a>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
