// Warn before leaving a page with changes not saved. Forms marked data-app-warn-unsaved are
// compared with what they held when the page loaded; submitting another form, or leaving the
// page, while one of them has changed asks first. (Without JavaScript each form saves only itself;
// the item page has a single form for the assessment and its document.)
const forms = [...document.querySelectorAll("form[data-app-warn-unsaved]")];
const snapshot = (form) =>
  JSON.stringify(
    [...new FormData(form)]
      .filter(([name]) => name !== "csrfmiddlewaretoken")
      .map(([name, value]) => [name, value instanceof File ? value.name : value]),
  );
const initial = new Map(forms.map((form) => [form, snapshot(form)]));
const changed = (except) => forms.filter((form) => form !== except && snapshot(form) !== initial.get(form));
let leaving = false;

document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    if (form.hasAttribute("data-hx-post") || form.hasAttribute("data-hx-get")) return; // stays on the page
    if (changed(form).length && !window.confirm("You have changes on this page that you have not saved. Continue without saving them?")) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    leaving = true;
  },
  true,
);

window.addEventListener("beforeunload", (event) => {
  if (!leaving && changed(null).length) {
    event.preventDefault();
    event.returnValue = "";
  }
});
