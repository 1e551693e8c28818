/**
 * The panel's form state: the feedback type, the answers, and the issues that block Send
 * once the user has pressed it. The rules themselves are in lib/feedback/form-rules.ts.
 */
import { createMemo, createSignal } from 'solid-js';
import type { FeedbackType, FormField } from '../feedback/form-fields';
import { checkAnswers, hasSomethingToSend, isRequired, reportAnswers, sendHint, type Answers } from '../feedback/form-rules';
import type { FormSettings } from '../settings/form';

/** The answers the user types (the screenshot count comes from the screenshots state). */
export type TypedAnswers = Omit<Answers, 'screenshots'>;

const EMPTY: TypedAnswers = { title: '', comment: '', category: '', name: '', email: '', shareEmail: false };

/** The form of one panel, for the configuration `settings` and the screenshots counted by `screenshots`. */
export function createPanelForm(settings: () => FormSettings, screenshots: () => number) {
  const [type, setType] = createSignal<FeedbackType>('general');
  const [answers, setAnswers] = createSignal<TypedAnswers>({ ...EMPTY });
  // Issues show only after a Send, then follow the answers as they are fixed.
  const [attempted, setAttempted] = createSignal(false);
  const typeForm = () => settings().types[type()];
  const all = (): Answers => ({ ...answers(), screenshots: screenshots() });
  const issues = createMemo(() => (attempted() ? checkAnswers(typeForm(), all()) : []));

  return {
    type,
    typeForm,
    answers,
    /** Switches type; the answers stay (switching back finds them), issues start over. */
    setType(next: FeedbackType) {
      setType(next);
      setAttempted(false);
    },
    /** Sets one answer. */
    set<K extends keyof TypedAnswers>(key: K, value: TypedAnswers[K]) {
      setAnswers({ ...answers(), [key]: value });
    },
    /** Prefills the reporter's name and email from the settings (an email given once is shared). */
    prefill(name: string, email: string) {
      setAnswers({ ...answers(), name, email, shareEmail: email !== '' });
    },
    required: (field: FormField) => isRequired(typeForm(), field),
    issues,
    /** The message of a field that blocks Send, if any. */
    issueOf: (field: FormField) => issues().find((issue) => issue.field === field)?.message,
    /** Whether Send is offered: there is a rating or a comment. */
    ready: () => hasSomethingToSend(typeForm(), all()),
    hint: () => sendHint(typeForm()),
    /** Called on Send: from now on issues show; returns them (none: go ahead). */
    check() {
      setAttempted(true);
      return issues();
    },
    /** The report's rating, comment, email and `form`, as the type asks. */
    report: () => reportAnswers(type(), typeForm(), all()),
    /** After a report went: a blank form of the same type, keeping who the reporter is. */
    clear() {
      setAnswers({ ...answers(), rating: undefined, title: '', comment: '', category: '', priority: undefined });
      setAttempted(false);
    },
  };
}

/** The form state of one panel. */
export type PanelForm = ReturnType<typeof createPanelForm>;
