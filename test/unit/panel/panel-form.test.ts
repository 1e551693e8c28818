import { createRoot, createSignal } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import { createPanelForm } from '@/lib/panel/panel-form';
import { DEFAULT_FORM_SETTINGS } from '@/lib/settings/form';
import { STRINGS } from '@/lib/strings';

// Node resolves solid-js to its server build, where memos do not follow signals: use the browser's.
// @ts-expect-error the build file has no declaration of its own (it is the same API as 'solid-js')
vi.mock('solid-js', () => import('solid-js/dist/solid.js'));

/**
 * A panel form over the defaults with a mandatory Bug title, and a screenshot count to
 * change; made in a root of its own (so that it can be disposed), then driven from outside
 * it, as the panel's event handlers do.
 */
function setup() {
  const settings = structuredClone(DEFAULT_FORM_SETTINGS);
  settings.types.bug.fields.title = 'required';
  settings.types.bug.fields.priority = 'optional';
  return createRoot((dispose) => {
    const [screenshots, setScreenshots] = createSignal(0);
    return { form: createPanelForm(() => settings, screenshots), setScreenshots, dispose };
  });
}

describe('the panel form', () => {
  it('shows no issue until Send, then follows the answers as they are fixed', () => {
    const { form, dispose } = setup();
    form.setType('bug');
    form.set('comment', 'Broken');
    expect(form.ready()).toBe(true);
    expect(form.issues()).toEqual([]);
    expect(form.check()).toEqual([{ field: 'title', message: STRINGS.formRequired.title }]);
    expect(form.issueOf('title')).toBe(STRINGS.formRequired.title);
    form.set('title', 'Checkout fails');
    expect(form.issues()).toEqual([]);
    form.set('priority', 'high');
    expect(form.report()).toEqual({ comment: 'Broken', form: { type: 'bug', title: 'Checkout fails', priority: 'high' } });
    dispose();
  });

  it('starts over on another type, keeping what was typed for when the user comes back', () => {
    const { form, dispose } = setup();
    form.setType('bug');
    form.set('comment', 'Kept');
    form.check();
    form.setType('general');
    expect(form.issues()).toEqual([]);
    expect(form.report()).toEqual({ comment: 'Kept', form: { type: 'general' } });
    dispose();
  });

  it('prefills the reporter, shares a prefilled email, and keeps both when cleared after sending', () => {
    const { form, setScreenshots, dispose } = setup();
    form.prefill('Ada', 'ada@example.com');
    form.set('rating', 4);
    setScreenshots(1);
    expect(form.report()).toEqual({ rating: 4, comment: '', userEmail: 'ada@example.com', form: { type: 'general' } });
    form.clear();
    expect(form.answers()).toMatchObject({ comment: '', name: 'Ada', email: 'ada@example.com', shareEmail: true });
    expect(form.answers().rating).toBeUndefined();
    expect(form.ready()).toBe(false);
    form.prefill('', '');
    expect(form.answers().shareEmail).toBe(false);
    dispose();
  });
});
