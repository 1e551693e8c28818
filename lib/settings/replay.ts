/** How replays are recorded: a versioned item apart from the server settings (the recorder reads it). */
import { storage } from 'wxt/utils/storage';

/** How replays are recorded on the sites the user turned on. */
export type ReplaySettings = {
  /** Off: no site records, whatever its switch says. */
  enabled: boolean;
  /** Share of page loads that record, 0..1. */
  sampleRate: number;
  /** Recording starts only after the page has been open this long. */
  startAfterMs: number;
  /** How much of the past a replay covers. */
  bufferSeconds: number;
};

/** Replays record the last 30 s, on every page load of a turned-on site, after 3 s. */
export const DEFAULT_REPLAY_SETTINGS: ReplaySettings = {
  enabled: true,
  sampleRate: 1,
  startAfterMs: 3000,
  bufferSeconds: 30,
};

/** Allowed range of each numeric replay setting. */
export const REPLAY_LIMITS = { sampleRate: [0, 1], startAfterMs: [0, 600_000], bufferSeconds: [1, 300] } as const;

/** The replay settings item (a second item, so the server settings keep their shape). */
export const replaySettingsItem = storage.defineItem<ReplaySettings>('local:replay-settings', {
  version: 1,
  fallback: DEFAULT_REPLAY_SETTINGS,
});

/** A field out of range, with the range it must be in. */
export type ReplaySettingsIssues = Partial<Record<keyof typeof REPLAY_LIMITS, readonly [number, number]>>;

/** Checks replay settings; the allowed range of each field out of it. */
export function validateReplaySettings(
  input: ReplaySettings,
): { ok: true; value: ReplaySettings } | { ok: false; issues: ReplaySettingsIssues } {
  const issues: ReplaySettingsIssues = {};
  for (const [key, [min, max]] of Object.entries(REPLAY_LIMITS) as [keyof typeof REPLAY_LIMITS, readonly [number, number]][]) {
    const value = input[key];
    if (!Number.isFinite(value) || value < min || value > max) issues[key] = [min, max];
  }
  return Object.keys(issues).length > 0 ? { ok: false, issues } : { ok: true, value: { ...input } };
}

/** Reads the replay settings, each field falling back to its default when invalid. */
export async function loadReplaySettings(): Promise<ReplaySettings> {
  const stored: Partial<Record<keyof ReplaySettings, unknown>> = (await replaySettingsItem.getValue()) ?? {};
  const settings = { ...DEFAULT_REPLAY_SETTINGS };
  for (const key of Object.keys(DEFAULT_REPLAY_SETTINGS) as (keyof ReplaySettings)[]) {
    const candidate = { ...DEFAULT_REPLAY_SETTINGS, [key]: stored[key] } as ReplaySettings;
    if (validateReplaySettings(candidate).ok) (settings as Record<string, unknown>)[key] = stored[key];
  }
  return settings;
}

/** Validates and stores replay settings; nothing is written when a field is invalid. */
export async function saveReplaySettings(input: ReplaySettings): Promise<ReturnType<typeof validateReplaySettings>> {
  const result = validateReplaySettings(input);
  if (result.ok) await replaySettingsItem.setValue(result.value);
  return result;
}
