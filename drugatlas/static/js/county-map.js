// County maps: a tooltip with the county's name and value when a county is pointed at or
// reached with Tab (the words of its link's aria-label, so screen readers lose nothing),
// as on the state map. Each county links to its own page; the map works without this script.
const map = document.querySelector(".choropleth.counties");
if (map) {
  const box = map.closest("figure") || map.parentElement;
  const tip = document.createElement("div");
  tip.className = "tooltip";
  tip.hidden = true;
  tip.setAttribute("aria-hidden", "true");
  box.classList.add("has-tooltip");
  box.append(tip);
  const show = (link) => {
    tip.textContent = link.getAttribute("aria-label");
    tip.hidden = false;
    const area = link.getBoundingClientRect();
    const frame = box.getBoundingClientRect();
    const left = Math.min(area.left - frame.left + area.width / 2, frame.width - tip.offsetWidth);
    tip.style.left = `${Math.max(0, left)}px`;
    tip.style.top = `${Math.max(0, area.top - frame.top - tip.offsetHeight - 6)}px`;
  };
  const hide = () => { tip.hidden = true; };
  map.addEventListener("pointerover", (event) => {
    const link = event.target.closest("a");
    if (link) show(link);
  });
  map.addEventListener("pointerleave", hide);
  map.addEventListener("focusin", (event) => {
    const link = event.target.closest("a");
    if (link) show(link);
  });
  map.addEventListener("focusout", hide);
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") hide(); });
}
