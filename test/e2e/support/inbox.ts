/** Driving the server's inbox page in a Playwright page: signing in the way a person does. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createUser } from '../../../server/auth/users';
import { createClient } from '../../../server/clients';
import { INBOX_STRINGS as S, TEAM_STRINGS as T } from '../../../server/inbox/client/strings';
import type { Storage } from '../../../server/storage/types';

/** Shows the tools' sign-in (key or admin token): the screen opens on the e-mail and password form. */
async function showToolSignIn(page: Page): Promise<void> {
  const toTools = page.getByRole('button', { name: T.useToolSignIn });
  await Promise.race([toTools.waitFor(), page.getByRole('button', { name: T.useAccountSignIn }).waitFor()]);
  if (await toTools.isVisible()) await toTools.click();
}

/** Signs in with a project key on the sign-in screen the page shows. */
export async function signInWithKey(page: Page, kid: string, secret: string): Promise<void> {
  await showToolSignIn(page);
  await page.getByLabel(S.keyIdLabel, { exact: true }).fill(kid);
  await page.getByLabel(S.secretLabel, { exact: true }).fill(secret);
  await page.getByRole('button', { name: S.signIn }).click();
}

/** Signs in with the server's admin token on the sign-in screen the page shows. */
export async function signInWithAdminToken(page: Page, token: string): Promise<void> {
  await showToolSignIn(page);
  await page.getByRole('radio', { name: S.signInWithAdmin }).check();
  await page.getByLabel(S.adminTokenLabel, { exact: true }).fill(token);
  await page.getByRole('button', { name: S.signIn }).click();
}

/** A new context (its own cookies) on the inbox at `serverUrl`, signed in with e-mail and password, on the list; with the page errors it raises. */
export async function openInboxAs(
  browser: Browser,
  serverUrl: string,
  person: { email: string; password: string },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${serverUrl}/`);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: S.listTitle }).waitFor();
  return { context, page, errors };
}

/** A new project named `name` with `person` as its owner (an account made for them); its client id. */
export async function projectOwnedBy(storage: Storage, name: string, person: { name: string; email: string; password: string }): Promise<string> {
  const clientId = (await createClient(storage, { name })).id;
  const user = await createUser(storage.team, person, Date.now());
  await storage.team.putMember({ clientId, userId: user!.id, role: 'owner', notifyNewReports: false, createdAt: new Date().toISOString() });
  return clientId;
}
