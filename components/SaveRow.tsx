import { STRINGS } from '@/lib/strings';

/** A settings form's Save button, and the status that says "Saved." once it is. */
export default function SaveRow(props: { saved: boolean }) {
  return (
    <div class="actions">
      <button type="submit" class="primary">
        {STRINGS.save}
      </button>
      <span class="saved" role="status">
        {props.saved ? STRINGS.saved : ''}
      </span>
    </div>
  );
}
