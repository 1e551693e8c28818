/** Driving the server's inbox page in a Playwright page: signing in the way a person does. */
import type { Page } from 'playwright-core';
import { INBOX_STRINGS as S, TEAM_STRINGS as T } from '../../../server/inbox/client/strings';

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
