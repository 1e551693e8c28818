import { render } from 'solid-js/web';
import { browser } from 'wxt/browser';
import Popup from '@/components/Popup';
import '@/assets/theme.css';
import './popup.css';

// The page speaks the browser's language (lib/i18n.ts): say so, for screen readers and hyphenation.
document.documentElement.lang = browser.i18n.getUILanguage();
render(() => <Popup />, document.getElementById('app')!);
