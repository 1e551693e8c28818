import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS, joinedTo, loadSettings, normaliseServerUrl, saveSettings, settingsItem, settingsOf, validateSettings } from '@/lib/settings';
import { STRINGS } from '@/lib/strings';

const valid = { clientId: 'client_abc123', environment: 'staging', serverUrl: 'https://feedback.example.com/' };

describe('settings', () => {
  beforeEach(() => fakeBrowser.reset());

  it('defaults to the hosted service, no Client ID and the default environment', async () => {
    expect(await loadSettings()).toEqual({ clientId: '', environment: '', serverUrl: 'https://usero.io' });
    expect(DEFAULT_SETTINGS.serverUrl).toBe('https://usero.io');
  });

  it('saves trimmed, normalised values and reads them back', async () => {
    const result = await saveSettings({ ...valid, clientId: '  client_abc123 ', environment: ' staging ' });
    expect(result).toEqual({ ok: true, value: { ...valid, serverUrl: 'https://feedback.example.com' } });
    expect(await loadSettings()).toEqual({ ...valid, serverUrl: 'https://feedback.example.com' });
  });

  it('keeps a blank environment blank: the default inbox, never a placeholder', async () => {
    await saveSettings({ ...valid, environment: '   ' });
    expect((await loadSettings()).environment).toBe('');
  });

  it.each([
    [{ clientId: '' }, 'clientId', STRINGS.clientIdRequired],
    [{ clientId: 'abc123' }, 'clientId', STRINGS.clientIdInvalid],
    [{ clientId: 'client_ with space' }, 'clientId', STRINGS.clientIdInvalid],
    [{ environment: 'default' }, 'environment', STRINGS.environmentPlaceholder('default')],
    [{ environment: 'No-Env' }, 'environment', STRINGS.environmentPlaceholder('No-Env')],
    [{ environment: 'x'.repeat(65) }, 'environment', STRINGS.environmentTooLong],
    [{ serverUrl: 'usero.io' }, 'serverUrl', STRINGS.serverUrlInvalid],
    [{ serverUrl: 'ftp://usero.io' }, 'serverUrl', STRINGS.serverUrlInvalid],
    [{ serverUrl: 'https://user:pw@usero.io' }, 'serverUrl', STRINGS.serverUrlInvalid],
  ])('refuses %o with a message on that field and stores nothing', async (change, field, message) => {
    const result = await saveSettings({ ...valid, ...change });
    expect(result).toEqual({ ok: false, issues: { [field]: message } });
    expect(await settingsItem.getValue()).toEqual(DEFAULT_SETTINGS);
  });

  it('reports every invalid field at once', () => {
    const result = validateSettings({ clientId: 'nope', environment: 'default', serverUrl: 'nope' });
    expect(result.ok ? [] : Object.keys(result.issues).sort()).toEqual(['clientId', 'environment', 'serverUrl']);
  });

  it('normalises server URLs', () => {
    expect(normaliseServerUrl('http://127.0.0.1:8787/')).toBe('http://127.0.0.1:8787');
    expect(normaliseServerUrl(' https://example.com/feedback/api// ')).toBe('https://example.com/feedback/api');
    expect(normaliseServerUrl('https://example.com/?q=1')).toBeUndefined();
  });

  it('migrates whatever is stored (unversioned, partial, another shape) field by field on read', async () => {
    // What a hand edit, an older build or a sync conflict can leave behind.
    await fakeBrowser.storage.local.set({
      settings: { clientId: 'client_kept', environment: 'default', serverUrl: 42, legacyField: true },
    });
    expect(await loadSettings()).toEqual({ clientId: 'client_kept', environment: '', serverUrl: 'https://usero.io' });
    await fakeBrowser.storage.local.set({ settings: 'garbage' });
    expect(await loadSettings()).toEqual(DEFAULT_SETTINGS);
    await fakeBrowser.storage.local.set({ settings: { serverUrl: 'http://127.0.0.1:8787/' } });
    expect(await loadSettings()).toEqual({ ...DEFAULT_SETTINGS, serverUrl: 'http://127.0.0.1:8787' });
  });
});

describe('settings from a reporter join link', () => {
  beforeEach(() => fakeBrowser.reset());
  const link = { serverUrl: 'http://127.0.0.1:8787', clientId: 'client_joined', environment: 'qa', projectName: 'Acme' };

  it('stores the link\'s server, project and environment, and then counts as joined', async () => {
    expect(joinedTo(await loadSettings(), link)).toBe(false);
    expect((await saveSettings(settingsOf(link))).ok).toBe(true);
    expect(await loadSettings()).toEqual({ clientId: 'client_joined', environment: 'qa', serverUrl: 'http://127.0.0.1:8787' });
    expect(joinedTo(await loadSettings(), link)).toBe(true);
    expect(joinedTo(await loadSettings(), { ...link, environment: '' })).toBe(false);
  });
});
