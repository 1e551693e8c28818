import { render } from 'solid-js/web';
import { browser } from 'wxt/browser';
import FormOptions from '@/components/FormOptions';
import { loadFormSettings } from '@/lib/settings/form';
import { STRINGS } from '@/lib/strings';
import '@/assets/theme.css';
import './options.css';

// The page speaks the browser's language (lib/i18n.ts): say so, for screen readers and hyphenation.
document.documentElement.lang = browser.i18n.getUILanguage();
document.title = STRINGS.optionsTitle;
void loadFormSettings().then((initial) => {
  render(() => <FormOptions initial={initial} />, document.getElementById('app')!);
});
