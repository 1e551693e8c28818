/** What this box controls, and how it reports a change. */
export type Props = { label: string; checked: boolean; disabled: boolean; onChange: (checked: boolean) => void };

/** A "send this with the report" checkbox (the replay, what the page supplied). */
export default function AttachCheck(props: Props) {
  return (
    <label class="check">
      <input type="checkbox" checked={props.checked} disabled={props.disabled} onChange={(event) => props.onChange(event.currentTarget.checked)} />
      <span>{props.label}</span>
    </label>
  );
}
