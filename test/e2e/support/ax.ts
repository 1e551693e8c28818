/**
 * Finds controls the way a screen reader does, by role and accessible name, through the
 * accessibility tree. Unlike CSS selectors this reaches into the panel's closed shadow
 * root, and a control without the right accessible name is simply not found.
 */
import { waitFor, type Cdp } from './cdp';

type AxNode = { backendDOMNodeId?: number; role?: { value: string }; name?: { value: string }; ignored?: boolean };

/** A control found by role and name, driven with real input events. */
export class Control {
  constructor(
    private cdp: Cdp,
    readonly backendNodeId: number,
  ) {}

  private async call<T>(fn: string): Promise<T> {
    const { object } = await this.cdp.send('DOM.resolveNode', { backendNodeId: this.backendNodeId });
    const { result } = await this.cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId,
      functionDeclaration: fn,
      returnByValue: true,
    });
    return result.value as T;
  }

  /** Clicks the middle of the control with the mouse, once it has stopped moving (as a person would). */
  async click(): Promise<void> {
    await this.cdp.send('DOM.scrollIntoViewIfNeeded', { backendNodeId: this.backendNodeId });
    const quadsNow = async () => JSON.stringify((await this.cdp.send('DOM.getContentQuads', { backendNodeId: this.backendNodeId })).quads);
    let previous = '';
    await waitFor('the control to stop moving', async () => {
      const current = await quadsNow();
      const settled = current === previous;
      previous = current;
      return settled;
    });
    const { quads } = await this.cdp.send('DOM.getContentQuads', { backendNodeId: this.backendNodeId });
    const quad: number[] = quads[0];
    const x = (quad[0]! + quad[2]! + quad[4]! + quad[6]!) / 4;
    const y = (quad[1]! + quad[3]! + quad[5]! + quad[7]!) / 4;
    for (const type of ['mouseMoved', 'mousePressed', 'mouseReleased']) {
      await this.cdp.send('Input.dispatchMouseEvent', { type, x, y, button: 'left', clickCount: 1 }).catch((error: Error) => {
        // A click that closes the panel takes its frame, and this session, with it.
        if (type !== 'mouseReleased' || !/closed|detached/i.test(error.message)) throw error;
      });
    }
  }

  /** Focuses the control and types `text` as keyboard input. */
  async type(text: string): Promise<void> {
    await this.cdp.send('DOM.focus', { backendNodeId: this.backendNodeId });
    await this.cdp.send('Input.insertText', { text });
  }

  /** Replaces the control's text with `text`, as select-all then typing would. */
  async fill(text: string): Promise<void> {
    await this.call('function () { this.select(); }');
    await this.cdp.send('DOM.focus', { backendNodeId: this.backendNodeId });
    await this.cdp.send('Input.insertText', { text });
    if (text === '') await this.cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Backspace', windowsVirtualKeyCode: 8 });
  }

  /** The control's current value (text fields). */
  value(): Promise<string> {
    return this.call('function () { return this.value; }');
  }

  /** Whether a checkbox or radio is checked. */
  checked(): Promise<boolean> {
    return this.call('function () { return this.checked === true; }');
  }

  /** Whether the control is disabled. */
  disabled(): Promise<boolean> {
    return this.call('function () { return this.disabled === true; }');
  }
}

/**
 * Presses a key in the focused control of this session's frame. Unlike Playwright's
 * keyboard, it does not wait on the frame after the key: a key that closes the panel
 * (Escape) takes the frame, and this session, with it.
 */
export async function pressKey(cdp: Cdp, key: 'Escape' | 'Enter', code = key === 'Escape' ? 27 : 13): Promise<void> {
  // The key can close the frame before CDP answers, even for the keydown that did it.
  const frameGone = (error: Error) => {
    if (!/closed|detached/i.test(error.message)) throw error;
  };
  for (const type of ['rawKeyDown', 'keyUp']) {
    await cdp.send('Input.dispatchKeyEvent', { type, key, code: key, windowsVirtualKeyCode: code }).catch(frameGone);
  }
}

async function query(cdp: Cdp, role: string | undefined, name: string, within?: Control): Promise<AxNode[]> {
  // Backend node ids stay valid while the DOM changes; DOM agent node ids may not.
  const root = within?.backendNodeId ?? (await cdp.send('DOM.getDocument', { depth: 0 })).root.backendNodeId;
  const { nodes } = await cdp.send('Accessibility.queryAXTree', {
    backendNodeId: root,
    accessibleName: name,
    ...(role && { role }),
  });
  return (nodes as AxNode[]).filter((node) => !node.ignored && node.backendDOMNodeId !== undefined);
}

/** Waits for exactly one control with this role and accessible name (inside `within`, when given). */
export async function getByRole(cdp: Cdp, role: string, name: string, within?: Control): Promise<Control> {
  const node = await waitFor(
    `${role} "${name}"`,
    async () => {
      const nodes = await query(cdp, role, name, within);
      if (nodes.length > 1) throw new Error(`${nodes.length} ${role} controls are named "${name}"`);
      return nodes[0];
    },
  );
  return new Control(cdp, node.backendDOMNodeId!);
}

/** Whether any node (text or control) with this accessible name is shown now. */
export async function hasText(cdp: Cdp, name: string): Promise<boolean> {
  return (await query(cdp, undefined, name)).length > 0;
}

/** Waits until a node with this accessible name (e.g. a status message) is shown. */
export async function waitForText(cdp: Cdp, name: string, timeoutMs?: number): Promise<void> {
  await waitFor(`text "${name}"`, () => hasText(cdp, name), timeoutMs);
}

/** Whether a control with this role and name exists right now. */
export async function exists(cdp: Cdp, role: string, name: string): Promise<boolean> {
  return (await query(cdp, role, name)).length > 0;
}
