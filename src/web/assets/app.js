// Progressive enhancement only: every page works with JavaScript off.
import { initAll } from '/assets/nhsuk-frontend.min.js';

initAll();
