/** The screenshot editor's tools, colours, default sizes and keyboard shortcuts. */

/** What a drag on the screenshot does. */
export type Tool = 'select' | 'pen' | 'arrow' | 'rect' | 'highlight' | 'text' | 'redact' | 'crop';

/** The tools in toolbar order, each with its one-key shortcut (shown upper-case). */
export const TOOLS: readonly { tool: Tool; key: string }[] = [
  { tool: 'select', key: 'V' },
  { tool: 'pen', key: 'P' },
  { tool: 'arrow', key: 'A' },
  { tool: 'rect', key: 'R' },
  { tool: 'highlight', key: 'H' },
  { tool: 'text', key: 'T' },
  { tool: 'redact', key: 'X' },
  { tool: 'crop', key: 'C' },
];

/** The tool selected when the editor opens: arrows are the commonest mark in feedback. */
export const DEFAULT_TOOL: Tool = 'arrow';

/** Names of the colour swatches (their labels are in STRINGS). */
export type ColourName = 'red' | 'yellow' | 'green' | 'blue' | 'black' | 'white';

/** The swatches: saturated enough to stand out on most pages, in light and dark themes. */
export const COLOURS: readonly { name: ColourName; value: string }[] = [
  { name: 'red', value: '#e5484d' },
  { name: 'yellow', value: '#f5b800' },
  { name: 'green', value: '#30a46c' },
  { name: 'blue', value: '#0b84f3' },
  { name: 'black', value: '#111111' },
  { name: 'white', value: '#ffffff' },
];

/** Whether the tool draws in the picked colour (redactions are always black, highlights dim). */
export function usesColour(tool: Tool): boolean {
  return tool === 'pen' || tool === 'arrow' || tool === 'rect' || tool === 'text';
}

/** The colour picked when the editor opens. */
export const DEFAULT_COLOUR = COLOURS[0]!.value;

/**
 * Stroke width in image pixels: proportional to the capture's width, so a mark looks the
 * same on a 1x and on a 2x screen (about 4 CSS px on a 1440 px wide window).
 */
export function strokeWidthFor(imageWidth: number): number {
  return Math.max(2, Math.round(imageWidth / 360));
}

/** Text size in image pixels, proportional like `strokeWidthFor` (about 20 CSS px at 1440). */
export function textSizeFor(imageWidth: number): number {
  return Math.max(14, Math.round(imageWidth / 72));
}

/** What a key press asks the editor to do. */
export type EditorCommand =
  | { type: 'tool'; tool: Tool }
  | { type: 'undo' | 'redo' | 'delete' | 'save' | 'cancel' };

/** The part of a KeyboardEvent the shortcuts look at. */
export type KeyPress = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

/**
 * The editor command of a key press, if any: Ctrl (Cmd on macOS) + Z undoes, + Shift + Z
 * or + Y redoes, + Enter saves; Escape cancels; Delete or Backspace deletes the selected
 * shape (while cropping, the crop); a tool's letter alone picks the tool.
 */
export function commandForKey(press: KeyPress): EditorCommand | undefined {
  const key = press.key.toLowerCase();
  if (press.altKey) return undefined;
  if (press.ctrlKey || press.metaKey) {
    if (key === 'z') return { type: press.shiftKey ? 'redo' : 'undo' };
    if (key === 'y') return { type: 'redo' };
    if (key === 'enter') return { type: 'save' };
    return undefined;
  }
  if (key === 'escape') return { type: 'cancel' };
  if (key === 'delete' || key === 'backspace') return { type: 'delete' };
  if (press.shiftKey) return undefined;
  const tool = TOOLS.find((entry) => entry.key.toLowerCase() === key);
  return tool ? { type: 'tool', tool: tool.tool } : undefined;
}

/** The modifier key's name in shortcut hints: ⌘ on Apple systems, Ctrl elsewhere. */
export function modifierName(platform: string): string {
  return /mac|iphone|ipad/i.test(platform) ? '\u2318' : 'Ctrl';
}

/**
 * Runs the editor command of each key press on `target` (the panel's document) until the
 * returned function is called. Presses in a text field are typing, not shortcuts. Listens
 * in the capture phase and stops what it handles, so a bubbling listener of the panel (its
 * Escape closes the panel) never sees those keys, whichever was added first.
 */
export function listenForShortcuts(target: EventTarget, run: (command: EditorCommand) => void): () => void {
  const onKeyDown = (event: Event) => {
    const press = event as KeyboardEvent;
    const target = press.target as Partial<Element> | null;
    const typing = typeof target?.matches === 'function' && target.matches('input[type="text"], textarea');
    if (press.defaultPrevented || typing) return;
    const command = commandForKey(press);
    if (!command) return;
    press.preventDefault();
    press.stopPropagation();
    run(command);
  };
  target.addEventListener('keydown', onKeyDown, { capture: true });
  return () => target.removeEventListener('keydown', onKeyDown, { capture: true });
}
