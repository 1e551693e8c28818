/**
 * The report page's timeline, end to end: on a turned-on site a person types in a field and
 * clicks a button that logs a console error; the report's page in the inbox lists the error,
 * the steps (the field's value never shown) and the facts in tabs beside the replay; an entry
 * plays the replay from its time, the error is marked on the scrubber, and the tabs follow
 * the arrow keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRINGS } from '../../lib/strings';
import { INBOX_STRINGS } from '../../server/inbox/client/strings';
import { getByRole, waitForText } from './support/ax';
import { launchWithExtension, type LoadedBrowser } from './support/browser';
import { waitFor } from './support/cdp';
import { signInWithAdminToken } from './support/inbox';
import { openPanelFromToolbar, turnSiteOnInPopup } from './support/panel';
import { startStack, type Stack } from './support/stack';
import { createClient } from '../../server/clients.ts';

const S = INBOX_STRINGS.timeline;
const WINDOW_SECONDS = 20;
const TYPED = 'SPRING-SECRET-42';
const ERROR = 'Cart failed: out of stock';

let stack: Stack;
let browser: LoadedBrowser;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchWithExtension();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('the report page’s timeline', () => {
  it('lists console, steps and info beside the replay, seeks the player from an entry, and marks the error on the scrubber', async () => {
    const client = await createClient(stack.server.storage, { name: 'timeline' });
    const { page } = await browser.openPage(`${stack.site.url}/timeline`);
    const popup = await browser.clickToolbarButton(page.url());
    await turnSiteOnInPopup(popup, { clientId: client.id, environment: '', serverUrl: stack.server.url }, WINDOW_SECONDS);
    popup.close();
    // Loaded again so that the page-context script (console, requests) starts with the page.
    await page.reload();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await page.fill('#coupon', TYPED);
    await new Promise((resolve) => setTimeout(resolve, 700));
    await page.click('#add span');
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const { cdp } = await openPanelFromToolbar(browser, page);
    // Shown once the panel's opening froze the replay (shorter than the window: the page is young).
    await getByRole(cdp, 'checkbox', STRINGS.attachReplay);
    await (await getByRole(cdp, 'radio', 'Bad')).click();
    await (await getByRole(cdp, 'button', 'Send')).click();
    await waitForText(cdp, STRINGS.sent);
    const [row] = await stack.server.storage.listFeedback(client.id);
    expect(row!.sessionReplayId).toBeTruthy();
    await page.close();

    const viewer = await browser.context.newPage();
    const errors: string[] = [];
    viewer.on('pageerror', (error) => errors.push(error.message));
    await viewer.goto(`${stack.server.url}/feedback/${row!.id}`);
    await signInWithAdminToken(viewer, stack.adminToken);
    await viewer.waitForSelector('[data-replay-state="playing"], [data-replay-state="error"]');
    expect(await viewer.getAttribute('#replay', 'data-replay-state')).toBe('playing');

    // Console: the error once (in metadata.context and in the recording), on the replay's clock.
    const tabs = viewer.getByRole('tablist', { name: S.title });
    const consoleTab = tabs.getByRole('tab', { name: S.tabs.console });
    await expect.poll(() => consoleTab.getAttribute('aria-selected')).toBe('true');
    const consolePanel = viewer.getByRole('tabpanel', { name: S.tabs.console });
    const errorEntry = consolePanel.getByRole('button', { name: ERROR });
    await errorEntry.waitFor();
    expect(await consolePanel.getByRole('button').count()).toBe(1);
    expect(await errorEntry.textContent()).toContain(S.console.error);

    // Steps: the page opened, typed into the field (its value nowhere), the button clicked by its text.
    await tabs.getByRole('tab', { name: S.tabs.steps }).click();
    const stepsPanel = viewer.getByRole('tabpanel', { name: S.tabs.steps });
    const steps = await stepsPanel.locator('.timeline-text').allTextContents();
    expect(steps).toEqual([S.step.open(`${stack.site.url}/timeline`), S.step.type('Coupon'), S.step.click('Add to cart')]);
    expect(await viewer.locator('body').textContent()).not.toContain(TYPED);

    // Arrow keys move along the tabs; Info lists the facts sent.
    await tabs.getByRole('tab', { name: S.tabs.steps }).focus();
    await viewer.keyboard.press('ArrowRight');
    const infoTab = tabs.getByRole('tab', { name: S.tabs.info });
    expect(await infoTab.getAttribute('aria-selected')).toBe('true');
    expect(await viewer.evaluate(() => document.activeElement?.id)).toBe('timeline-tab-info');
    expect(await viewer.getByRole('tabpanel', { name: S.tabs.info }).textContent()).toContain(S.info.browser);
    await viewer.keyboard.press('Home');
    expect(await consoleTab.getAttribute('aria-selected')).toBe('true');

    // The replay had played to its end (the feedback); the error's entry plays it from the error.
    const offsetMs = Number(await errorEntry.getAttribute('data-offset-ms'));
    const durationMs = row!.replayOffsetMs!;
    expect(offsetMs).toBeGreaterThan(1_000);
    expect(offsetMs).toBeLessThan(durationMs);
    await waitFor('the replay to reach the feedback', async () => Number(await viewer.getAttribute('#replay', 'data-replay-current-ms')) > offsetMs + 500);
    await errorEntry.click();
    const currentMs = Number(await viewer.getAttribute('#replay', 'data-replay-current-ms'));
    expect(currentMs).toBeGreaterThanOrEqual(offsetMs - 50);
    expect(currentMs).toBeLessThan(offsetMs + 500);
    await expect.poll(() => errorEntry.getAttribute('aria-current')).toBe('true');

    // The click that logged it is the current step.
    await tabs.getByRole('tab', { name: S.tabs.steps }).click();
    const clickStep = stepsPanel.getByRole('button', { name: S.step.click('Add to cart') });
    await expect.poll(() => clickStep.getAttribute('aria-current')).toBe('true');

    // The scrubber under the player marks the error at its time, and plays from it too.
    const scrubber = viewer.getByRole('group', { name: S.scrubber });
    const marker = scrubber.getByRole('button', { name: /^Error at/ });
    expect(await marker.count()).toBe(1);
    expect(await marker.getAttribute('data-offset-ms')).toBe(String(offsetMs));
    expect(await marker.getAttribute('aria-label')).toContain(ERROR);

    // Copy as GitHub issue: the steps, numbered (the Markdown is shown whether or not the clipboard took it).
    await viewer.getByRole('button', { name: INBOX_STRINGS.copyIssue }).click();
    const markdown = await viewer.locator('#issue-markdown').inputValue();
    expect(markdown).toContain(`## ${INBOX_STRINGS.issue.steps}\n\n1. Open`);
    expect(markdown).toContain('\n2. Type in “Coupon” \\(value masked\\)\n3. Click “Add to cart”\n');
    expect(markdown).not.toContain(TYPED);
    expect(errors).toEqual([]);
    await viewer.close();
  });
});
