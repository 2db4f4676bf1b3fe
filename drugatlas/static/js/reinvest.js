// Reinvestment calculator: sliders beside the number fields and live recalculation.
// Progressive enhancement only: without this file the GET form does the same job on submit.
// The arithmetic stays on the server (one implementation): the page is fetched again with the
// form's query and its results swapped in; the address bar keeps the permalink.
(function () {
  "use strict";
  var form = document.getElementById("reinvest-form");
  var results = document.getElementById("reinvest-results");
  if (!form || !results || !window.fetch || !window.DOMParser || !window.URLSearchParams) return;

  function parse(text) {
    var n = parseFloat(String(text).replace(/[,$%\s]/g, ""));
    return isFinite(n) ? n : null;
  }

  // A slider range that suits the value: percentages run to 100, other inputs to a round
  // number a few times the starting value (the text field still takes anything allowed).
  function sliderMax(input, start) {
    if (input.dataset.kind === "percent") return 100;
    // A field that starts at zero (no cited figure) still needs a useful span.
    var top = start > 0 ? start * 3 : (input.dataset.kind === "money" ? 1000 : 5);
    var power = Math.pow(10, Math.floor(Math.log(top) / Math.LN10));
    var nice = [1, 2, 2.5, 5, 10].map(function (m) { return m * power; })
      .filter(function (v) { return v >= top; })[0];
    return Math.min(nice, parse(input.dataset.max) || nice);
  }

  var timer = null, pending = null;

  function query() {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.type !== "range" && el.type !== "submit") params.append(el.name, el.value);
    });
    return params.toString();
  }

  function swapFieldErrors(doc) {
    Array.prototype.forEach.call(form.querySelectorAll(".field[data-param]"), function (field) {
      var fresh = doc.querySelector('.field[data-param="' + field.dataset.param + '"]');
      var old = field.querySelector(".error");
      if (old) old.parentNode.removeChild(old);
      field.classList.remove("has-error");
      var input = field.querySelector("input[type=text]");
      if (input) input.removeAttribute("aria-invalid");
      if (!fresh) return;
      var error = fresh.querySelector(".error");
      if (error) {
        field.classList.add("has-error");
        field.insertBefore(error, input);
        if (input) input.setAttribute("aria-invalid", "true");
      }
    });
  }

  function recalculate() {
    var qs = query();
    if (pending) pending.abort();
    pending = window.AbortController ? new AbortController() : null;
    results.classList.add("updating");
    fetch(form.action + "?" + qs, {headers: {"X-Requested-With": "fetch"},
                                   signal: pending ? pending.signal : undefined})
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("reinvest-results");
        if (!fresh) return;
        results.innerHTML = fresh.innerHTML;
        swapFieldErrors(doc);
        results.classList.remove("updating");
        if (window.history && history.replaceState) history.replaceState(null, "", "?" + qs);
      })
      .catch(function (err) {
        if (err && err.name === "AbortError") return;
        results.classList.remove("updating");
      });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(recalculate, 300);
  }

  Array.prototype.forEach.call(form.querySelectorAll(".field[data-param]"), function (field) {
    var input = field.querySelector("input[type=text]");
    var label = field.querySelector("label");
    if (!input) return;
    var start = parse(input.value) || 0;
    var slider = document.createElement("input");
    slider.type = "range";
    slider.min = "0";
    slider.max = String(sliderMax(input, start));
    slider.step = input.dataset.step || "any";
    slider.value = String(start);
    slider.setAttribute("aria-label", (label ? label.textContent.trim() : input.name) + " (slider)");
    input.insertAdjacentElement("afterend", slider);
    slider.addEventListener("input", function () {
      input.value = slider.value;
      later();
    });
    input.addEventListener("input", function () {
      var n = parse(input.value);
      if (n !== null) {
        if (n > parse(slider.max)) slider.max = String(sliderMax(input, n));
        slider.value = String(n);
      }
      later();
    });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    recalculate();
  });
})();
