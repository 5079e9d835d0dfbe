// Every page: mark the page as able to run GOV.UK Frontend's scripts, then start its components
// (the menu toggle on narrow screens, the skip link). Pages work without it.
import { initAll } from "/static/build/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();
