import { createSignal, For, onCleanup, Show } from 'solid-js';
import { SCREENSHOTS_PER_FEEDBACK } from '@/lib/api/schemas';
import type { CaptureMode } from '@/lib/capture/panel-capture';
import { STRINGS } from '@/lib/strings';

/** The modes the "more" menu offers; the main button takes the visible area. */
type MenuMode = Exclude<CaptureMode, 'visible'>;
const MENU: { mode: MenuMode; label: string }[] = [
  { mode: 'region', label: STRINGS.captureRegion },
  { mode: 'element', label: STRINGS.captureElement },
  { mode: 'full-page', label: STRINGS.captureFullPage },
  { mode: 'file', label: STRINGS.attachImage },
];

export type Props = {
  /** Thumbnails (the annotated image), in upload order. */
  previews: string[];
  /** What a capture running now says (progress), or undefined. */
  busy?: string;
  disabled?: boolean;
  onCapture: (mode: Exclude<CaptureMode, 'file'>) => void;
  onAttach: (file: File) => void;
  onEdit: (index: number) => void;
  onRemove: (index: number) => void;
};

/** Thumbnails of the screenshots (each opens the editor, each removable), the capture button and its menu of modes. */
export default function ScreenshotList(props: Props) {
  const [menuOpen, setMenuOpen] = createSignal(false);
  let fileInput!: HTMLInputElement;
  let menu!: HTMLDivElement;
  const full = () => props.previews.length >= SCREENSHOTS_PER_FEEDBACK;
  const blocked = () => props.disabled || props.busy !== undefined || full();
  const items = () => [...menu.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')];

  const openMenu = () => {
    setMenuOpen(true);
    queueMicrotask(() => items()[0]?.focus());
  };
  const closeMenu = (refocus: boolean) => {
    setMenuOpen(false);
    if (refocus) menu.parentElement?.querySelector<HTMLButtonElement>('[aria-haspopup]')?.focus();
  };
  const choose = (mode: MenuMode) => {
    closeMenu(false);
    if (mode === 'file') fileInput.click();
    else props.onCapture(mode);
  };
  // Arrow keys move through the menu, Escape closes it (and only it, not the panel).
  const onMenuKey = (event: KeyboardEvent) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: list.length - 1 };
    if (event.key === 'Escape' || event.key === 'Tab') {
      if (event.key === 'Escape') event.preventDefault();
      event.stopPropagation();
      closeMenu(event.key === 'Escape');
    } else if (event.key in moves) {
      event.preventDefault();
      list[(moves[event.key]! + list.length) % list.length]?.focus();
    }
  };
  const onOutside = (event: PointerEvent) => {
    if (menuOpen() && !menu.parentElement?.contains(event.target as Node)) closeMenu(false);
  };
  document.addEventListener('pointerdown', onOutside);
  onCleanup(() => document.removeEventListener('pointerdown', onOutside));

  return (
    <div class="screenshots">
      <Show when={props.previews.length > 0}>
        <ul class="thumbnails">
          <For each={props.previews}>
            {(preview, index) => (
              <li class="thumbnail">
                <button
                  type="button"
                  class="edit"
                  aria-label={STRINGS.annotateScreenshot(index() + 1)}
                  title={STRINGS.annotateScreenshot(index() + 1)}
                  disabled={props.disabled || props.busy !== undefined}
                  onClick={() => props.onEdit(index())}
                >
                  <img src={preview} alt={STRINGS.screenshotAlt(index() + 1)} />
                </button>
                <button
                  type="button"
                  class="remove"
                  aria-label={STRINGS.removeScreenshot(index() + 1)}
                  title={STRINGS.removeScreenshot(index() + 1)}
                  disabled={props.disabled || props.busy !== undefined}
                  onClick={() => props.onRemove(index())}
                >
                  {'\u00D7'}
                </button>
              </li>
            )}
          </For>
        </ul>
        <p class="hint">{STRINGS.annotateHint}</p>
      </Show>
      <div class="capture">
        <button type="button" class="secondary" disabled={blocked()} onClick={() => props.onCapture('visible')}>
          {STRINGS.takeScreenshot}
        </button>
        <button
          type="button"
          class="secondary more"
          aria-haspopup="menu"
          aria-expanded={menuOpen()}
          aria-label={STRINGS.captureModes}
          title={STRINGS.captureModes}
          disabled={blocked()}
          onClick={() => (menuOpen() ? closeMenu(false) : openMenu())}
        >
          {'\u25BE'}
        </button>
        <div ref={menu} class="menu" role="menu" aria-label={STRINGS.captureModes} hidden={!menuOpen()} onKeyDown={onMenuKey}>
          <For each={MENU}>
            {(item) => (
              <button type="button" role="menuitem" tabIndex={-1} onClick={() => choose(item.mode)}>
                {item.label}
              </button>
            )}
          </For>
        </div>
        <input
          ref={fileInput}
          type="file"
          accept="image/*"
          hidden
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            event.currentTarget.value = '';
            if (file) props.onAttach(file);
          }}
        />
      </div>
      <span class="hint" aria-live="polite">
        {props.busy ?? STRINGS.screenshotLimit(SCREENSHOTS_PER_FEEDBACK)}
      </span>
    </div>
  );
}
