import { createEffect, createMemo, createSignal, onCleanup, onMount, Show } from 'solid-js';
import * as model from '@/lib/screenshot/annotations';
import type { AnnotatedShot, Point } from '@/lib/screenshot/annotations';
import { type DragTool, draftAnnotation, draftCrop, extendDraft, finishDraft, startDraft } from '@/lib/screenshot/draft';
import { createEditorState } from '@/lib/screenshot/editor-state';
import { loadShotImage } from '@/lib/screenshot/flatten';
import { fitScale, toDisplayPoint, toImagePoint } from '@/lib/screenshot/geometry';
import { annotationAt, annotationBounds } from '@/lib/screenshot/hit-test';
import { canvasKeyFor, stepFor } from '@/lib/screenshot/keyboard';
import { renderEditor } from '@/lib/screenshot/paint-editor';
import * as tools from '@/lib/screenshot/tools';
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

/** The full-window screenshot editor: draw, highlight, redact and crop, with undo and redo; by pointer or keys alone. */
export default function ScreenshotEditor(props: Props) {
  const editor = createEditorState(props.shot, { onSave: (next) => props.onSave(next), onCancel: () => props.onCancel() });
  const { shot, tool, draft, area } = editor;
  const [image, setImage] = createSignal<ImageBitmap>();
  const [failed, setFailed] = createSignal(false);
  const [box, setBox] = createSignal({ width: 0, height: 0 });
  const modifier = tools.modifierName(navigator.platform);
  let root!: HTMLElement;
  let stage!: HTMLDivElement;
  let canvas!: HTMLCanvasElement;

  const scale = createMemo(() => fitScale(area(), box(), MAX_SCALE));
  const toImage = (event: MouseEvent) => {
    const rect = canvas.getBoundingClientRect();
    return toImagePoint({ x: event.clientX - rect.left, y: event.clientY - rect.top }, scale(), area());
  };
  const selectAt = (at: Point) => editor.setSelectedId(annotationAt(shot().annotations, at, HIT_PX / scale())?.id);

  const onPointerDown = (event: PointerEvent) => {
    if (event.button !== 0 || !image()) return;
    editor.commitText();
    const at = toImage(event);
    if (tool() === 'text') return editor.setTextAt(at);
    // Focused by hand (the press's own focus change is prevented), so the keys can carry on from a click.
    canvas.focus({ preventScroll: true });
    if (tool() === 'select') return selectAt(at);
    canvas.setPointerCapture(event.pointerId);
    const width = tools.strokeWidthFor(shot().width);
    editor.setDraft(startDraft(tool() as DragTool, at, { colour: editor.colour(), width }));
  };
  const onPointerMove = (event: PointerEvent) => {
    const current = draft();
    if (current) editor.setDraft(extendDraft(current, toImage(event), 1 / scale()));
  };
  const onPointerUp = (event: PointerEvent) => {
    const current = draft();
    if (!current) return;
    editor.setDraft(undefined);
    const result = finishDraft(current, crypto.randomUUID(), shot(), CLICK_PX / scale());
    if (!result) return selectAt(toImage(event));
    if (result.type === 'crop') return editor.finishCrop(result.rect);
    editor.apply(model.addAnnotation(shot(), result.annotation));
    editor.setSelectedId(undefined);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const key = canvasKeyFor(event);
    if (!key || !image()) return;
    event.preventDefault();
    editor.pressKey(key, stepFor(scale()), event.repeat);
  };

  // Repaints on any change (history, draft, selection, size): one drawImage plus a few paths.
  createEffect(() => {
    const bitmap = image();
    if (!bitmap || scale() <= 0) return;
    const current = draft();
    const preview = current && draftAnnotation(current, 'draft', shot());
    const chosen = editor.selected();
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
    const stopShortcuts = tools.listenForShortcuts(document, editor.run);
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
          <button type="button" class="primary" title={STRINGS.editorWithKeys(STRINGS.editorSave, `${modifier}+Enter`)} onClick={() => editor.run({ type: 'save' })}>
            {STRINGS.editorSave}
          </button>
        </div>
      </header>
      <EditorToolbar
        tool={tool()}
        colour={editor.colour()}
        onColour={editor.setColour}
        canUndo={model.canUndo(editor.history())}
        canRedo={model.canRedo(editor.history())}
        canDelete={editor.selected() !== undefined}
        cropped={shot().crop !== undefined}
        onRemoveCrop={() => editor.apply(model.clearCrop(shot()))}
        onCommand={editor.run}
        modifier={modifier}
      />
      <div ref={stage} class="editor-stage">
        <Show when={failed()}>
          <p class="error" role="alert">{STRINGS.editorLoadFailed}</p>
        </Show>
        <div class="editor-canvas-wrap" data-tool={tool()}>
          {/* An application: screen readers pass its keys through; they are described below it. */}
          <canvas
            ref={canvas}
            tabindex="0"
            role="application"
            aria-label={STRINGS.editorCanvas(props.index + 1)}
            aria-describedby="loupe-editor-keys"
            onKeyDown={onKeyDown}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={() => editor.setDraft(undefined)}
            // No focus change or text selection on press: a text field just placed keeps focus.
            onMouseDown={(event) => event.preventDefault()}
          />
          <Show when={editor.textAt()}>
            {(at) => (
              <EditorTextField
                at={toDisplayPoint(at(), scale(), area())}
                fontPx={tools.textSizeFor(shot().width) * scale()}
                colour={editor.colour()}
                value={editor.textValue()}
                onInput={editor.setTextValue}
                // Closed by Enter or Escape, the field hands focus back to the canvas.
                onCommit={(byKey) => {
                  editor.commitText(byKey);
                  if (byKey) canvas.focus();
                }}
                onCancel={() => {
                  editor.dropText();
                  canvas.focus();
                }}
              />
            )}
          </Show>
        </div>
      </div>
      <div class="editor-hint">
        <p class="hint" aria-live="polite">{STRINGS.editorToolHint[tool()]}</p>
        <p class="hint" id="loupe-editor-keys">{tool() === 'crop' ? STRINGS.editorCropKeys : STRINGS.editorCanvasKeys}</p>
        <p class="editor-visually-hidden" role="status">{editor.announcement()}</p>
      </div>
    </section>
  );
}
