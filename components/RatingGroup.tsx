import { For } from 'solid-js';
import { RATINGS } from '@/lib/api/schemas';
import { STRINGS } from '@/lib/strings';

export type Props = {
  value: number | undefined;
  onChange: (value: number) => void;
  disabled?: boolean;
};

// Drawn rather than emoji: emoji fonts differ per OS and are missing on some.
const MOUTHS = ['M7.5 17 Q12 12.5 16.5 17', 'M8 16 Q12 14.5 16 16', 'M8 14.5 Q12 17 16 14.5', 'M7 13.5 Q12 19.5 17 13.5'];

/** The 4-step rating as a native radio group (arrow keys move, Space picks). */
export default function RatingGroup(props: Props) {
  return (
    <fieldset class="rating" disabled={props.disabled}>
      <legend>{STRINGS.ratingLegend}</legend>
      <div class="rating-options">
        <For each={RATINGS}>
          {(rating, index) => (
            <label class="rating-option">
              <input
                type="radio"
                name="loupe-rating"
                value={rating.value}
                checked={props.value === rating.value}
                onChange={() => props.onChange(rating.value)}
              />
              <svg class="rating-face" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
                <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" stroke-width="1.6" />
                <circle cx="8.6" cy="9.6" r="1.3" fill="currentColor" />
                <circle cx="15.4" cy="9.6" r="1.3" fill="currentColor" />
                <path d={MOUTHS[index()]} fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
              </svg>
              <span class="rating-label">{rating.label}</span>
            </label>
          )}
        </For>
      </div>
    </fieldset>
  );
}
