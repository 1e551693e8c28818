import { render } from 'solid-js/web';
import { browser } from 'wxt/browser';
import Panel from '@/components/Panel';
import { connectToHost } from '@/lib/panel/frame-channel';
import '@/assets/theme.css';
import './panel.css';

// The page speaks the browser's language (lib/i18n.ts): say so, for screen readers and hyphenation.
document.documentElement.lang = browser.i18n.getUILanguage();
// The nonce in our URL proves which message comes from the content script that made us.
void connectToHost(location.hash.slice(1)).then((host) => {
  render(() => <Panel host={host} />, document.getElementById('app')!);
});
