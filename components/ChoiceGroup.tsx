import { For } from 'solid-js';
import RequiredMark from './RequiredMark';

export type Props<T extends string> = {
  /** Unique in the page: names the radios and ids the legend. */
  name: string;
  legend: string;
  options: readonly { value: T; label: string }[];
  value: T | undefined;
  onChange: (value: T) => void;
  disabled?: boolean;
  required?: boolean;
  /** The id of the message saying what is wrong, while something is. */
  errorId?: string;
};

/** A row of choices as a native radio group: Tab reaches it, arrow keys move and pick, Space picks. */
export default function ChoiceGroup<T extends string>(props: Props<T>) {
  return (
    <fieldset
      class="choices"
      role="radiogroup"
      aria-labelledby={`${props.name}-legend`}
      aria-required={props.required ? 'true' : undefined}
      aria-invalid={props.errorId ? 'true' : undefined}
      aria-describedby={props.errorId}
      disabled={props.disabled}
    >
      <legend id={`${props.name}-legend`}>
        {props.legend}
        <RequiredMark when={props.required} />
      </legend>
      <div class="choice-options">
        <For each={props.options}>
          {(option) => (
            <label class="choice">
              <input
                type="radio"
                name={props.name}
                value={option.value}
                checked={props.value === option.value}
                onChange={() => props.onChange(option.value)}
              />
              <span>{option.label}</span>
            </label>
          )}
        </For>
      </div>
    </fieldset>
  );
}
