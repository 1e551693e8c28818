import { defineContentScript } from 'wxt/utils/define-content-script';
import { watchPage } from '@/lib/replay/page-script';

export default defineContentScript({
  // Registered at runtime with the recorder (lib/replay/sites.ts), at document_start, in
  // the page's own world: the only place the page's console, requests and History API calls can be seen.
  registration: 'runtime',
  world: 'MAIN',
  main() {
    watchPage(window);
  },
});
