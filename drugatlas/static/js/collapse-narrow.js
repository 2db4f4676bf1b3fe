// On a phone, panels marked data-close-narrow (the legislation filters) start closed, so the
// content comes first; without this script they stay open and work as they are.
if (window.matchMedia("(max-width: 40rem)").matches) {
  for (const panel of document.querySelectorAll("details[data-close-narrow]")) panel.open = false;
}
