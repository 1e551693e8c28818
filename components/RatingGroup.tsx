import { For } from 'solid-js';
import { RATINGS } from '@/lib/api/schemas';
import { STRINGS } from '@/lib/strings';

export type Props = {
  value: number | undefined;
  onChange: (value: number) => void;
  disabled?: boolean;
};

const FACES = ['\u{1F620}', '\u{1F641}', '\u{1F642}', '\u{1F60D}'];

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
              <span class="rating-face" aria-hidden="true">
                {FACES[index()]}
              </span>
              <span class="rating-label">{rating.label}</span>
            </label>
          )}
        </For>
      </div>
    </fieldset>
  );
}
