// Entry of the tools page bundle (scripts/build-page.ts). Nothing here makes a network request:
// the page's CSP sets connect-src 'none', and the browser test checks that none is made.

import { byId, wireCopyButtons } from './dom.js';
import { setUpGenerator } from './generator.js';
import { setUpInspector } from './inspector.js';
import { setUpStrengthCheck } from './strength.js';

function start(): void {
  // The stylesheet hides the tools while this class is present, for browsers without scripts.
  document.documentElement.classList.remove('no-js');
  wireCopyButtons(byId('copy-status', HTMLElement));
  setUpGenerator();
  setUpStrengthCheck();
  setUpInspector();
}

// Module scripts run after parsing, so the elements exist already.
start();
