// The worker's environment, as far as the unit tests need it: IndexedDB (an in-memory
// implementation) and window-like events such as `online` on the global object.
import 'fake-indexeddb/auto';

if (typeof globalThis.addEventListener !== 'function') {
  const target = new EventTarget();
  Object.assign(globalThis, {
    addEventListener: target.addEventListener.bind(target),
    removeEventListener: target.removeEventListener.bind(target),
    dispatchEvent: target.dispatchEvent.bind(target),
  });
}
