/** GET /join: the page a reporter invite link opens (server/pages/join.ts), for the project its query names. */
import type { Handler } from 'hono';
import { readJoinParams } from '../../lib/api/join-link.ts';
import { JOIN_PAGE_CSP, renderJoinError, renderJoinPage } from '../pages/join.ts';
import type { Storage } from '../storage/types.ts';
import { publicBase } from './upload-form.ts';

const PAGE_HEADERS = {
  'Content-Security-Policy': JOIN_PAGE_CSP,
  // The link names a project: never pass it on to a site the page links to.
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/** The handler; an invalid link is a 400 page and an unknown project a 404 page, both saying what to do. */
export function createJoinPageHandler(storage: Storage, publicUrl: string | undefined): Handler {
  return async (c) => {
    const params = readJoinParams(new URL(c.req.url).searchParams);
    if (!params) return c.html(renderJoinError('invalid'), 400, PAGE_HEADERS);
    const client = await storage.getClient(params.clientId);
    if (!client) return c.html(renderJoinError('unknown'), 404, PAGE_HEADERS);
    return c.html(renderJoinPage({ serverUrl: publicBase(c, publicUrl), ...params }, client.name), 200, PAGE_HEADERS);
  };
}
