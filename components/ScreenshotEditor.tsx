import { createEffect, createMemo, createSignal, onCleanup, onMount, Show } from 'solid-js';
import * as model from '@/lib/screenshot/annotations';
import type { AnnotatedShot, Point } from '@/lib/screenshot/annotations';
import { type Draft, type DragTool, draftAnnotation, draftCrop, extendDraft, finishDraft, startDraft } from '@/lib/screenshot/draft';
import { loadShotImage } from '@/lib/screenshot/flatten';
import { fitScale, outputRect, toDisplayPoint, toImagePoint } from '@/lib/screenshot/geometry';
import { annotationAt, annotationBounds } from '@/lib/screenshot/hit-test';
import { renderEditor } from '@/lib/screenshot/paint-editor';
import * as tools from '@/lib/screenshot/tools';
import type { EditorCommand, Tool } from '@/lib/screenshot/tools';
import { STRINGS } from '@/lib/strings';
import EditorTextField from './EditorTextField';
import EditorToolbar from './EditorToolbar';
import './screenshot-editor.css';

export type Props = {
  /** The shot to edit; its annotations are kept as data, so it can be edited again later. */
  shot: AnnotatedShot;
  /** Its position in the report (0-based), for the accessible names. */
  index: number;
  /** The edited shot: same image, new annotations and crop. */
  onSave: (next: AnnotatedShot) => void;
  onCancel: () => void;
};

// Up to 2 display px per image px: a small crop is shown bigger, easier to mark.
const MAX_SCALE = 2;
// In display px: a press that moves less is a click (it selects), and how near a click must land.
const CLICK_PX = 4;
const HIT_PX = 6;

/** The full-window screenshot editor: draw, highlight, redact and crop, with undo and redo. */
export default function ScreenshotEditor(props: Props) {
  const [history, setHistory] = createSignal(model.startHistory(props.shot));
  const [tool, setTool] = createSignal<Tool>(tools.DEFAULT_TOOL);
  const [colour, setColour] = createSignal(tools.DEFAULT_COLOUR);
  const [selectedId, setSelectedId] = createSignal<string>();
  const [draft, setDraft] = createSignal<Draft>();
  const [textAt, setTextAt] = createSignal<Point>();
  const [textValue, setTextValue] = createSignal('');
  const [image, setImage] = createSignal<ImageBitmap>();
  const [failed, setFailed] = createSignal(false);
  const [box, setBox] = createSignal({ width: 0, height: 0 });
  const modifier = tools.modifierName(navigator.platform);
  let root!: HTMLElement;
  let stage!: HTMLDivElement;
  let canvas!: HTMLCanvasElement;
  let toolBeforeCrop: Tool = tools.DEFAULT_TOOL;

  const shot = () => history().present;
  const apply = (next: AnnotatedShot) => setHistory((current) => model.record(current, next));
  const selected = () => shot().annotations.find((annotation) => annotation.id === selectedId());
  // While cropping the whole image shows, so the crop can be redrawn anywhere; else only the crop.
  const area = createMemo(() => (tool() === 'crop' ? { x: 0, y: 0, width: shot().width, height: shot().height } : outputRect(shot())));
  const scale = createMemo(() => fitScale(area(), box(), MAX_SCALE));
  const toImage = (event: MouseEvent) => {
    const rect = canvas.getBoundingClientRect();
    return toImagePoint({ x: event.clientX - rect.left, y: event.clientY - rect.top }, scale(), area());
  };

  const chooseTool = (next: Tool) => {
    if (next === 'crop' && tool() !== 'crop') toolBeforeCrop = tool();
    commitText();
    setDraft(undefined);
    setTool(next);
  };
  const dropText = () => {
    setTextAt(undefined);
    setTextValue('');
  };
  const commitText = () => {
    const at = textAt();
    const text = textValue().trim();
    dropText();
    if (!at || !text) return;
    const size = tools.textSizeFor(shot().width);
    apply(model.addAnnotation(shot(), { id: crypto.randomUUID(), kind: 'text', colour: colour(), at, text, size }));
  };
  const deleteSelected = () => {
    const id = selectedId();
    if (id) apply(model.deleteAnnotation(shot(), id));
    setSelectedId(undefined);
  };
  const run = (command: EditorCommand) => {
    if (command.type === 'tool') return chooseTool(command.tool);
    if (command.type === 'delete') return deleteSelected();
    if (command.type === 'save') {
      commitText();
      return props.onSave(shot());
    }
    if (command.type === 'cancel') {
      // Escape first drops what is half done; only then does it leave.
      if (!draft() && !textAt()) return props.onCancel();
      setDraft(undefined);
      return dropText();
    }
    setDraft(undefined);
    setHistory(command.type === 'undo' ? model.undo : model.redo);
  };

  const onPointerDown = (event: PointerEvent) => {
    if (event.button !== 0 || !image()) return;
    commitText();
    const at = toImage(event);
    if (tool() === 'select') return setSelectedId(annotationAt(shot().annotations, at, HIT_PX / scale())?.id);
    if (tool() === 'text') return setTextAt(at);
    canvas.setPointerCapture(event.pointerId);
    const width = tools.strokeWidthFor(shot().width);
    setDraft(startDraft(tool() as DragTool, at, { colour: colour(), width }));
  };
  const onPointerMove = (event: PointerEvent) => {
    const current = draft();
    if (current) setDraft(extendDraft(current, toImage(event), 1 / scale()));
  };
  const onPointerUp = (event: PointerEvent) => {
    const current = draft();
    if (!current) return;
    setDraft(undefined);
    const result = finishDraft(current, crypto.randomUUID(), shot(), CLICK_PX / scale());
    if (!result) return setSelectedId(annotationAt(shot().annotations, toImage(event), HIT_PX / scale())?.id);
    if (result.type === 'crop') {
      apply(model.setCrop(shot(), result.rect));
      return chooseTool(toolBeforeCrop);
    }
    apply(model.addAnnotation(shot(), result.annotation));
    setSelectedId(undefined);
  };

  // Repaints on any change (history, draft, selection, size): one drawImage plus a few paths.
  createEffect(() => {
    const bitmap = image();
    if (!bitmap || scale() <= 0) return;
    const current = draft();
    const preview = current && draftAnnotation(current, 'draft', shot());
    const chosen = selected();
    renderEditor(canvas, bitmap, preview ? model.addAnnotation(shot(), preview) : shot(), {
      area: area(), scale: scale(), pixelRatio: window.devicePixelRatio || 1,
    }, {
      crop: tool() === 'crop' ? (current && draftCrop(current, shot())) ?? shot().crop : undefined,
      selected: chosen && annotationBounds(chosen),
      accent: getComputedStyle(root).getPropertyValue('--accent').trim() || '#4f46e5',
    });
  });

  onMount(() => {
    let disposed = false;
    loadShotImage(props.shot.image).then(
      (bitmap) => (disposed ? bitmap.close() : setImage(bitmap)),
      () => setFailed(true),
    );
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setBox({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(stage);
    const stopShortcuts = tools.listenForShortcuts(document, run);
    root.querySelector<HTMLElement>('[aria-pressed="true"]')?.focus();
    onCleanup(() => {
      disposed = true;
      image()?.close();
      observer.disconnect();
      stopShortcuts();
    });
  });

  return (
    <section ref={root} class="loupe-editor" role="dialog" aria-modal="true" aria-label={STRINGS.editorTitle(props.index + 1)}>
      <header class="editor-header">
        <h2>{STRINGS.editorTitle(props.index + 1)}</h2>
        <div class="editor-buttons">
          <button type="button" title={STRINGS.editorWithKeys(STRINGS.editorCancel, 'Esc')} onClick={() => props.onCancel()}>
            {STRINGS.editorCancel}
          </button>
          <button type="button" class="primary" title={STRINGS.editorWithKeys(STRINGS.editorSave, `${modifier}+Enter`)} onClick={() => run({ type: 'save' })}>
            {STRINGS.editorSave}
          </button>
        </div>
      </header>
      <EditorToolbar
        tool={tool()}
        onTool={chooseTool}
        colour={colour()}
        onColour={setColour}
        canUndo={model.canUndo(history())}
        canRedo={model.canRedo(history())}
        onUndo={() => run({ type: 'undo' })}
        onRedo={() => run({ type: 'redo' })}
        canDelete={selected() !== undefined}
        onDelete={deleteSelected}
        cropped={shot().crop !== undefined}
        onRemoveCrop={() => apply(model.clearCrop(shot()))}
        modifier={modifier}
      />
      <div ref={stage} class="editor-stage">
        <Show when={failed()}>
          <p class="error" role="alert">{STRINGS.editorLoadFailed}</p>
        </Show>
        <div class="editor-canvas-wrap" data-tool={tool()}>
          <canvas
            ref={canvas}
            role="img"
            aria-label={STRINGS.editorCanvas(props.index + 1)}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={() => setDraft(undefined)}
            // No focus change or text selection on press: a text field just placed keeps focus.
            onMouseDown={(event) => event.preventDefault()}
          />
          <Show when={textAt()}>
            {(at) => (
              <EditorTextField
                at={toDisplayPoint(at(), scale(), area())}
                fontPx={tools.textSizeFor(shot().width) * scale()}
                colour={colour()}
                value={textValue()}
                onInput={setTextValue}
                onCommit={commitText}
                onCancel={dropText}
              />
            )}
          </Show>
        </div>
      </div>
      <p class="hint editor-hint" aria-live="polite">
        {STRINGS.editorToolHint[tool()]}
      </p>
    </section>
  );
}
