// The footer sign-up: a box that narrows the list of states as the reader types. Without this
// script the full list of checkboxes works as it is. Ticked states always stay in view.
for (const box of document.querySelectorAll("[data-state-filter]")) {
  const filter = box.querySelector(".state-filter");
  const input = filter.querySelector("input");
  const items = [...box.querySelectorAll("li")];
  filter.hidden = false;
  input.addEventListener("input", () => {
    const words = input.value.trim().toLowerCase();
    for (const item of items) {
      const ticked = item.querySelector("input").checked;
      item.hidden = Boolean(words) && !ticked && !item.textContent.toLowerCase().includes(words);
    }
  });
}
