import { describe, expect, it } from 'vitest';
import {
  JOIN_LINK_MAX_CHARS,
  JOIN_PROJECT_NAME_MAX_CHARS,
  buildJoinLink,
  parseJoinLink,
  readJoinParams,
  type JoinLink,
} from '../../../lib/api/join-link';
import { ENVIRONMENT_MAX_CHARS } from '../../../lib/api/schemas';

const link: JoinLink = {
  serverUrl: 'https://feedback.example.com',
  clientId: 'client_abc123',
  environment: 'staging',
  projectName: 'Acme & Co "shop"',
};

describe('reporter join links', () => {
  it('reads back every link it builds, with or without environment and name, below a path too', () => {
    for (const variant of [
      link,
      { ...link, environment: '' },
      { ...link, projectName: '' },
      { ...link, serverUrl: 'http://127.0.0.1:8787/loupe' },
      { ...link, projectName: 'Café 東京 / ?&=#' },
    ]) {
      expect(parseJoinLink(buildJoinLink(variant))).toEqual(variant);
    }
  });

  it('writes the server page address with the project in its query, and omits the default environment', () => {
    expect(buildJoinLink({ ...link, environment: '', projectName: '' })).toBe('https://feedback.example.com/join?clientId=client_abc123');
    const url = new URL(buildJoinLink(link));
    expect(url.pathname).toBe('/join');
    expect(url.searchParams.get('environment')).toBe('staging');
  });

  it('trims the query values and ignores parameters it does not know (a mail client may add some)', () => {
    const parsed = parseJoinLink('https://feedback.example.com/join?clientId=%20client_abc%20&environment=%20qa%20&utm_source=mail');
    expect(parsed).toEqual({ serverUrl: 'https://feedback.example.com', clientId: 'client_abc', environment: 'qa', projectName: '' });
  });

  it.each([
    ['another page of the server', 'https://feedback.example.com/joined?clientId=client_abc'],
    ['a path merely ending in join', 'https://feedback.example.com/rejoin?clientId=client_abc'],
    ['no Client ID', 'https://feedback.example.com/join'],
    ['a Client ID without the prefix', 'https://feedback.example.com/join?clientId=abc'],
    ['a Client ID with a space', 'https://feedback.example.com/join?clientId=client_a%20b'],
    ['two Client IDs', 'https://feedback.example.com/join?clientId=client_a&clientId=client_b'],
    ['a placeholder environment', 'https://feedback.example.com/join?clientId=client_a&environment=default'],
    ['a too long environment', `https://feedback.example.com/join?clientId=client_a&environment=${'e'.repeat(ENVIRONMENT_MAX_CHARS + 1)}`],
    ['a too long name', `https://feedback.example.com/join?clientId=client_a&project=${'n'.repeat(JOIN_PROJECT_NAME_MAX_CHARS + 1)}`],
    ['a name with a line break', 'https://feedback.example.com/join?clientId=client_a&project=a%0Ab'],
    ['credentials in the address', 'https://user:pw@feedback.example.com/join?clientId=client_a'],
    ['not http(s)', 'ftp://feedback.example.com/join?clientId=client_a'],
    ['an extension page', 'chrome-extension://abcdef/join?clientId=client_a'],
    ['not a URL', 'join?clientId=client_a'],
    ['too long', `https://feedback.example.com/join?clientId=client_a&x=${'x'.repeat(JOIN_LINK_MAX_CHARS)}`],
  ])('is not a join link: %s', (_why, url) => {
    expect(parseJoinLink(url)).toBeUndefined();
  });

  it('is nothing for a tab without a URL (the popup was opened without access to it)', () => {
    expect(parseJoinLink(undefined)).toBeUndefined();
  });

  it('reads the same fields from a query alone, as the server page does', () => {
    expect(readJoinParams(new URLSearchParams('clientId=client_a&environment=qa'))).toEqual({ clientId: 'client_a', environment: 'qa', projectName: '' });
    expect(readJoinParams(new URLSearchParams('clientId=client_a&environment=none'))).toBeUndefined();
  });
});
