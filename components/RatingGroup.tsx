import { For, type JSX } from 'solid-js';
import { RATINGS } from '@/lib/api/schemas';
import { THUMB_RATINGS, type RatingStyle } from '@/lib/feedback/form-fields';
import { STRINGS } from '@/lib/strings';
import RequiredMark from './RequiredMark';

export type Props = {
  value: number | undefined;
  onChange: (value: number) => void;
  /** Faces (Terrible..Amazing), 1 to 4 stars, or thumbs down (1) and up (4). */
  style?: RatingStyle;
  disabled?: boolean;
  required?: boolean;
  /** The id of the message saying what is wrong, while something is. */
  errorId?: string;
};

type Option = { value: number; label: string; icon: (selected: number | undefined) => JSX.Element; showLabel: boolean };

// Drawn rather than emoji: emoji fonts differ per OS and are missing on some.
const MOUTHS = ['M7.5 17 Q12 12.5 16.5 17', 'M8 16 Q12 14.5 16 16', 'M8 14.5 Q12 17 16 14.5', 'M7 13.5 Q12 19.5 17 13.5'];
const STAR = '12,2.5 14.9,8.6 21.5,9.3 16.5,13.8 18,20.3 12,16.9 6,20.3 7.5,13.8 2.5,9.3 9.1,8.6';
const THUMB = 'M7 11 L11 3.5 C12.6 3.5 13.6 4.6 13.2 6.4 L12.5 9.5 H18.6 C19.9 9.5 20.8 10.7 20.5 12 L19.1 18.4 C18.9 19.4 18 20 17 20 H7 Z M3 11 H7 V20 H3 Z';

const svg = (children: JSX.Element, transform?: string) => (
  <svg class="rating-face" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
    <g transform={transform}>{children}</g>
  </svg>
);

const OPTIONS: Record<RatingStyle, Option[]> = {
  emoji: RATINGS.map((rating, index) => ({
    value: rating.value,
    label: rating.label,
    showLabel: true,
    icon: () =>
      svg(
        <>
          <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" stroke-width="1.6" />
          <circle cx="8.6" cy="9.6" r="1.3" fill="currentColor" />
          <circle cx="15.4" cy="9.6" r="1.3" fill="currentColor" />
          <path d={MOUTHS[index]} fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
        </>,
      ),
  })),
  // Every star up to the chosen one is filled, as on any star rating.
  stars: RATINGS.map((rating) => ({
    value: rating.value,
    label: STRINGS.starsLabel(rating.value, RATINGS.length),
    showLabel: false,
    icon: (selected) =>
      svg(
        <polygon
          points={STAR}
          fill={selected !== undefined && selected >= rating.value ? 'currentColor' : 'none'}
          stroke="currentColor"
          stroke-width="1.6"
          stroke-linejoin="round"
        />,
      ),
  })),
  thumbs: [
    { value: THUMB_RATINGS.down, label: STRINGS.thumbsDown, transform: 'rotate(180 12 12)' },
    { value: THUMB_RATINGS.up, label: STRINGS.thumbsUp },
  ].map((thumb) => ({
    value: thumb.value,
    label: thumb.label,
    showLabel: true,
    icon: () => svg(<path d={THUMB} fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round" />, thumb.transform),
  })),
};

/** The 1..4 rating as a native radio group (arrow keys move, Space picks), drawn in the configured style. */
export default function RatingGroup(props: Props) {
  const options = () => OPTIONS[props.style ?? 'emoji'];
  return (
    <fieldset
      class={`rating rating-${props.style ?? 'emoji'}`}
      role="radiogroup"
      aria-labelledby="loupe-rating-legend"
      aria-required={props.required ? 'true' : undefined}
      aria-invalid={props.errorId ? 'true' : undefined}
      aria-describedby={props.errorId}
      disabled={props.disabled}
    >
      <legend id="loupe-rating-legend">
        {STRINGS.ratingLegend}
        <RequiredMark when={props.required} />
      </legend>
      <div class="rating-options" style={{ 'grid-template-columns': `repeat(${options().length}, 1fr)` }}>
        <For each={options()}>
          {(option) => (
            <label class="rating-option">
              <input
                type="radio"
                name="loupe-rating"
                value={option.value}
                checked={props.value === option.value}
                onChange={() => props.onChange(option.value)}
              />
              {option.icon(props.value)}
              <span class={option.showLabel ? 'rating-label' : 'visually-hidden'}>{option.label}</span>
            </label>
          )}
        </For>
      </div>
    </fieldset>
  );
}
