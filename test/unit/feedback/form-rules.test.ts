import { describe, expect, it } from 'vitest';
import type { FieldMode, FormField } from '@/lib/feedback/form-fields';
import { checkAnswers, hasSomethingToSend, isRequired, reportAnswers, sendHint, shownFields, type Answers } from '@/lib/feedback/form-rules';
import { DEFAULT_FORM_SETTINGS, type TypeForm } from '@/lib/settings/form';
import { STRINGS } from '@/lib/strings';

const blank: Answers = { title: '', comment: '', category: '', name: '', email: '', shareEmail: false, screenshots: 0 };

/** A type showing exactly these fields, in these modes. */
function typeForm(modes: Partial<Record<FormField, FieldMode>>, categories: string[] = []): TypeForm {
  const fields = { ...DEFAULT_FORM_SETTINGS.types.general.fields };
  for (const field of Object.keys(fields) as FormField[]) fields[field] = modes[field] ?? 'hidden';
  return { fields, ratingStyle: 'emoji', categories };
}

const bug = typeForm({ title: 'required', rating: 'hidden', comment: 'optional', priority: 'optional', email: 'optional' });

describe('the form of one type', () => {
  it('shows its fields in panel order: title, rating, comment, category, priority, name, email, screenshots', () => {
    const all = typeForm({ screenshots: 'optional', email: 'optional', name: 'optional', priority: 'optional', category: 'optional', comment: 'optional', rating: 'optional', title: 'optional' });
    expect(shownFields(all)).toEqual(['title', 'rating', 'comment', 'category', 'priority', 'name', 'email', 'screenshots']);
    expect(shownFields(bug)).toEqual(['title', 'comment', 'priority', 'email']);
  });

  it('requires what is mandatory, and the comment when there is no rating (the server needs one of them)', () => {
    expect(isRequired(bug, 'title')).toBe(true);
    expect(isRequired(bug, 'comment')).toBe(true);
    expect(isRequired(bug, 'priority')).toBe(false);
    expect(isRequired(bug, 'rating')).toBe(false); // hidden
    expect(isRequired(typeForm({ rating: 'optional' }), 'rating')).toBe(true);
    const general = DEFAULT_FORM_SETTINGS.types.general;
    expect(shownFields(general).filter((field) => isRequired(general, field))).toEqual([]);
  });

  it('offers Send once there is a rating or a comment among the fields shown, and says what it waits for', () => {
    const general = DEFAULT_FORM_SETTINGS.types.general;
    expect(hasSomethingToSend(general, blank)).toBe(false);
    expect(hasSomethingToSend(general, { ...blank, comment: '   ' })).toBe(false);
    expect(hasSomethingToSend(general, { ...blank, rating: 3 })).toBe(true);
    // A rating kept from another type does not count where the rating is hidden.
    expect(hasSomethingToSend(bug, { ...blank, rating: 3 })).toBe(false);
    expect(hasSomethingToSend(bug, { ...blank, comment: 'Broken' })).toBe(true);
    expect(sendHint(general)).toBe(STRINGS.sendHint);
    expect(sendHint(bug)).toBe(STRINGS.sendHintComment);
    expect(sendHint(typeForm({ rating: 'required', comment: 'optional' }))).toBe(STRINGS.sendHintRating);
  });

  it('blocks Send on each mandatory field left empty (blank text counts as empty), in panel order', () => {
    const strict = typeForm({
      title: 'required',
      rating: 'required',
      comment: 'required',
      category: 'required',
      priority: 'required',
      name: 'required',
      email: 'required',
      screenshots: 'required',
    }, ['UI']);
    expect(checkAnswers(strict, { ...blank, title: '  ', name: '\n' })).toEqual(
      (['title', 'rating', 'comment', 'category', 'priority', 'name', 'email', 'screenshots'] as const).map((field) => ({
        field,
        message: STRINGS.formRequired[field],
      })),
    );
    const answered: Answers = { rating: 2, title: 'T', comment: 'C', category: 'UI', priority: 'low', name: 'Ada', email: 'a@b.co', shareEmail: false, screenshots: 1 };
    expect(checkAnswers(strict, answered)).toEqual([]);
  });

  it('never blocks on a hidden or optional field', () => {
    expect(checkAnswers(bug, { ...blank, title: 'Checkout fails' })).toEqual([{ field: 'comment', message: STRINGS.formRequired.comment }]);
    expect(checkAnswers(typeForm({ rating: 'optional', comment: 'optional', title: 'hidden', priority: 'optional' }), blank)).toEqual([]);
  });

  it('counts an optional email only when shared, and refuses one that cannot be an address', () => {
    const withEmail = typeForm({ rating: 'optional', comment: 'optional', email: 'optional' });
    expect(checkAnswers(withEmail, { ...blank, email: 'nope', shareEmail: false })).toEqual([]);
    expect(checkAnswers(withEmail, { ...blank, email: 'nope', shareEmail: true })).toEqual([{ field: 'email', message: STRINGS.emailInvalid }]);
    const mandatory = typeForm({ rating: 'optional', comment: 'optional', email: 'required' });
    expect(checkAnswers(mandatory, { ...blank, email: 'a@b.co', shareEmail: false })).toEqual([]);
    expect(checkAnswers(mandatory, { ...blank, email: 'a@b', shareEmail: false })).toEqual([{ field: 'email', message: STRINGS.emailInvalid }]);
  });

  it('reports only what the type shows, trimmed, with the type', () => {
    const answers: Answers = {
      rating: 4,
      title: '  Checkout fails ',
      comment: 'The button does nothing',
      category: 'UI',
      priority: 'high',
      name: ' Ada ',
      email: ' ada@example.com ',
      shareEmail: true,
      screenshots: 0,
    };
    expect(reportAnswers('bug', bug, answers)).toEqual({
      comment: 'The button does nothing',
      userEmail: 'ada@example.com',
      form: { type: 'bug', title: 'Checkout fails', priority: 'high' },
    });
    const general = DEFAULT_FORM_SETTINGS.types.general;
    expect(reportAnswers('general', general, { ...answers, shareEmail: false })).toEqual({
      rating: 4,
      comment: 'The button does nothing',
      form: { type: 'general' },
    });
    const everything = typeForm({ title: 'optional', rating: 'optional', comment: 'hidden', category: 'optional', priority: 'optional', name: 'optional', email: 'required' }, ['UI']);
    expect(reportAnswers('idea', everything, { ...answers, shareEmail: false })).toEqual({
      rating: 4,
      comment: '',
      userEmail: 'ada@example.com',
      form: { type: 'idea', title: 'Checkout fails', name: 'Ada', category: 'UI', priority: 'high' },
    });
    expect(reportAnswers('idea', everything, { ...blank, rating: 1 }).form).toEqual({ type: 'idea' });
  });
});
