import { For, Show } from 'solid-js';
import type { PageCaptureMessage } from '@/lib/messaging/protocol';
import { STRINGS } from '@/lib/strings';
import AttachCheck from './AttachCheck';

export type Props = {
  /** What the page supplied when the panel opened: exactly what goes with the report. */
  captured: PageCaptureMessage;
  attach: boolean;
  disabled: boolean;
  onChange: (attach: boolean) => void;
};

/** How many things the page supplied: its data's keys and the context entries listed. */
export function suppliedCount(captured: PageCaptureMessage): number {
  const context = captured.context;
  const entries = context ? context.errors.length + context.requests.length + context.navigations.length : 0;
  return Object.keys(captured.pageData ?? {}).length + entries;
}

const describe = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * What the page itself supplied (`window.loupe.metadata()`, `loupe:set-data`, and the
 * errors, requests and page changes its world reported), in a disclosure the user can open
 * before sending, and the box to leave it all out: nothing goes that the user could not see.
 */
export default function PageSuppliedNote(props: Props) {
  const context = () => props.captured.context;
  return (
    <div class="page-supplied">
      <details>
        <summary>{STRINGS.pageDataSummary(suppliedCount(props.captured))}</summary>
        <p class="hint">{STRINGS.pageDataHint}</p>
        <Show when={props.captured.pageData && Object.keys(props.captured.pageData).length > 0}>
          <h3>{STRINGS.pageDataTitle}</h3>
          <dl>
            <For each={Object.entries(props.captured.pageData ?? {})}>
              {([key, value]) => (
                <>
                  <dt>{key}</dt>
                  <dd>{describe(value)}</dd>
                </>
              )}
            </For>
          </dl>
        </Show>
        <Show when={context()}>
          {(current) => (
            <>
              <h3>{STRINGS.pageContextTitle}</h3>
              <p>{STRINGS.pageContextCounts(current().errors.length, current().requests.length, current().navigations.length)}</p>
              <ul>
                <For each={current().errors}>{(error) => <li>{`${error.source}: ${error.message}`}</li>}</For>
                <For each={current().requests}>{(request) => <li>{`${request.method} ${request.url} ${request.status}`}</li>}</For>
                <For each={current().navigations}>{(step) => <li>{`${step.via}: ${step.url}`}</li>}</For>
              </ul>
            </>
          )}
        </Show>
      </details>
      <AttachCheck label={STRINGS.attachPageContext} checked={props.attach} disabled={props.disabled} onChange={props.onChange} />
    </div>
  );
}
