import { defineContentScript } from 'wxt/utils/define-content-script';
import { recordPage } from '@/lib/replay/in-page';

export default defineContentScript({
  // Registered at runtime (scripting.registerContentScripts) only on the sites the user turns on.
  registration: 'runtime',
  noScriptStartedPostMessage: true,
  main(ctx) {
    void recordPage(ctx);
  },
});
