import { render } from 'solid-js/web';
import Panel from '@/components/Panel';
import { connectToHost } from '@/lib/panel/frame-channel';
import '@/assets/theme.css';
import './panel.css';

// The nonce in our URL proves which message comes from the content script that made us.
void connectToHost(location.hash.slice(1)).then((host) => {
  render(() => <Panel host={host} />, document.getElementById('app')!);
});
