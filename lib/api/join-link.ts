/**
 * Reporter invite links (docs/team-api.md): `<server>/join?clientId=…&environment=…&project=…`.
 * The server makes them and serves the page they open; the popup recognises one in the tab it
 * was opened on and offers to set Loupe up with it. Both use this module, so the link a server
 * writes is always one the extension reads, with the same rules as the settings form.
 */
import { CLIENT_ID_PATTERN, environmentProblem, normaliseServerUrl } from './schemas';

/** The join page's path below the server's base URL. */
export const JOIN_PATH = '/join';
/** Longest link read (the project name, environment and id are short; a longer one is not ours). */
export const JOIN_LINK_MAX_CHARS = 2048;
/** Longest project name a link may carry (it is only shown, in the popup's question). */
export const JOIN_PROJECT_NAME_MAX_CHARS = 100;

/** The query parameters, by field. */
const PARAMS = { clientId: 'clientId', environment: 'environment', projectName: 'project' } as const;

/** What a link sets up: where reports go, for which project and environment. */
export interface JoinLink {
  /** The server's base URL, normalised as the settings keep it. */
  serverUrl: string;
  clientId: string;
  /** '' for the default environment (the link then has no `environment`). */
  environment: string;
  /** The project's name as the server wrote it when making the link; '' when absent. */
  projectName: string;
}

/** A link's fields besides the server, as its query holds them. */
export type JoinParams = Omit<JoinLink, 'serverUrl'>;

// Control characters have no place in a name shown as a question to the user.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/** A project's name made fit for a link: control characters as spaces, at most JOIN_PROJECT_NAME_MAX_CHARS. */
export function linkProjectName(name: string): string {
  const clean = name.replace(new RegExp(CONTROL_CHARS.source, 'g'), ' ').trim();
  const chars = Array.from(clean); // whole code points: never half of an emoji
  return chars.length > JOIN_PROJECT_NAME_MAX_CHARS ? chars.slice(0, JOIN_PROJECT_NAME_MAX_CHARS).join('').trim() : clean;
}

/** The link for `link`: the server's join page with the project in its query. */
export function buildJoinLink(link: JoinLink): string {
  const query = new URLSearchParams({ [PARAMS.clientId]: link.clientId });
  if (link.environment !== '') query.set(PARAMS.environment, link.environment);
  if (link.projectName !== '') query.set(PARAMS.projectName, link.projectName);
  return `${link.serverUrl}${JOIN_PATH}?${query.toString()}`;
}

/** The fields of a join page's query when each is valid and given at most once; else undefined. */
export function readJoinParams(query: URLSearchParams): JoinParams | undefined {
  const one = (name: string): string | undefined => {
    const values = query.getAll(name);
    return values.length > 1 ? undefined : (values[0] ?? '');
  };
  const clientId = one(PARAMS.clientId)?.trim();
  const environment = one(PARAMS.environment)?.trim();
  const projectName = one(PARAMS.projectName)?.trim();
  if (clientId === undefined || environment === undefined || projectName === undefined) return undefined;
  if (!CLIENT_ID_PATTERN.test(clientId) || environmentProblem(environment) !== undefined) return undefined;
  if (Array.from(projectName).length > JOIN_PROJECT_NAME_MAX_CHARS || CONTROL_CHARS.test(projectName)) return undefined;
  return { clientId, environment, projectName };
}

/**
 * The link `url` is, when it is a join link: an http(s) address whose path ends in /join with
 * a valid query; the server is everything before /join. Anything else is undefined.
 */
export function parseJoinLink(url: string | undefined): JoinLink | undefined {
  if (url === undefined || url.length > JOIN_LINK_MAX_CHARS) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!parsed.pathname.endsWith(JOIN_PATH)) return undefined;
  const serverUrl = normaliseServerUrl(`${parsed.origin}${parsed.pathname.slice(0, -JOIN_PATH.length)}`);
  if (serverUrl === undefined || parsed.username || parsed.password) return undefined;
  const params = readJoinParams(parsed.searchParams);
  return params && { serverUrl, ...params };
}
