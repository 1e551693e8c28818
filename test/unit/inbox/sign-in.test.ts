/** The inbox's sign-in screen offers single sign-on only when the server has a provider. */
import { parseHTML } from 'linkedom';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { renderSignIn, type SignInOptions } from '../../../server/inbox/client/sign-in';

let container: HTMLElement;

beforeEach(() => {
  const { document } = parseHTML('<!doctype html><html><head><title></title></head><body><div id="app"></div></body></html>');
  Object.assign(globalThis, { document });
  container = document.getElementById('app') as unknown as HTMLElement;
});

afterAll(() => {
  Reflect.deleteProperty(globalThis, 'document');
});

const base: SignInOptions = { onSubmit: async () => undefined, onPasswordSubmit: async () => undefined };
const ssoLinks = () => [...container.querySelectorAll('a')].filter((a) => a.getAttribute('href')?.endsWith('/api/auth/oidc'));

describe('renderSignIn', () => {
  it('shows the single sign-on button, with the server\'s label, when it is on', () => {
    renderSignIn(container, { ...base, sso: { label: 'Sign in with Acme', href: 'https://loupe.example/api/auth/oidc' } });
    const links = ssoLinks();
    expect(links).toHaveLength(1);
    expect(links[0]!.textContent).toBe('Sign in with Acme');
    expect(links[0]!.hidden).toBe(false);
  });

  it('shows no such button when it is off', () => {
    renderSignIn(container, base);
    expect(ssoLinks()).toHaveLength(0);
    expect(container.querySelector('#email')).not.toBeNull();
  });
});
