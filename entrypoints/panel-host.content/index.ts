import { defineContentScript } from 'wxt/utils/define-content-script';
import { mountPanelHost } from './mount';

export default defineContentScript({
  // Never in the manifest: injected with scripting.executeScript when the user asks.
  registration: 'runtime',
  // Do not announce Loupe to the page with a window message.
  noScriptStartedPostMessage: true,
  main(ctx) {
    mountPanelHost(ctx);
  },
});
