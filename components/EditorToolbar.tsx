import { For, Show } from 'solid-js';
import { COLOURS, type EditorCommand, TOOLS, type Tool, usesColour } from '@/lib/screenshot/tools';
import { STRINGS } from '@/lib/strings';

export type Props = {
  tool: Tool;
  colour: string;
  onColour: (colour: string) => void;
  canUndo: boolean;
  canRedo: boolean;
  /** Whether a shape is selected, so that "Delete shape" has something to delete. */
  canDelete: boolean;
  /** Whether the shot is cropped, so that "Remove crop" has something to remove. */
  cropped: boolean;
  onRemoveCrop: () => void;
  /** What the tool and history buttons ask for: the same commands as their shortcuts. */
  onCommand: (command: EditorCommand) => void;
  /** The shortcut modifier's name for the tooltips: Ctrl, or ⌘ on macOS. */
  modifier: string;
};

// Drawn rather than emoji or an icon font, which differ per OS (24x24, stroked unless noted).
const ICONS: Record<Tool | 'undo' | 'redo' | 'delete' | 'uncrop', string> = {
  select: 'M6 3l12 9-5.5 1L16 20l-2.5 1L10 14l-4 4z',
  pen: 'M4 20l1-4L16 5l3 3L8 19zM14 7l3 3',
  arrow: 'M5 19L19 5M10 5h9v9',
  rect: 'M4 6h16v12H4z',
  highlight: 'M3 3h18v18H3zM8 8h8v8H8z',
  text: 'M5 7V4h14v3M12 4v16M9 20h6',
  redact: 'M3 8h18v8H3zM6 12h12',
  crop: 'M7 2v15h15M2 7h15v15',
  undo: 'M9 14L4 9l5-5M4 9h11a5 5 0 010 10h-4',
  redo: 'M15 14l5-5-5-5M20 9H9a5 5 0 000 10h4',
  delete: 'M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3',
  uncrop: 'M7 2v15h15M2 7h15v15M4 4l16 16',
};

function Icon(props: { name: keyof typeof ICONS }) {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
      <path d={ICONS[props.name]} fill={props.name === 'redact' ? 'currentColor' : 'none'} />
    </svg>
  );
}

/** The editor's tools (toggle buttons), colour swatches (a radio group) and history buttons. */
export default function EditorToolbar(props: Props) {
  const withKeys = (label: string, keys: string) => STRINGS.editorWithKeys(label, keys);
  return (
    <div class="editor-toolbar">
      <div class="editor-tools" role="group" aria-label={STRINGS.editorTools}>
        <For each={TOOLS}>
          {(entry) => (
            <button
              type="button"
              class="editor-icon"
              aria-pressed={props.tool === entry.tool}
              aria-label={STRINGS.editorTool[entry.tool]}
              title={withKeys(STRINGS.editorTool[entry.tool], entry.key)}
              onClick={() => props.onCommand({ type: 'tool', tool: entry.tool })}
            >
              <Icon name={entry.tool} />
            </button>
          )}
        </For>
      </div>
      <fieldset class="editor-colours" disabled={!usesColour(props.tool)}>
        <legend class="editor-visually-hidden">{STRINGS.editorColours}</legend>
        <For each={COLOURS}>
          {(colour) => (
            <label class="editor-swatch" title={STRINGS.editorColour[colour.name]} style={{ '--swatch': colour.value }}>
              <input
                type="radio"
                name="loupe-editor-colour"
                value={colour.value}
                aria-label={STRINGS.editorColour[colour.name]}
                checked={props.colour === colour.value}
                onChange={() => props.onColour(colour.value)}
              />
            </label>
          )}
        </For>
      </fieldset>
      <div class="editor-actions">
        <button
          type="button"
          class="editor-icon"
          aria-label={STRINGS.editorUndo}
          title={withKeys(STRINGS.editorUndo, `${props.modifier}+Z`)}
          disabled={!props.canUndo}
          onClick={() => props.onCommand({ type: 'undo' })}
        >
          <Icon name="undo" />
        </button>
        <button
          type="button"
          class="editor-icon"
          aria-label={STRINGS.editorRedo}
          title={withKeys(STRINGS.editorRedo, `${props.modifier}+Shift+Z`)}
          disabled={!props.canRedo}
          onClick={() => props.onCommand({ type: 'redo' })}
        >
          <Icon name="redo" />
        </button>
        <button
          type="button"
          class="editor-icon"
          aria-label={STRINGS.editorDeleteShape}
          title={withKeys(STRINGS.editorDeleteShape, 'Delete')}
          disabled={!props.canDelete}
          onClick={() => props.onCommand({ type: 'delete' })}
        >
          <Icon name="delete" />
        </button>
        <Show when={props.cropped}>
          <button
            type="button"
            class="editor-icon"
            aria-label={STRINGS.editorRemoveCrop}
            title={STRINGS.editorRemoveCrop}
            onClick={() => props.onRemoveCrop()}
          >
            <Icon name="uncrop" />
          </button>
        </Show>
      </div>
    </div>
  );
}
