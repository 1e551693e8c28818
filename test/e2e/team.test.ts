/**
 * The inbox's team side, end to end in real Chromium against the real server (SQLite) and a
 * real SMTP server: a person signs in with e-mail and password; an owner makes an invitation
 * link in the project's settings and a new person joins through it as a viewer, who sees no
 * triage controls and whose PATCH the server refuses; a member is mentioned in a comment
 * (Markdown rendered, markup kept as text) and their bell counts it; a report is assigned on
 * its page and the activity log says so; several reports change state at once from the list;
 * the mention and assignment e-mails arrive with their recipient, subject and link.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/auth/users';
import { createClient } from '../../server/clients';
import { INBOX_STRINGS as S, STATE_LABELS, TEAM_STRINGS as T } from '../../server/inbox/client/strings';
import { postFeedback } from '../server/helpers';
import { startStack, type Stack } from './support/stack';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PASSWORD = 'correct horse battery';
const OWNER = { name: 'Olivia', email: 'olivia@example.com' };
const MEMBER = { name: 'Bob', email: 'bob@example.com' };
const VIEWER = { name: 'Vera', email: 'vera@example.com' };
const REPORTS = ['Checkout button does nothing', 'Search is slow', 'Typo on the pricing page', 'Logo is blurry'] as const;

let stack: Stack;
let browser: Browser;
let smtp: { port: number; received: ParsedMail[]; stop(): Promise<void> };
let clientId: string;
const ids: string[] = [];

async function startSmtp(): Promise<typeof smtp> {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, done) {
      simpleParser(stream).then((mail) => (received.push(mail), done()), done);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.server.address() as AddressInfo).port, received, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The server's answer to a JSON request, with these headers. */
async function api(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${stack.server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** A report as the server has it (through the read API, with the admin token). */
async function report(id: string): Promise<{ state: string; assigneeId: string | null }> {
  const answer = await api(`/api/projects/${clientId}/feedbacks/${id}`, { headers: { Authorization: `Bearer ${stack.adminToken}` } });
  expect(answer.status).toBe(200);
  return answer.json;
}

/** A new browser context (its own cookies) on `path`, with the page errors it raises. */
async function openTab(path = '/'): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${stack.server.url}${path}`);
  return { page, errors };
}

/** Signs in with e-mail and password on the sign-in screen, by the names an outside check uses. */
async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A tab signed in as `who`, showing `path` (the list by default). */
async function signedIn(who: { email: string }, path = '/'): Promise<{ page: Page; errors: string[] }> {
  const tab = await openTab(path);
  await signIn(tab.page, who.email);
  await tab.page.getByRole('heading', { name: S.listTitle }).waitFor();
  return tab;
}

const mailsTo = (address: string) => smtp.received.filter((mail) => mail.to && !Array.isArray(mail.to) && mail.to.value.some((v) => v.address === address));

beforeAll(async () => {
  smtp = await startSmtp();
  stack = await startStack({ smtp: { url: `smtp://127.0.0.1:${smtp.port}`, from: 'Loupe <loupe@example.com>', pollMs: 100, retryDelaysMs: [300], maxAttempts: 20 } });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  clientId = (await createClient(stack.server.storage, { name: 'Shop' })).id;
  const team = stack.server.storage.team;
  const now = new Date().toISOString();
  for (const [person, role] of [[OWNER, 'owner'], [MEMBER, 'member']] as const) {
    const user = await createUser(team, { ...person, password: PASSWORD }, Date.now());
    await team.putMember({ clientId, userId: user!.id, role, notifyNewReports: false, createdAt: now });
  }
  for (const comment of REPORTS) {
    const res = await postFeedback(stack.server.url, { clientId, rating: 2, comment });
    expect(res.status).toBe(200);
    ids.push(((await res.json()) as { feedbackId: string }).feedbackId);
  }
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await smtp?.stop();
});

describe('the inbox’s team side', () => {
  it('signs a person in with e-mail and password; a wrong password is refused', async () => {
    const { page, errors } = await openTab();
    await signIn(page, OWNER.email, 'not the password');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong e-mail or password');
    await signIn(page, OWNER.email);
    await page.getByRole('heading', { name: S.listTitle }).waitFor();
    expect(await page.locator('.topbar .who').textContent()).toBe(OWNER.name);
    await page.getByRole('link', { name: T.settings }).waitFor();
    // A reload keeps the person signed in (the session cookie), signing out ends it.
    await page.reload();
    await page.getByRole('heading', { name: S.listTitle }).waitFor();
    await page.getByRole('button', { name: S.signOut }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('an owner makes an invitation link in the settings; a new person joins through it as a viewer, who cannot triage', async () => {
    const owner = await signedIn(OWNER);
    await owner.page.getByRole('link', { name: T.settings }).click();
    await owner.page.getByRole('heading', { name: T.invitations }).waitFor();
    await owner.page.getByLabel(T.inviteRole).selectOption({ label: 'Viewer' });
    await owner.page.getByLabel(T.inviteEmail).fill(VIEWER.email);
    await owner.page.getByRole('button', { name: T.makeInvitation }).click();
    const link = await owner.page.getByLabel(T.invitationLink, { exact: true }).inputValue();
    expect(link).toMatch(new RegExp(`^${stack.server.url}/#invitation=`));
    await owner.page.getByText(T.invitationSent(VIEWER.email)).waitFor();
    expect(owner.errors).toEqual([]);
    await owner.page.context().close();

    // The link also went by e-mail; the invitee follows the e-mailed one.
    await expect.poll(() => mailsTo(VIEWER.email).length, { timeout: 10_000 }).toBe(1);
    const invitation = mailsTo(VIEWER.email)[0]!;
    expect(invitation.subject).toBe(`${OWNER.name} invited you to Shop on Loupe`);
    expect(invitation.text).toContain(link);
    expect(String(invitation.html)).toContain(`href="${link}"`);

    const invitee = await openTab(link.slice(stack.server.url.length));
    await invitee.page.getByRole('heading', { name: T.invitationTitle('Shop') }).waitFor();
    expect(await invitee.page.getByText(T.invitationOffer('Shop', 'Viewer')).isVisible()).toBe(true);
    await invitee.page.getByLabel(T.nameLabel).fill(VIEWER.name);
    await invitee.page.getByLabel('Email').fill(VIEWER.email);
    await invitee.page.getByLabel('Password').fill(PASSWORD);
    await invitee.page.getByRole('button', { name: T.createAccountAndJoin }).click();
    await invitee.page.getByRole('heading', { name: S.listTitle }).waitFor();
    expect(await invitee.page.getByText('Shop', { exact: true }).isVisible()).toBe(true);
    const me = await invitee.page.evaluate(async () => (await fetch('/api/me')).json());
    expect(me.projects).toEqual([expect.objectContaining({ id: clientId, role: 'viewer' })]);

    // A viewer: no state buttons, no assignee and no comment box on the report page (once the
    // team side is there: its Triage heading), no selection boxes nor bulk bar in the list.
    await invitee.page.locator(`a.item[data-feedback-id="${ids[0]}"]`).click();
    await invitee.page.getByRole('heading', { name: T.triageTitle }).waitFor();
    await invitee.page.getByRole('heading', { name: T.discussionTitle }).waitFor();
    expect(await invitee.page.getByRole('checkbox').count()).toBe(0);
    expect(await invitee.page.getByRole('group', { name: T.bulkTitle }).count()).toBe(0);
    expect(await invitee.page.getByRole('link', { name: T.settings }).count()).toBe(0);
    const detail = invitee.page.getByRole('region', { name: S.detailTitle });
    expect(await detail.getByRole('group', { name: S.changeState }).count()).toBe(0);
    expect(await detail.getByRole('button', { name: STATE_LABELS.done }).count()).toBe(0);
    expect(await detail.getByRole('combobox').count()).toBe(0);
    expect(await detail.getByRole('textbox', { name: 'Comment' }).count()).toBe(0);
    // Nor do the keyboard's state keys change anything.
    await invitee.page.locator('body').press('3');
    await invitee.page.waitForTimeout(300);
    expect((await report(ids[0]!)).state).toBe('new');
    expect(invitee.errors).toEqual([]);
    await invitee.page.context().close();

    // Opened straight from a link while the project's people are still loading (held back
    // here), the report page shows a viewer no state buttons either.
    const direct = await openTab(`/feedback/${ids[0]}`);
    await direct.page.route('**/members', async (route) => (await new Promise((resolve) => setTimeout(resolve, 1_500)), route.continue()));
    await signIn(direct.page, VIEWER.email);
    await direct.page.getByRole('region', { name: S.detailTitle }).getByRole('heading', { name: REPORTS[0] }).waitFor();
    expect(await direct.page.getByRole('region', { name: S.detailTitle }).getByRole('button', { name: STATE_LABELS.done }).count()).toBe(0);
    await direct.page.context().close();

    // And the server refuses the viewer's change, whatever the page shows.
    const signedInViewer = await fetch(`${stack.server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: VIEWER.email, password: PASSWORD }),
    });
    expect(signedInViewer.status).toBe(200);
    const { csrfToken } = (await signedInViewer.json()) as { csrfToken: string };
    const cookie = signedInViewer.headers.getSetCookie().find((c) => c.startsWith('loupe_session='))!.split(';')[0]!;
    const patch = await api(`/api/projects/${clientId}/feedbacks/${ids[0]}`, { method: 'PATCH', body: { state: 'done' }, headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken } });
    expect(patch.status).toBe(403);
    expect(patch.json.error).toMatch(/member role/);
    expect((await report(ids[0]!)).state).toBe('new');
  });

  it('a comment mentions a member: Markdown is rendered, markup stays text, and the member’s bell counts it', async () => {
    const owner = await signedIn(OWNER, `/feedback/${ids[0]}`);
    const box = owner.page.getByRole('textbox', { name: 'Comment' });
    await box.fill('@Bob can you look at **this**? <script>window.__xss = 1</script> <img src=x onerror="window.__xss = 2">');
    await owner.page.getByRole('button', { name: 'Add comment' }).click();
    const comment = owner.page.locator('.comments .comment').first();
    await comment.waitFor();
    expect(await comment.locator('strong', { hasText: 'this' }).count()).toBe(1);
    expect(await comment.textContent()).toContain('<script>window.__xss = 1</script>');
    expect(await comment.textContent()).toContain('<img src=x onerror="window.__xss = 2">');
    expect(await comment.locator('script, img').count()).toBe(0);
    expect(await owner.page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    expect(await box.inputValue()).toBe('');
    expect(owner.errors).toEqual([]);
    await owner.page.context().close();

    const bob = await signedIn(MEMBER);
    const bell = bob.page.getByRole('button', { name: T.notificationsCount(1) });
    await bell.waitFor();
    await bell.click();
    const notice = bob.page.getByRole('region', { name: T.notifications }).getByRole('link', { name: T.notification.mentioned(OWNER.name) });
    await notice.click();
    await expect.poll(() => bob.page.url()).toBe(`${stack.server.url}/feedback/${ids[0]}`);
    await bob.page.getByRole('button', { name: T.notificationsCount(0) }).waitFor();
    await bob.page.context().close();
  });

  it('assigns a report to a member on its page; the activity log says so', async () => {
    const owner = await signedIn(OWNER, `/feedback/${ids[1]}`);
    await owner.page.getByRole('region', { name: T.triageTitle }).getByLabel(T.assignee).selectOption({ label: MEMBER.name });
    await expect.poll(() => owner.page.locator('.triage-status').textContent()).toBe(T.triageSaved);
    const bob = (await stack.server.storage.team.getUserByEmail(MEMBER.email))!;
    expect((await report(ids[1]!)).assigneeId).toBe(bob.id);
    const activity = owner.page.getByRole('list', { name: T.activityTitle });
    await expect.poll(() => activity.textContent()).toContain(`${OWNER.name} ${T.activity.assigned(MEMBER.name)}`);
    // The list beside it follows: the row names its assignee.
    const row = owner.page.locator(`li[data-row-id="${ids[1]}"]`);
    await expect.poll(() => row.textContent()).toContain(T.assignedTo(MEMBER.name));
    // A reload shows the assignee chosen.
    await owner.page.reload();
    const picker = owner.page.getByRole('region', { name: T.triageTitle }).getByLabel(T.assignee);
    await expect.poll(() => picker.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent)).toBe(MEMBER.name);
    expect(owner.errors).toEqual([]);
    await owner.page.context().close();
  });

  it('changes the state of several reports at once from the list', async () => {
    const owner = await signedIn(OWNER);
    const picked = [REPORTS[1], REPORTS[2], REPORTS[3]];
    for (const title of picked) await owner.page.getByRole('checkbox', { name: T.selectItem(title) }).check();
    await expect.poll(() => owner.page.locator('.selected-count').textContent()).toBe(T.selectedCount(3));
    await owner.page.getByLabel(T.bulkState).selectOption({ label: STATE_LABELS.in_progress });
    await expect.poll(() => owner.page.locator('.bulk-status').textContent()).toBe(T.bulkDone(3));
    expect(await Promise.all(ids.map(async (id) => (await report(id)).state))).toEqual(['new', 'in_progress', 'in_progress', 'in_progress']);
    // The list shows it: the counts per state.
    await expect.poll(() => owner.page.getByRole('search').locator('[data-state-filter]').allTextContents()).toEqual(['All (4)', 'New (1)', 'In progress (3)', 'Done (0)']);
    expect(owner.errors).toEqual([]);
    await owner.page.context().close();
  });

  it('e-mails the mention and the assignment to the member, with a link to the report', async () => {
    await expect.poll(() => mailsTo(MEMBER.email).length, { timeout: 10_000 }).toBe(2);
    const [mention, assigned] = [mailsTo(MEMBER.email).find((m) => m.subject?.includes('mentioned you')), mailsTo(MEMBER.email).find((m) => m.subject?.includes('assigned you'))];
    expect(mention?.subject).toBe(`[Shop] ${OWNER.name} mentioned you on ${REPORTS[0]}`);
    expect(mention?.text).toContain(`${stack.server.url}/feedback/${ids[0]}`);
    expect(String(mention?.html)).toContain(`href="${stack.server.url}/feedback/${ids[0]}"`);
    expect(assigned?.subject).toBe(`${OWNER.name} assigned you a report in Shop`);
    expect(assigned?.text).toContain(`${stack.server.url}/feedback/${ids[1]}`);
    // Bob's bell has the assignment too (the mention was read when he followed it).
    const bob = await signedIn(MEMBER);
    await bob.page.getByRole('button', { name: T.notificationsCount(1) }).click();
    await bob.page.getByRole('region', { name: T.notifications }).getByRole('link', { name: T.notification.assigned(OWNER.name) }).waitFor();
    await bob.page.context().close();
    expect(mailsTo(OWNER.email)).toEqual([]);
  });

  it('the settings are the owners’: a member opening them is told so; an owner going back and forth sees them once', async () => {
    const bob = await openTab('/settings');
    await signIn(bob.page, MEMBER.email);
    await bob.page.getByText(T.ownersOnly).waitFor();
    expect(await bob.page.getByRole('button', { name: T.makeInvitation }).count()).toBe(0);
    await bob.page.context().close();

    const owner = await openTab('/settings');
    await signIn(owner.page, OWNER.email);
    await owner.page.getByRole('heading', { name: T.invitations }).waitFor();
    // The project's settings answer slowly (held back here) while the owner goes back and in again.
    await owner.page.route(`**/api/projects/${clientId}`, async (route) => (await new Promise((resolve) => setTimeout(resolve, 700)), route.continue()));
    await owner.page.getByRole('button', { name: `← ${T.backToInbox}` }).click();
    await owner.page.getByRole('link', { name: T.settings }).click();
    await owner.page.getByRole('button', { name: `← ${T.backToInbox}` }).click();
    await owner.page.getByRole('link', { name: T.settings }).click();
    await owner.page.getByRole('heading', { name: T.invitations }).waitFor();
    await owner.page.waitForTimeout(1_000);
    expect(await owner.page.getByRole('heading', { name: T.invitations }).count()).toBe(1);
    await owner.page.unrouteAll();

    // Members: the viewer becomes a member; the last owner cannot step down (the select goes back).
    await owner.page.getByLabel(T.roleOf(VIEWER.name)).selectOption({ label: 'Member' });
    const status = owner.page.getByRole('region', { name: T.members }).getByRole('status');
    await expect.poll(() => status.textContent()).toBe(T.saved);
    const vera = (await stack.server.storage.team.getUserByEmail(VIEWER.email))!;
    expect((await stack.server.storage.team.getMember(clientId, vera.id))?.role).toBe('member');
    const mine = owner.page.getByLabel(T.roleOf(OWNER.name));
    await mine.selectOption({ label: 'Viewer' });
    await expect.poll(() => status.textContent()).toMatch(/owner/i);
    await expect.poll(() => mine.evaluate((select: HTMLSelectElement) => select.value)).toBe('owner');
    expect(owner.errors).toEqual([]);
    await owner.page.context().close();
  });

  it('someone with an account follows an invitation, signs in first, and lands in the new project', async () => {
    const blog = await createClient(stack.server.storage, { name: 'Blog' });
    const olivia = (await stack.server.storage.team.getUserByEmail(OWNER.email))!;
    await stack.server.storage.team.putMember({ clientId: blog.id, userId: olivia.id, role: 'owner', notifyNewReports: false, createdAt: new Date().toISOString() });
    const owner = await signedIn(OWNER);
    await owner.page.getByLabel(S.project, { exact: true }).selectOption({ label: 'Blog' });
    await owner.page.getByRole('link', { name: T.settings }).click();
    await owner.page.getByRole('heading', { name: T.settingsTitle('Blog') }).waitFor();
    await owner.page.getByRole('button', { name: T.makeInvitation }).click();
    const link = await owner.page.getByLabel(T.invitationLink, { exact: true }).inputValue();
    await owner.page.context().close();

    const bob = await openTab(link.slice(stack.server.url.length));
    await bob.page.getByText(T.invitationOffer('Blog', 'Member')).waitFor();
    await bob.page.getByRole('button', { name: T.haveAccount }).click();
    await expect.poll(() => bob.page.getByRole('alert').textContent()).toBe(T.signInToAccept('Blog'));
    await signIn(bob.page, MEMBER.email);
    await bob.page.getByRole('heading', { name: S.listTitle }).waitFor();
    await expect.poll(() => bob.page.getByLabel(S.project, { exact: true }).evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent)).toBe('Blog');
    const me = await bob.page.evaluate(async () => (await fetch('/api/me')).json());
    expect(me.projects.map((p: { name: string; role: string }) => `${p.name}: ${p.role}`).sort()).toEqual(['Blog: member', 'Shop: member']);
    expect(bob.errors).toEqual([]);
    await bob.page.context().close();
  });
});
