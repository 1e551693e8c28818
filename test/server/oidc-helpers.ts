/**
 * For the single sign-on tests: a real OpenID provider (the `oidc-provider` package, with its
 * development login and consent forms) on 127.0.0.1, and a browser that follows redirects with
 * a cookie jar per origin and fills those forms in.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A provider listening on loopback; its accounts' ids are e-mails. */
export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

/** Accounts whose e-mail starts with this are not verified (`email_verified: false`). */
export const UNVERIFIED_PREFIX = 'unverified';

/**
 * Listens first (the issuer is needed to start Loupe), then serves the provider once
 * `redirectUri` is known: call `attach` before the first sign-in.
 */
export async function listenProvider(): Promise<{ issuer: string; attach(redirectUri: string): TestProvider }> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    attach(redirectUri) {
      const [clientId, clientSecret] = ['loupe-test', 'a-test-client-secret-that-is-long-enough'];
      const provider = new Provider(issuer, {
        clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], response_types: ['code'], grant_types: ['authorization_code'] }],
        claims: { email: ['email', 'email_verified'] },
        cookies: { keys: ['test-cookie-key-0123456789'] },
        features: { devInteractions: { enabled: true } },
        findAccount: (_ctx, id) => ({
          accountId: id,
          claims: () => ({ sub: id, email: id, email_verified: !id.startsWith(UNVERIFIED_PREFIX) }),
        }),
      });
      server.on('request', provider.callback());
      return {
        issuer,
        clientId,
        clientSecret,
        stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    },
  };
}

/** A browser: cookies kept per origin (host and port), no JavaScript. */
export class TestBrowser {
  private jars = new Map<string, Map<string, string>>();

  /** The cookies this browser holds for `origin`. */
  jar(origin: string): Map<string, string> {
    let jar = this.jars.get(origin);
    if (!jar) this.jars.set(origin, (jar = new Map()));
    return jar;
  }

  /** One request, no redirect followed; keeps the cookies it sets (an expired one is removed). */
  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const { origin } = new URL(url);
    const jar = this.jar(origin);
    const headers: Record<string, string> = {};
    if (jar.size) headers.Cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    if (init.form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method: init.method ?? 'GET', headers, redirect: 'manual', body: init.form && new URLSearchParams(init.form) });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const at = pair!.indexOf('=');
      const [name, value] = [pair!.slice(0, at).trim(), pair!.slice(at + 1).trim()];
      const gone = value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (gone) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  }

  /**
   * Follows redirects from `url`, signing in at the provider's forms as `email`, until an
   * answer that is not a redirect (returned with its address), or one to a site's root, the
   * inbox (returned with the address it points to). `rewrite` may change each address before it is requested.
   */
  async follow(url: string, email: string, options: { rewrite?: (url: URL) => URL | undefined } = {}): Promise<{ response: Response; url: string; body: string }> {
    let next = new URL(url);
    for (let step = 0; step < 20; step++) {
      const target = options.rewrite ? options.rewrite(next) : next;
      if (!target) throw new Error(`Stopped before ${next.href}`);
      let response = await this.request(target.href);
      let body = await response.text();
      const form = /<form[^>]*action="([^"]+)"[^>]*method="post"[\s\S]*?name="prompt" value="(\w+)"/.exec(body);
      if (response.status === 200 && form) {
        response = await this.request(new URL(form[1]!.replace(/&amp;/g, '&'), target).href, {
          method: 'POST',
          form: { prompt: form[2]!, login: email, password: 'anything' },
        });
        body = await response.text();
      }
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { response, url: target.href, body };
      next = new URL(location, target);
      // The inbox: where Loupe sends a person once signed in.
      if (next.pathname === '/') return { response, url: next.href, body };
    }
    throw new Error('Too many redirects');
  }
}
