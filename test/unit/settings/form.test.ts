import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { shownFields } from '@/lib/feedback/form-rules';
import { validateFormSettings } from '@/lib/settings/form-check';
import {
  DEFAULT_FORM_SETTINGS,
  formSettingsItem,
  loadFormSettings,
  loadPanelSide,
  parseFormSettings,
  saveFormSettings,
  type FormSettings,
} from '@/lib/settings/form';
import { STRINGS } from '@/lib/strings';

/** The defaults with one type's changes applied. */
function withType(type: keyof FormSettings['types'], change: Partial<FormSettings['types']['bug']>): FormSettings {
  const settings = structuredClone(DEFAULT_FORM_SETTINGS);
  settings.types[type] = { ...settings.types[type], ...change };
  return settings;
}

describe('form settings', () => {
  beforeEach(() => fakeBrowser.reset());

  it('default to the panel as it was for General: rating as faces, comment, email, screenshots, nothing mandatory', async () => {
    const settings = await loadFormSettings();
    expect(settings).toEqual(DEFAULT_FORM_SETTINGS);
    expect(shownFields(settings.types.general)).toEqual(['rating', 'comment', 'email', 'screenshots']);
    expect(Object.values(settings.types.general.fields)).not.toContain('required');
    expect(settings.types.general.ratingStyle).toBe('emoji');
    expect(settings).toMatchObject({ position: 'right', accentColour: '', panelTitle: '', reporterName: '', reporterEmail: '' });
    expect(await loadPanelSide()).toBe('right');
  });

  it('save normalised values and read them back', async () => {
    const input = withType('bug', { categories: [' Checkout ', 'Login', 'checkout', ''] });
    input.types.bug.fields.category = 'required';
    Object.assign(input, { accentColour: ' #0A7 ', reporterName: ' Ada ', reporterEmail: ' ada@example.com ', position: 'left' });
    const result = await saveFormSettings(input);
    expect(result.ok).toBe(true);
    const read = await loadFormSettings();
    expect(read.types.bug.categories).toEqual(['Checkout', 'Login']);
    expect(read.types.bug.fields.category).toBe('required');
    expect(read).toMatchObject({ accentColour: '#00aa77', reporterName: 'Ada', reporterEmail: 'ada@example.com', position: 'left' });
    expect(await loadPanelSide()).toBe('left');
  });

  it.each([
    ['an empty category list when category is mandatory', withType('bug', { categories: [] }), 'bug.categories', STRINGS.categoriesEmpty],
    [
      'a type with neither rating nor comment',
      withType('idea', { fields: { ...DEFAULT_FORM_SETTINGS.types.idea.fields, rating: 'hidden', comment: 'hidden' } }),
      'idea.fields',
      STRINGS.needsRatingOrComment,
    ],
    ['too many categories', withType('general', { categories: Array.from({ length: 21 }, (_, i) => `c${i}`) }), 'general.categories', STRINGS.categoriesTooMany(20)],
    ['a category too long', withType('general', { categories: ['x'.repeat(61)] }), 'general.categories', STRINGS.categoryTooLong(60)],
    ['an invalid colour', { ...DEFAULT_FORM_SETTINGS, accentColour: 'blue' }, 'accentColour', STRINGS.colourInvalid],
    ['a colour without #', { ...DEFAULT_FORM_SETTINGS, accentColour: '4f46e5' }, 'accentColour', STRINGS.colourInvalid],
    ['an email that is not one', { ...DEFAULT_FORM_SETTINGS, reporterEmail: 'ada@' }, 'reporterEmail', STRINGS.emailInvalid],
    ['a panel title too long', { ...DEFAULT_FORM_SETTINGS, panelTitle: 'x'.repeat(61) }, 'panelTitle', STRINGS.tooLong(60)],
  ])('refuse %s with a message at that place, and store nothing', async (_what, input, key, message) => {
    if (key === 'bug.categories') input.types.bug.fields.category = 'required';
    const result = await saveFormSettings(input);
    expect(result).toEqual({ ok: false, issues: { [key]: message } });
    expect(await formSettingsItem.getValue()).toEqual(DEFAULT_FORM_SETTINGS);
  });

  it('refuse a shown (even optional) category field with no categories to choose from', () => {
    const input = withType('general', {});
    input.types.general.fields.category = 'optional';
    expect(validateFormSettings(input)).toEqual({ ok: false, issues: { 'general.categories': STRINGS.categoriesEmpty } });
  });

  it('report every problem at once', () => {
    const input = withType('bug', { categories: [] });
    input.types.bug.fields.category = 'required';
    Object.assign(input, { accentColour: 'red', reporterEmail: 'nope' });
    const result = validateFormSettings(input);
    expect(result.ok ? [] : Object.keys(result.issues).sort()).toEqual(['accentColour', 'bug.categories', 'reporterEmail']);
  });

  it('parse whatever is stored (unversioned, partial, another shape) field by field on read', async () => {
    // What a hand edit, an older build or a sync conflict can leave behind.
    await fakeBrowser.storage.local.set({
      'form-settings': {
        types: {
          bug: { fields: { title: 'required', priority: 'sometimes', rating: 42 }, ratingStyle: 'hearts', categories: ['UI', 7, ' UI '] },
          unknown: { fields: {} },
        },
        position: 'top',
        accentColour: 'not a colour',
        panelTitle: 'Tell us',
        legacyField: true,
      },
    });
    const read = await loadFormSettings();
    expect(read.types.bug.fields).toEqual({ ...DEFAULT_FORM_SETTINGS.types.bug.fields, title: 'required' });
    expect(read.types.bug).toMatchObject({ ratingStyle: 'emoji', categories: ['UI'] });
    expect(read.types.general).toEqual(DEFAULT_FORM_SETTINGS.types.general);
    expect(read).toMatchObject({ position: 'right', accentColour: '', panelTitle: 'Tell us' });
    expect(read).not.toHaveProperty('legacyField');
    expect(read.types).not.toHaveProperty('unknown');

    for (const garbage of ['garbage', null, 42, [], { types: 'no' }]) {
      await fakeBrowser.storage.local.set({ 'form-settings': garbage });
      expect(await loadFormSettings()).toEqual(DEFAULT_FORM_SETTINGS);
    }
  });

  it('repair on read what the panel could not use: no rating nor comment, or categories to choose from none', () => {
    const read = parseFormSettings({
      types: {
        idea: { fields: { rating: 'hidden', comment: 'hidden', category: 'required' }, categories: [] },
        general: { fields: { category: 'optional' }, categories: ['x'.repeat(61), 'Design'] },
      },
    });
    // The comment comes back mandatory: the server refuses a report with neither.
    expect(read.types.idea.fields).toMatchObject({ rating: 'hidden', comment: 'required', category: 'hidden' });
    expect(read.types.general).toMatchObject({ categories: ['Design'], fields: { category: 'optional' } });
  });

  it('keep the defaults apart from what is read (editing one never changes the other)', async () => {
    const read = await loadFormSettings();
    read.types.bug.categories.push('Mutated');
    read.types.bug.fields.title = 'required';
    expect(DEFAULT_FORM_SETTINGS.types.bug.categories).toEqual([]);
    expect(DEFAULT_FORM_SETTINGS.types.bug.fields.title).toBe('optional');
  });
});
