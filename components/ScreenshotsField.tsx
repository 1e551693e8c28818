import { Show, type JSX } from 'solid-js';
import { STRINGS } from '@/lib/strings';
import RequiredMark from './RequiredMark';

export type Props = {
  required: boolean;
  /** Why Send is blocked here (no screenshot yet), while it is. */
  issue?: string;
  errorId: string;
  /** The screenshot list and its capture buttons. */
  children: JSX.Element;
};

/** The screenshots as one form field: named, marked when mandatory, and explained while it blocks Send. */
export default function ScreenshotsField(props: Props) {
  return (
    <div
      class="shots-field"
      role="group"
      aria-label={STRINGS.formField.screenshots}
      aria-invalid={props.issue ? 'true' : undefined}
      aria-describedby={props.issue ? props.errorId : undefined}
    >
      {/* Only a mandatory field needs a visible name; screen readers have the group's. */}
      <Show when={props.required}>
        <p class="group-label" aria-hidden="true">
          {STRINGS.formField.screenshots}
          <RequiredMark when />
        </p>
      </Show>
      {props.children}
      <Show when={props.issue}>
        {(message) => (
          <p id={props.errorId} class="field-error">
            {message()}
          </p>
        )}
      </Show>
    </div>
  );
}
