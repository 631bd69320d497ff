/* Mannerly desk: keyboard shortcuts, row selection and mail frames sized to their content.
   Every page works without this file; it only adds speed. Handlers are delegated from the
   document, so content that htmx swaps in needs no re-initialisation. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function markSelection() {
    var any = document.querySelector("tr[data-row] input[type=checkbox]:checked") !== null;
    document.querySelectorAll(".bulkbar").forEach(function (bar) { bar.classList.toggle("has-selection", any); });
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  function rows() {
    return Array.from(document.querySelectorAll("[data-keyboard-list] tr[data-row]"));
  }

  function current() {
    return document.querySelector("[data-keyboard-list] tr.is-current");
  }

  function move(step) {
    var list = rows();
    if (!list.length) return;
    var index = list.indexOf(current());
    var next = list[Math.max(0, Math.min(list.length - 1, index < 0 ? 0 : index + step))];
    list.forEach(function (row) { row.classList.remove("is-current"); });
    next.classList.add("is-current");
    var link = next.querySelector("a[data-open]");
    if (link) link.focus();
  }

  function toggleSelect(row) {
    var box = row && row.querySelector("input[type=checkbox]");
    if (!box) return;
    box.checked = !box.checked;
    row.classList.toggle("is-selected", box.checked);
    markSelection();
  }

  var pendingG = false;
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape" && typing(event.target)) { event.target.blur(); return; }
    if (typing(event.target)) return;
    var key = event.key;
    if (pendingG) {
      pendingG = false;
      if (key === "i") { window.location.href = "/tickets/"; event.preventDefault(); }
      return;
    }
    switch (key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "x": toggleSelect(current() || (event.target.closest && event.target.closest("tr[data-row]"))); break;
      case "/": {
        var search = document.querySelector("main [data-search]") || document.querySelector("[data-search]");
        if (search) search.focus();
        break;
      }
      case "?": {
        var help = document.getElementById("keys-help");
        if (help && help.showModal) help.showModal();
        break;
      }
      case "r": { var reply = document.getElementById("reply-body"); if (reply) { reply.focus(); reply.setSelectionRange(0, 0); } break; }
      case "n": { var box = document.getElementById("note-box"); if (box) { box.open = true; document.getElementById("note-body").focus(); } break; }
      case "g": pendingG = true; return;
      case "Enter": {
        var row = current();
        var link = row && row.querySelector("a[data-open]");
        if (link && document.activeElement !== link) link.click();
        return;
      }
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var helpButton = event.target.closest("[data-help]");
    if (helpButton) document.getElementById("keys-help").showModal();
  });

  document.addEventListener("focusin", function (event) {
    var row = event.target.closest && event.target.closest("[data-keyboard-list] tr[data-row]");
    if (!row) return;
    rows().forEach(function (r) { r.classList.toggle("is-current", r === row); });
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-select-all]")) {
      rows().forEach(function (row) {
        var box = row.querySelector("input[type=checkbox]");
        box.checked = target.checked;
        row.classList.toggle("is-selected", target.checked);
      });
    } else if (target.matches("tr[data-row] input[type=checkbox]")) {
      target.closest("tr").classList.toggle("is-selected", target.checked);
    }
    markSelection();
  });

  /* A sandboxed mail frame (same origin, no scripts inside) is sized to its content. */
  function fit(frame) {
    try {
      var doc = frame.contentDocument;
      if (doc && doc.documentElement) {
        frame.style.height = Math.min(doc.documentElement.scrollHeight + 4, 4000) + "px";
      }
    } catch (e) { /* keep the fixed height */ }
  }
  document.addEventListener("load", function (event) {
    if (event.target.matches && event.target.matches("iframe.mail-html")) fit(event.target);
  }, true);
  function fitAll() { document.querySelectorAll("iframe.mail-html").forEach(fit); }
  window.addEventListener("resize", fitAll);
  document.addEventListener("DOMContentLoaded", fitAll);
  document.addEventListener("htmx:afterSettle", fitAll);
})();
