/*
 * Evaluated once in Firefox's browser window (the privileged "chrome" scope that WebDriver
 * BiDi opens with --remote-allow-system-access); defines `globalThis.loupeTest`.
 *
 * Why from here: Firefox's WebDriver BiDi skips every extension document (its remote agent's
 * isBrowsingContextCompatible, https://bugzilla.mozilla.org/show_bug.cgi?id=1755014), and
 * Loupe's popup and panel are both extension documents. The browser window sees them the
 * way a screen reader does, through the accessibility tree, which spans the page, the panel's
 * out-of-process frame in its closed shadow root, and the toolbar popup. Controls are found
 * there by role and name, and driven with real input events dispatched to the browser window
 * (Firefox's own EventUtils, as its remote agent uses it), which Firefox routes to the frame
 * under the pointer or the focused element, as it does a person's mouse and keyboard.
 *
 * Every function takes and returns JSON values; `null` stands for "not there (yet)".
 */
(() => {
  const a11y = Cc['@mozilla.org/accessibilityService;1'].getService(Ci.nsIAccessibilityService);
  const EventUtils = { window, parent: window, _EU_Ci: Ci, _EU_Cc: Cc };
  Services.scriptloader.loadSubScript('chrome://remote/content/external/EventUtils.js', EventUtils);
  const { STATE_CHECKED, STATE_UNAVAILABLE, STATE_FOCUSED } = Ci.nsIAccessibleStates;

  // The ARIA role names the Chromium tests use, as Firefox's accessibility roles.
  const ROLES = {
    button: 'pushbutton',
    radio: 'radiobutton',
    textbox: 'entry',
    image: 'graphic',
    dialog: 'dialog',
    switch: 'switch',
    checkbox: 'checkbutton',
    form: 'form',
    listitem: 'listitem',
  };

  /** The <browser> showing `where`: the selected tab's page, or the toolbar popup while it is open. */
  const browserOf = (where) =>
    where === 'popup'
      ? [...document.querySelectorAll('browser')].find(
          (browser) => browser.closest('panel')?.state === 'open' && browser.currentURI?.spec.endsWith('/popup.html'),
        )
      : gBrowser.selectedBrowser;

  const nameOf = (accessible) => {
    try {
      return accessible.name;
    } catch {
      return null; // a node removed while we walk
    }
  };

  const findAll = (where, role, name) => {
    const browser = browserOf(where);
    const root = browser && a11y.getAccessibleFor(browser);
    const found = [];
    const walk = (accessible) => {
      if (nameOf(accessible) === name && (role == null || a11y.getStringRole(accessible.role) === (ROLES[role] ?? role))) {
        found.push(accessible);
      }
      for (let child = accessible.firstChild; child; child = child.nextSibling) walk(child);
    };
    if (root) walk(root);
    return found;
  };

  const findOne = (where, role, name) => {
    const found = findAll(where, role, name);
    if (found.length > 1) throw new Error(`${found.length} ${role} controls are named "${name}"`);
    return found[0];
  };

  /** Screen rectangle in CSS px: [x, y, width, height]. */
  const boundsOf = (accessible) => {
    const [x, y, width, height] = [{}, {}, {}, {}];
    accessible.getBoundsInCSSPixels(x, y, width, height);
    return [x.value, y.value, width.value, height.value];
  };

  /** Whether a pointer at the screen point (CSS px) lands on `accessible` or inside it. */
  const hits = (where, accessible, [x, y]) => {
    const ratio = window.devicePixelRatio;
    const root = a11y.getAccessibleFor(browserOf(where));
    for (let node = root.getDeepestChildAtPoint(Math.round(x * ratio), Math.round(y * ratio)); node; node = node.parent) {
      if (node === accessible) return true;
    }
    return false;
  };

  globalThis.loupeTest = {
    /** Whether the toolbar popup is open with its document in the accessibility tree. */
    popupShown() {
      const browser = browserOf('popup');
      return Boolean(browser && a11y.getAccessibleFor(browser)?.firstChild?.childCount);
    },

    /** How many nodes with this role (any, when null) and name are shown. */
    count: (where, role, name) => findAll(where, role, name).length,

    /** The control's states, or null while it is not there. */
    state(where, role, name) {
      const accessible = findOne(where, role, name);
      if (!accessible) return null;
      const [states] = [{}];
      accessible.getState(states, {});
      return {
        checked: (states.value & STATE_CHECKED) !== 0,
        disabled: (states.value & STATE_UNAVAILABLE) !== 0,
        focused: (states.value & STATE_FOCUSED) !== 0,
        value: accessible.value,
      };
    },

    /**
     * Scrolls the control into view and clicks its middle, once it is where it was when last
     * seen (`seen`, as this returned it) and nothing covers it; otherwise returns where it is now.
     */
    click(where, role, name, seen) {
      const accessible = findOne(where, role, name);
      if (!accessible) return null;
      accessible.scrollTo(Ci.nsIAccessibleScrollType.SCROLL_TYPE_ANYWHERE);
      const bounds = boundsOf(accessible);
      const centre = [bounds[0] + bounds[2] / 2, bounds[1] + bounds[3] / 2];
      if (JSON.stringify(bounds) !== JSON.stringify(seen) || !hits(where, accessible, centre)) return { at: bounds };
      EventUtils.synthesizeMouseAtPoint(centre[0] - window.mozInnerScreenX, centre[1] - window.mozInnerScreenY, {}, window);
      return { clicked: true };
    },

    /** Types `text` into the focused element, key by key. */
    type(text) {
      EventUtils.sendString(text, window);
      return true;
    },

    /** Presses one key (`a`, `KEY_Escape`...) with modifiers (`accelKey`, `altKey`, `shiftKey`). */
    key(key, modifiers) {
      EventUtils.synthesizeKey(key, modifiers ?? {}, window);
      return true;
    },

    /**
     * Presses Loupe's shortcut, Alt+Shift+F, with the focus in the address bar: in Firefox 153,
     * keys that a test synthesizes while the page has the focus reach the page but not Firefox's
     * shortcut handling, which a person's key press would.
     */
    pressShortcut() {
      gURLBar.focus();
      EventUtils.synthesizeKey('F', { altKey: true, shiftKey: true, code: 'KeyF' }, window);
      return true;
    },

    /**
     * Right-clicks the middle of the page; once Firefox's context menu is open, clicks the item
     * labelled `label` in it. True once the item was clicked.
     */
    contextMenu(label) {
      const menu = document.getElementById('contentAreaContextMenu');
      const item = [...menu.querySelectorAll('menuitem')].find((entry) => entry.label === label && !entry.hidden);
      if (menu.state === 'open' && item) {
        EventUtils.synthesizeMouseAtCenter(item, {}, window);
        return true;
      }
      if (menu.state === 'closed') {
        EventUtils.synthesizeMouseAtCenter(gBrowser.selectedBrowser, { type: 'contextmenu', button: 2 }, window);
      }
      return false;
    },

    /**
     * Clicks Loupe in the toolbar: Firefox lists an unpinned add-on's button in its Extensions
     * menu (the puzzle piece), so the first call opens that menu, a later one clicks Loupe in it
     * once it is open. True once Loupe's button was clicked.
     */
    clickToolbarButton() {
      const menu = document.getElementById('unified-extensions-panel');
      const item = document.getElementById('loupe_loupe_dev-BAP');
      if (menu?.state === 'open' && item) {
        EventUtils.synthesizeMouseAtCenter(item, {}, window);
        return true;
      }
      if (menu?.state !== 'showing') EventUtils.synthesizeMouseAtCenter(document.getElementById('unified-extensions-button'), {}, window);
      return false;
    },
  };
  return true;
})();
