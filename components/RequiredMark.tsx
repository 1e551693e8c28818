import { Show } from 'solid-js';

/** The visible mark of a mandatory field; screen readers hear `aria-required` instead. */
export default function RequiredMark(props: { when: boolean | undefined }) {
  return (
    <Show when={props.when}>
      <span class="required" aria-hidden="true">
        {' *'}
      </span>
    </Show>
  );
}
