/**
 * Finds Loupe's controls in Firefox by role and accessible name, as ../../support/ax.ts does in
 * Chromium, and drives them with real mouse and keyboard input (see chrome-agent.js).
 */
import { waitFor } from '../../support/cdp';
import type { LoadedFirefox } from './firefox';

/** Where a control is: the selected tab's page (with the panel framed in it) or the toolbar popup. */
export type Where = 'page' | 'popup';

type ControlState = { checked: boolean; disabled: boolean; focused: boolean; value: string };

/** A control found by role and name; every action finds it again, so a re-rendered control is still the same control. */
export class Control {
  constructor(
    private firefox: LoadedFirefox,
    readonly where: Where,
    readonly role: string,
    readonly name: string,
  ) {}

  private async state(): Promise<ControlState> {
    const state = await this.firefox.call<ControlState | null>('state', this.where, this.role, this.name);
    if (!state) throw new Error(`${this.role} "${this.name}" is gone`);
    return state;
  }

  /** Clicks the middle of the control with the mouse, once it has stopped moving and nothing covers it. */
  async click(): Promise<void> {
    let seen: unknown = null;
    await waitFor(`${this.role} "${this.name}" to hold still, uncovered`, async () => {
      const outcome = await this.firefox.call<{ clicked: true } | { at: number[] } | null>('click', this.where, this.role, this.name, seen);
      if (outcome && 'at' in outcome) seen = outcome.at;
      return outcome !== null && 'clicked' in outcome;
    });
  }

  /** Clicks into the control and types `text` key by key. */
  async type(text: string): Promise<void> {
    await this.click();
    await waitFor(`${this.role} "${this.name}" to take the focus`, async () => (await this.state()).focused);
    await this.firefox.call('type', text);
    await waitFor(`${this.role} "${this.name}" to end with what was typed`, async () => (await this.value()).endsWith(text));
  }

  /** Replaces the control's text with `text`, as select-all then typing would. */
  async fill(text: string): Promise<void> {
    await this.click();
    await waitFor(`${this.role} "${this.name}" to take the focus`, async () => (await this.state()).focused);
    await this.firefox.call('key', 'a', { accelKey: true });
    await this.firefox.call('key', 'KEY_Backspace');
    await this.firefox.call('type', text);
    await waitFor(`${this.role} "${this.name}" to read "${text}"`, async () => (await this.value()) === text);
  }

  /** The control's current value (text fields). */
  async value(): Promise<string> {
    return (await this.state()).value;
  }

  /** Whether a checkbox or radio is checked. */
  async checked(): Promise<boolean> {
    return (await this.state()).checked;
  }

  /** Whether the control is disabled. */
  async disabled(): Promise<boolean> {
    return (await this.state()).disabled;
  }
}

/** Waits for exactly one control with this role and accessible name. */
export async function getByRole(firefox: LoadedFirefox, where: Where, role: string, name: string): Promise<Control> {
  await waitFor(`${role} "${name}"`, async () => {
    const count = await firefox.call<number>('count', where, role, name);
    if (count > 1) throw new Error(`${count} ${role} controls are named "${name}"`);
    return count === 1;
  });
  return new Control(firefox, where, role, name);
}

/** Whether any node (text or control) with this accessible name is shown now. */
export async function hasText(firefox: LoadedFirefox, where: Where, name: string): Promise<boolean> {
  return (await firefox.call<number>('count', where, null, name)) > 0;
}

/** Waits until a node with this accessible name (e.g. a status message) is shown. */
export async function waitForText(firefox: LoadedFirefox, where: Where, name: string, timeoutMs?: number): Promise<void> {
  await waitFor(`text "${name}"`, () => hasText(firefox, where, name), timeoutMs);
}
