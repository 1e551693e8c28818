/**
 * The screenshot editor's state as Solid signals: the shot's undo history, the tool, colour
 * and selection, the drag or text in progress, and what was last announced; plus the edits
 * that the toolbar, the keys and the pointer make to it. The component only wires the DOM.
 */
import { createMemo, createSignal } from 'solid-js';
import { STRINGS } from '../strings';
import * as model from './annotations';
import type { AnnotatedShot, Point, Rect } from './annotations';
import type { Draft } from './draft';
import { outputRect } from './geometry';
import { type CanvasKey, canvasKeyOutcome, deleteOutcome, type KeyOutcome, type MergeableEdit, recordKeyEdit } from './keyboard';
import * as tools from './tools';
import type { EditorCommand, Tool } from './tools';

/** Where the editor's work goes when it is saved or given up. */
export type EditorExits = { onSave: (next: AnnotatedShot) => void; onCancel: () => void };

/** The state of one editor, opened on `initial`. */
export function createEditorState(initial: AnnotatedShot, exits: EditorExits) {
  const [history, setHistory] = createSignal(model.startHistory(initial));
  const [tool, setTool] = createSignal<Tool>(tools.DEFAULT_TOOL);
  const [colour, setColour] = createSignal(tools.DEFAULT_COLOUR);
  const [selectedId, setSelectedId] = createSignal<string>();
  const [draft, setDraft] = createSignal<Draft>();
  const [textAt, setTextAt] = createSignal<Point>();
  const [textValue, setTextValue] = createSignal('');
  const [announcement, setAnnouncement] = createSignal('');
  let toolBeforeCrop: Tool = tools.DEFAULT_TOOL;
  let lastKeyEdit: MergeableEdit | undefined;

  const shot = () => history().present;
  const apply = (next: AnnotatedShot) => setHistory((current) => model.record(current, next));
  const selected = () => shot().annotations.find((annotation) => annotation.id === selectedId());
  // While cropping the whole image shows, so the crop can be redrawn anywhere; else only the crop.
  const area = createMemo<Rect>(() => (tool() === 'crop' ? { x: 0, y: 0, width: shot().width, height: shot().height } : outputRect(shot())));

  const dropText = () => {
    setTextAt(undefined);
    setTextValue('');
  };
  /** Adds the text being typed, when not blank; by Enter it is also selected and announced. */
  const commitText = (byKey = false) => {
    const at = textAt();
    const text = textValue().trim();
    dropText();
    if (!at || !text) return;
    const annotation = { id: crypto.randomUUID(), kind: 'text' as const, colour: colour(), at, text, size: tools.textSizeFor(shot().width) };
    apply(model.addAnnotation(shot(), annotation));
    if (!byKey) return;
    setSelectedId(annotation.id);
    setAnnouncement(STRINGS.editorAdded(STRINGS.editorShape.text));
  };
  const chooseTool = (next: Tool) => {
    if (next === 'crop' && tool() !== 'crop') {
      toolBeforeCrop = tool();
      // While cropping the keys act on the crop, not on a shape.
      setSelectedId(undefined);
    }
    commitText();
    setDraft(undefined);
    setTool(next);
  };
  /** Sets the crop a drag made, and goes back to the tool used before cropping. */
  const finishCrop = (rect: Rect) => {
    apply(model.setCrop(shot(), rect));
    chooseTool(toolBeforeCrop);
  };
  // One undo step per key press (a held key's repeats amend it), then selection, field and message.
  const applyOutcome = (outcome: KeyOutcome, repeat = false) => {
    const result = recordKeyEdit(history(), outcome, repeat, lastKeyEdit);
    lastKeyEdit = result.last;
    setHistory(result.history);
    setSelectedId(outcome.selectedId);
    if (outcome.textAt) setTextAt(outcome.textAt);
    if (outcome.cropDone) chooseTool(toolBeforeCrop);
    if (outcome.message) setAnnouncement(outcome.message);
  };
  const deleteSelected = () => applyOutcome(deleteOutcome({ shot: shot(), tool: tool(), selectedId: selectedId() }));
  /** A key on the canvas, `step` image px per arrow key step; `repeat` when the key is held. */
  const pressKey = (key: CanvasKey, step: number, repeat: boolean) => {
    commitText();
    const state = { shot: shot(), tool: tool(), selectedId: selectedId(), area: area(), step, colour: colour(), id: crypto.randomUUID() };
    applyOutcome(canvasKeyOutcome(state, key), repeat);
  };
  // Escape drops what is half done, then leaves cropping, then the selection; only then the editor.
  const cancel = () => {
    if (draft() || textAt()) {
      setDraft(undefined);
      return dropText();
    }
    if (tool() === 'crop') return chooseTool(toolBeforeCrop);
    if (selected()) return setSelectedId(undefined);
    exits.onCancel();
  };
  /** Runs a toolbar button's or a shortcut's command. */
  const run = (command: EditorCommand) => {
    if (command.type === 'tool') return chooseTool(command.tool);
    if (command.type === 'delete') return deleteSelected();
    if (command.type === 'cancel') return cancel();
    if (command.type === 'save') {
      commitText();
      return exits.onSave(shot());
    }
    setDraft(undefined);
    const undoing = command.type === 'undo';
    if (!(undoing ? model.canUndo : model.canRedo)(history())) return;
    setHistory(undoing ? model.undo : model.redo);
    setAnnouncement(undoing ? STRINGS.editorUndone : STRINGS.editorRedone);
  };

  return {
    history, shot, apply, area, tool, chooseTool, colour, setColour, selectedId, setSelectedId, selected,
    draft, setDraft, textAt, setTextAt, textValue, setTextValue, commitText, dropText,
    announcement, finishCrop, pressKey, run,
  };
}

/** The state `createEditorState` returns. */
export type EditorState = ReturnType<typeof createEditorState>;
