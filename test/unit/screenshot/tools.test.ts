import { describe, expect, it } from 'vitest';
import { commandForKey, type EditorCommand, listenForShortcuts, modifierName, strokeWidthFor, textSizeFor, TOOLS, type KeyPress } from '@/lib/screenshot/tools';
import { STRINGS } from '@/lib/strings';

const press = (key: string, modifiers: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...modifiers,
});

describe('editor shortcuts', () => {
  it('undoes with Ctrl+Z or Cmd+Z and redoes with Shift added, or Ctrl+Y', () => {
    expect(commandForKey(press('z', { ctrlKey: true }))).toEqual({ type: 'undo' });
    expect(commandForKey(press('z', { metaKey: true }))).toEqual({ type: 'undo' });
    expect(commandForKey(press('Z', { ctrlKey: true, shiftKey: true }))).toEqual({ type: 'redo' });
    expect(commandForKey(press('Z', { metaKey: true, shiftKey: true }))).toEqual({ type: 'redo' });
    expect(commandForKey(press('y', { ctrlKey: true }))).toEqual({ type: 'redo' });
  });

  it('saves with Ctrl+Enter, cancels with Escape, deletes with Delete or Backspace', () => {
    expect(commandForKey(press('Enter', { ctrlKey: true }))).toEqual({ type: 'save' });
    expect(commandForKey(press('Enter', { metaKey: true }))).toEqual({ type: 'save' });
    expect(commandForKey(press('Enter'))).toBeUndefined();
    expect(commandForKey(press('Escape'))).toEqual({ type: 'cancel' });
    expect(commandForKey(press('Delete'))).toEqual({ type: 'delete' });
    expect(commandForKey(press('Backspace'))).toEqual({ type: 'delete' });
  });

  it('picks a tool by its letter, in either case, but leaves browser shortcuts alone', () => {
    expect(commandForKey(press('x'))).toEqual({ type: 'tool', tool: 'redact' });
    expect(commandForKey(press('C'))).toEqual({ type: 'tool', tool: 'crop' });
    expect(commandForKey(press('p', { ctrlKey: true }))).toBeUndefined();
    expect(commandForKey(press('a', { altKey: true }))).toBeUndefined();
    expect(commandForKey(press('q'))).toBeUndefined();
  });

  it('gives every tool its own key, named in its tooltip', () => {
    const keys = TOOLS.map((entry) => entry.key);
    expect(new Set(keys).size).toBe(TOOLS.length);
    for (const { tool, key } of TOOLS) {
      expect(commandForKey(press(key.toLowerCase()))).toEqual({ type: 'tool', tool });
      expect(STRINGS.editorWithKeys(STRINGS.editorTool[tool], key)).toContain(`(${key})`);
    }
  });

  it('names the modifier as macOS users know it', () => {
    expect(modifierName('MacIntel')).toBe('\u2318');
    expect(modifierName('Win32')).toBe('Ctrl');
  });
});

describe('listening for shortcuts', () => {
  const keydown = (key: string, modifiers: Partial<KeyPress> = {}) =>
    Object.assign(new Event('keydown', { cancelable: true }), press(key, modifiers));

  it('runs the command and keeps the key from the page and the panel, until stopped', () => {
    const target = new EventTarget();
    const commands: EditorCommand[] = [];
    const stop = listenForShortcuts(target, (command) => commands.push(command));
    const escape = keydown('Escape');
    target.dispatchEvent(escape);
    expect(commands).toEqual([{ type: 'cancel' }]);
    expect(escape.defaultPrevented).toBe(true);
    const other = keydown('q');
    target.dispatchEvent(other);
    expect(other.defaultPrevented).toBe(false);
    stop();
    target.dispatchEvent(keydown('z', { ctrlKey: true }));
    expect(commands).toHaveLength(1);
  });
});

describe('default sizes', () => {
  it('scale with the capture, so marks look alike on 1x and 2x screens', () => {
    expect(strokeWidthFor(2880)).toBe(2 * strokeWidthFor(1440));
    expect(textSizeFor(2880)).toBe(2 * textSizeFor(1440));
    expect(strokeWidthFor(100)).toBeGreaterThanOrEqual(2);
  });
});
