import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../server/clients.ts';
import { ensureFirstOwner } from '../../server/first-owner.ts';
import { startTestServer, type TestServer } from './helpers.ts';
import { browserOf, call } from './team-auth-helpers.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const tokenOf = (url: string | undefined) => /#sign-in=([A-Za-z0-9_-]+)$/.exec(url ?? '')?.[1];

describe('the first owner (npm start)', () => {
  it('is made on a fresh install, owns the demo project, and signs in once with the printed link', async () => {
    const demo = await createClient(t.server.storage, { name: 'Demo project' });
    const input = { email: 'owner@localhost', demoClientId: demo.id, baseUrl: t.url, nowMs: Date.now() };
    const first = await ensureFirstOwner(t.server.storage, input);
    expect(first).toMatchObject({ created: true, user: { email: 'owner@localhost', serverOwner: true, passwordHash: null } });
    expect(first!.signInUrl).toMatch(new RegExp(`^${t.url}/#sign-in=`));
    const token = tokenOf(first!.signInUrl);
    const signedIn = await call(t, '/api/auth/sign-in/link', { method: 'POST', body: { token } });
    const me = await call(t, '/api/me', { as: browserOf(signedIn) });
    expect(me.json.projects).toEqual([{ id: demo.id, name: 'Demo project', role: 'owner', notifyNewReports: false }]);
    expect((await call(t, '/api/auth/sign-in/link', { method: 'POST', body: { token } })).status).toBe(401);

    // A later start finds the same owner and, while they have no password, prints a fresh link.
    const later = await ensureFirstOwner(t.server.storage, { ...input, email: 'someone-else@localhost' });
    expect(later).toMatchObject({ created: false, user: { id: first!.user.id } });
    expect(tokenOf(later!.signInUrl)).not.toBe(token);
    expect((await call(t, '/api/auth/sign-in/link', { method: 'POST', body: { token: tokenOf(later!.signInUrl) } })).status).toBe(200);
    expect((await t.server.storage.team.listUsers()).length).toBe(1);

    await t.server.storage.team.setPasswordHash(first!.user.id, '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo');
    expect((await ensureFirstOwner(t.server.storage, input))?.signInUrl).toBeUndefined();
  });
});
