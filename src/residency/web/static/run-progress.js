// The run page's live view: follows /api/v1/runs/{id}/events (the session cookie is sent),
// updates the figures and the chart with each progress point, and when the run ends fetches
// the page again and swaps its section in place (no reload). The Cancel form is sent by
// fetch, so the page keeps following the run while it stops. Without this script the page
// shows the latest figures and a Refresh link, and Cancel is a plain form.
(function () {
  "use strict";
  var section = document.getElementById("run");
  if (!section || !section.dataset.events) { return; }
  var W = 320, H = 120, PAD = 4;
  var points = [];

  function show(field, text) {
    var el = section.querySelector('[data-field="' + field + '"]');
    if (el) { el.textContent = text; }
  }

  function line(key, low, span, last) {
    return points.filter(function (p) { return p[key] !== null && p[key] !== undefined; })
      .map(function (p) {
        var x = PAD + (W - 2 * PAD) * p.elapsed_s / last;
        var y = H - PAD - (H - 2 * PAD) * (p[key] - low) / span;
        return x.toFixed(1) + "," + y.toFixed(1);
      }).join(" ");
  }

  function redraw() {
    var values = [];
    points.forEach(function (p) {
      if (p.objective !== null) { values.push(p.objective); }
      if (p.bound !== null) { values.push(p.bound); }
    });
    if (!values.length) { return; }
    var low = Math.min.apply(null, values), high = Math.max.apply(null, values);
    var last = Math.max.apply(null, points.map(function (p) { return p.elapsed_s; })) || 1;
    var span = (high - low) || 1;
    section.querySelector("polyline.objective").setAttribute("points", line("objective", low, span, last));
    section.querySelector("polyline.bound").setAttribute("points", line("bound", low, span, last));
  }

  function freshSection(text) {
    return new DOMParser().parseFromString(text, "text/html").getElementById("run");
  }

  function replaceSection() {
    fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (answer) { return answer.text(); })
      .then(function (text) {
        var fresh = freshSection(text);
        if (fresh) { section.replaceWith(fresh); }
      });
  }

  // The answer is the run's page after the cancel (or its refusal, 409, once it has ended):
  // an ended run's section replaces this one; a live one keeps following the stream.
  function cancelled(text) {
    var fresh = freshSection(text);
    if (fresh && !fresh.dataset.events) {
      source.close();
      section.replaceWith(fresh);
    } else {
      show("status", "running (cancel requested)");
    }
  }

  var cancelForm = section.querySelector("form.cancel-run");
  if (cancelForm) {
    cancelForm.addEventListener("submit", function (event) {
      event.preventDefault();
      cancelForm.querySelector("button").disabled = true;
      fetch(cancelForm.action, {
        method: "POST",
        credentials: "same-origin",
        body: new URLSearchParams(new FormData(cancelForm))
      })
        .then(function (answer) { return answer.text(); })
        .then(cancelled)
        .catch(function () { cancelForm.submit(); });
    });
  }

  var source = new EventSource(section.dataset.events);
  source.addEventListener("progress", function (event) {
    var p = JSON.parse(event.data);
    points.push(p);
    show("stage", p.stage);
    show("objective", p.objective === null ? "-" : String(p.objective));
    show("bound", p.bound === null ? "-" : String(p.bound));
    show("gap", p.gap === null ? "-" : (100 * p.gap).toFixed(2) + " %");
    show("elapsed_s", p.elapsed_s.toFixed(1) + " s");
    redraw();
  });
  source.addEventListener("status", function (event) {
    var state = JSON.parse(event.data);
    show("status", state.status + (state.cancel_requested ? " (cancel requested)" : ""));
    show("message", state.message || "-");
  });
  source.addEventListener("end", function () {
    source.close();
    replaceSection();
  });
}());
