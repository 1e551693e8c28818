/**
 * The user's settings: versioned storage items, validated on write and parsed on read.
 * This file holds the server settings; ./replay.ts the replay settings, apart so that
 * the recorder (which has a byte budget) can read them without the rest.
 */
import { storage } from 'wxt/utils/storage';
import type { JoinLink } from '../api/join-link';
import { CLIENT_ID_PATTERN, environmentProblem, normaliseServerUrl } from '../api/schemas';
import { STRINGS } from '../strings';

export type Settings = {
  /** Project id; '' until the user enters one. */
  clientId: string;
  /** '' means the default environment, which the wire contract says to omit. */
  environment: string;
  /** Base URL of the feedback API, without a trailing slash. */
  serverUrl: string;
};

export type SettingsIssues = Partial<Record<keyof Settings, string>>;

/** Build-time defaults: `npm start` builds with the local server and demo project. */
export const DEFAULT_SETTINGS: Settings = {
  clientId: import.meta.env.WXT_LOUPE_CLIENT_ID ?? '',
  environment: '',
  serverUrl: import.meta.env.WXT_LOUPE_SERVER_URL ?? 'https://usero.io',
};

/** The settings item; bump `version` and add a migration whenever its shape changes. */
export const settingsItem = storage.defineItem<Settings>('local:settings', {
  version: 1,
  fallback: DEFAULT_SETTINGS,
});

type FieldCheck = { value: string; issue?: string };

// One check per field: each returns the normalised value and, when invalid, why.
const CHECKS: Record<keyof Settings, (raw: string) => FieldCheck> = {
  clientId(raw) {
    const value = raw.trim();
    if (value === '') return { value, issue: STRINGS.clientIdRequired };
    return CLIENT_ID_PATTERN.test(value) ? { value } : { value, issue: STRINGS.clientIdInvalid };
  },
  environment(raw) {
    const value = raw.trim();
    const problem = environmentProblem(value);
    if (problem === 'placeholder') return { value, issue: STRINGS.environmentPlaceholder(value) };
    return problem === 'tooLong' ? { value, issue: STRINGS.environmentTooLong } : { value };
  },
  serverUrl(raw) {
    const value = normaliseServerUrl(raw);
    return value === undefined ? { value: raw, issue: STRINGS.serverUrlInvalid } : { value };
  },
};
const KEYS = Object.keys(CHECKS) as (keyof Settings)[];

/** Checks and normalises what the user typed; returns the clean value or a message per field. */
export function validateSettings(
  input: Settings,
): { ok: true; value: Settings } | { ok: false; issues: SettingsIssues } {
  const value = { ...input };
  const issues: SettingsIssues = {};
  for (const key of KEYS) {
    const check = CHECKS[key](input[key]);
    value[key] = check.value;
    if (check.issue) issues[key] = check.issue;
  }
  return Object.keys(issues).length > 0 ? { ok: false, issues } : { ok: true, value };
}

/**
 * Reads the settings, keeping each stored field only while it is valid (an unset Client
 * ID stays unset): a value written by an older build or edited by hand never reaches
 * the network unchecked.
 */
export async function loadSettings(): Promise<Settings> {
  const stored: Partial<Record<keyof Settings, unknown>> = (await settingsItem.getValue()) ?? {};
  const settings = { ...DEFAULT_SETTINGS };
  for (const key of KEYS) {
    const raw = stored[key];
    if (typeof raw !== 'string') continue;
    const check = CHECKS[key](raw);
    if (!check.issue) settings[key] = check.value;
    else if (key === 'clientId' && check.value === '') settings.clientId = '';
  }
  return settings;
}

/** Validates and stores; nothing is written when any field is invalid. */
export async function saveSettings(input: Settings): Promise<ReturnType<typeof validateSettings>> {
  const result = validateSettings(input);
  if (result.ok) await settingsItem.setValue(result.value);
  return result;
}

/** The settings a reporter link sets up: its server, project and environment. */
export function settingsOf(link: JoinLink): Settings {
  return { clientId: link.clientId, environment: link.environment, serverUrl: link.serverUrl };
}

/** Whether `settings` already send reports where `link` says. */
export function joinedTo(settings: Settings, link: JoinLink): boolean {
  const wanted = settingsOf(link);
  return KEYS.every((key) => settings[key] === wanted[key]);
}

export { normaliseServerUrl };
export * from './replay';
