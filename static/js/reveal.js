// Conditional reveals for radios (the NHS.UK "conditional" pattern) without aria-expanded, which
// is not allowed on a radio (axe: aria-allowed-attr). A radio with data-app-reveals="<id>" shows
// that element while it is checked; without JavaScript everything stays visible.
const radios = document.querySelectorAll('input[type="radio"][data-app-reveals]');
const groups = new Set([...radios].map((radio) => radio.name));

function sync(name) {
  for (const radio of document.querySelectorAll(`input[type="radio"][name="${CSS.escape(name)}"]`)) {
    const target = radio.dataset.appReveals && document.getElementById(radio.dataset.appReveals);
    if (target) target.classList.toggle("nhsuk-radios__conditional--hidden", !radio.checked);
  }
}

for (const name of groups) {
  sync(name);
  for (const radio of document.querySelectorAll(`input[type="radio"][name="${CSS.escape(name)}"]`)) {
    radio.addEventListener("change", () => sync(name));
  }
}
