import { onMount } from 'solid-js';
import type { Point } from '@/lib/screenshot/annotations';
import { STRINGS } from '@/lib/strings';

export type Props = {
  /** Top-left corner of the text, in display px from the canvas's corner. */
  at: Point;
  /** Font size in display px, so the field looks like the text it will paint. */
  fontPx: number;
  colour: string;
  value: string;
  onInput: (value: string) => void;
  /** Enter (`byKey`), or focus leaving the field: the text is added (when not blank). */
  onCommit: (byKey: boolean) => void;
  /** Escape: nothing is added. */
  onCancel: () => void;
};

/** The field placed over the screenshot where a text annotation is being typed. */
export default function EditorTextField(props: Props) {
  let input!: HTMLInputElement;
  onMount(() => input.focus());
  return (
    <input
      ref={input}
      type="text"
      class="editor-text"
      style={{ left: `${props.at.x}px`, top: `${props.at.y}px`, 'font-size': `${props.fontPx}px`, color: props.colour }}
      aria-label={STRINGS.editorTextLabel}
      placeholder={STRINGS.editorTextPlaceholder}
      value={props.value}
      onInput={(event) => props.onInput(event.currentTarget.value)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') props.onCommit(true);
        else if (event.key === 'Escape') props.onCancel();
        else return;
        // The editor's own shortcuts (Escape leaves it) must not see these keys.
        event.preventDefault();
        event.stopPropagation();
      }}
      onBlur={() => props.onCommit(false)}
    />
  );
}
