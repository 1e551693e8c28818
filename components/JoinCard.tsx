import { createSignal, Show } from 'solid-js';
import type { JoinLink } from '@/lib/api/join-link';
import { joinedTo, saveSettings, settingsOf, type Settings } from '@/lib/settings';
import { STRINGS } from '@/lib/strings';

export type Props = {
  /** The invite link the popup's tab shows. */
  link: JoinLink;
  /** The settings as stored now. */
  current: Settings;
  /** Called with the stored value once the user has confirmed. */
  onJoined: (settings: Settings) => void;
};

/** "Join <project> on <server>?": what an invite link sets up, stored only when the user confirms. */
export default function JoinCard(props: Props) {
  const [failed, setFailed] = createSignal(false);
  const [confirmed, setConfirmed] = createSignal(false);
  const project = () => props.link.projectName || props.link.clientId;
  const joined = () => joinedTo(props.current, props.link);

  const confirm = async () => {
    setFailed(false);
    try {
      const result = await saveSettings(settingsOf(props.link));
      if (!result.ok) throw new Error(Object.values(result.issues).join(' '));
      setConfirmed(true);
      props.onJoined(result.value);
    } catch (error) {
      console.warn('Loupe: could not store the invite link\'s settings', error);
      setFailed(true);
    }
  };

  return (
    <section class="join" aria-labelledby="join-title">
      <h2 id="join-title">{STRINGS.joinQuestion(project(), new URL(props.link.serverUrl).host)}</h2>
      <p class="hint">{STRINGS.joinIntro}</p>
      <dl>
        <dt>{STRINGS.serverUrlLabel}</dt>
        <dd>{props.link.serverUrl}</dd>
        <dt>{STRINGS.clientIdLabel}</dt>
        <dd>{props.link.clientId}</dd>
        <dt>{STRINGS.environmentLabel}</dt>
        <dd>{props.link.environment || STRINGS.joinDefaultEnvironment}</dd>
      </dl>
      <Show
        when={joined()}
        fallback={
          <button type="button" class="primary" onClick={confirm}>
            {STRINGS.joinConfirm}
          </button>
        }
      >
        <p class="saved" role="status">
          {confirmed() ? STRINGS.joinDone(project()) : STRINGS.joinAlready(project())}
        </p>
      </Show>
      <Show when={failed()}>
        <p class="error" role="alert">
          {STRINGS.joinFailed}
        </p>
      </Show>
    </section>
  );
}
