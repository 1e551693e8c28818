import { For, Show } from 'solid-js';
import { SCREENSHOTS_PER_FEEDBACK } from '@/lib/api/schemas';
import { STRINGS } from '@/lib/strings';

export type Props = {
  /** PNG data URLs, in the order they were taken. */
  screenshots: string[];
  capturing: boolean;
  disabled?: boolean;
  onTake: () => void;
  onRemove: (index: number) => void;
};

/** Thumbnails of the screenshots taken so far, each removable, and the button to take one. */
export default function ScreenshotList(props: Props) {
  const full = () => props.screenshots.length >= SCREENSHOTS_PER_FEEDBACK;
  return (
    <div class="screenshots">
      <Show when={props.screenshots.length > 0}>
        <ul class="thumbnails">
          <For each={props.screenshots}>
            {(dataUrl, index) => (
              <li class="thumbnail">
                <img src={dataUrl} alt={STRINGS.screenshotAlt(index() + 1)} />
                <button
                  type="button"
                  class="remove"
                  aria-label={STRINGS.removeScreenshot(index() + 1)}
                  title={STRINGS.removeScreenshot(index() + 1)}
                  disabled={props.disabled}
                  onClick={() => props.onRemove(index())}
                >
                  {'\u00D7'}
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <button
        type="button"
        class="secondary"
        disabled={props.disabled || props.capturing || full()}
        onClick={() => props.onTake()}
      >
        {STRINGS.takeScreenshot}
      </button>
      <span class="hint" aria-live="polite">
        {props.capturing ? STRINGS.capturing : STRINGS.screenshotLimit(SCREENSHOTS_PER_FEEDBACK)}
      </span>
    </div>
  );
}
