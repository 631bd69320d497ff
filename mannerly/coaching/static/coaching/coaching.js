/* Mannerly reply coaching: highlights behind the reply textarea, one-click fixes, the send gate.

   htmx posts the draft to the lint endpoint (300 ms after the last keystroke; a newer request
   cancels an older one) and swaps the side panel (#coach). This script:
   - numbers each lint request and drops a response to an older draft (data-seq);
   - draws the findings' ranges in a layer behind the transparent textarea, kept aligned with
     wrapping, scrolling and resizing, and shifted as the agent keeps typing until the next
     lint arrives;
   - shows a finding's message on hover (pointer over its words), at the caret and on focus of
     the finding in the panel;
   - applies a fix as an exact edit of the text, through the browser's own editing so Ctrl-Z
     undoes it;
   - holds the Send button while the latest lint of the current text has errors.
   Without this script the page still works: the panel is rendered with the page and the
   reply view enforces the gate. Offsets from the server are code points; JavaScript strings
   count UTF-16 units, so they are converted against the text that was linted. */
(function () {
  "use strict";

  var state = {
    seq: 0,            // number of the latest lint request sent
    shown: 0,          // number of the draft the panel shows
    sent: {},          // seq -> draft text sent
    started: {},       // seq -> time the request left
    lastInput: 0,      // time of the latest keystroke
    linted: null,      // {text, ranges: [{i, start, end, severity}] in UTF-16 units of text}
    timings: [],       // request sent -> findings drawn, ms
    keystroke: [],     // last keystroke -> findings drawn, ms (includes the 300 ms pause)
    pending: false
  };
  window.mannerlyCoaching = state;

  function textarea() { return document.getElementById("reply-body"); }
  function editorOf(ta) { return ta && ta.closest("[data-coach-editor]"); }
  function layerOf(ta) { var ed = editorOf(ta); return ed && ed.querySelector(".coach-highlights"); }
  function backdropOf(ta) { var ed = editorOf(ta); return ed && ed.querySelector(".coach-backdrop"); }

  /* ---- offsets --------------------------------------------------------------------------- */

  var ASTRAL = /[\uD800-\uDFFF]/;

  function utf16(text, codePoints) {
    if (!ASTRAL.test(text)) return Math.min(codePoints, text.length);
    var i = 0, n = 0;
    while (n < codePoints && i < text.length) {
      var c = text.charCodeAt(i);
      i += (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.length) ? 2 : 1;
      n += 1;
    }
    return i;
  }

  /* The one edited region between two texts: common prefix and suffix. */
  function diff(a, b) {
    var max = Math.min(a.length, b.length), p = 0, s = 0;
    while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
    while (s < max - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
    return { start: p, oldEnd: a.length - s, newEnd: b.length - s };
  }

  /* A range of the linted text in the current text; null when the agent edited inside it. */
  function mapRange(start, end, d) {
    if (d.start === d.oldEnd && d.start === d.newEnd) return { start: start, end: end };
    if (end <= d.start && !(start === end && start === d.start && d.oldEnd > d.start)) {
      return { start: start, end: end };
    }
    if (start >= d.oldEnd) {
      var shift = d.newEnd - d.oldEnd;
      return { start: start + shift, end: end + shift };
    }
    return null;
  }

  /* ---- the highlight layer --------------------------------------------------------------- */

  function readFindings(ta) {
    var data = document.getElementById("coach-highlights");
    var coach = document.getElementById("coach");
    if (!data || !coach || !ta) return;
    var seq = parseInt(coach.getAttribute("data-seq") || "0", 10);
    var text = seq && state.sent[seq] !== undefined ? state.sent[seq] : ta.value;
    var items = [];
    try { items = JSON.parse(data.textContent) || []; } catch (e) { items = []; }
    state.linted = {
      text: text,
      ranges: items.map(function (h) {
        return { i: h.i, start: utf16(text, h.start), end: utf16(text, h.end), severity: h.severity };
      })
    };
    state.shown = seq;
    Object.keys(state.sent).forEach(function (k) { if (+k < seq) delete state.sent[k]; });
  }

  function currentRanges(ta) {
    if (!state.linted) return [];
    var d = diff(state.linted.text, ta.value);
    var out = [];
    state.linted.ranges.forEach(function (r) {
      var m = mapRange(r.start, r.end, d);
      if (m && m.end > m.start && m.end <= ta.value.length) {
        out.push({ i: r.i, start: m.start, end: m.end, severity: r.severity });
      }
    });
    out.sort(function (a, b) { return a.start - b.start || b.end - a.end; });
    return out;
  }

  function draw(ta) {
    var layer = layerOf(ta);
    if (!layer) return;
    var text = ta.value, pos = 0;
    var frag = document.createDocumentFragment();
    currentRanges(ta).forEach(function (r) {
      var start = Math.max(r.start, pos);
      if (r.end <= start) return; // overlaps an earlier finding: that one is drawn
      if (start > pos) frag.appendChild(document.createTextNode(text.slice(pos, start)));
      var mark = document.createElement("mark");
      mark.className = "hl sev-" + r.severity;
      mark.setAttribute("data-i", r.i);
      mark.textContent = text.slice(start, r.end);
      frag.appendChild(mark);
      pos = r.end;
    });
    // A final newline needs a character after it to take up a line, as it does in the textarea.
    frag.appendChild(document.createTextNode(text.slice(pos) + "\u200b"));
    layer.replaceChildren(frag);
    align(ta);
    markActive(ta);
  }

  var COPIED = ["fontFamily", "fontSize", "fontWeight", "fontStyle", "lineHeight", "letterSpacing",
    "wordSpacing", "tabSize", "textIndent", "textTransform", "paddingTop", "paddingRight",
    "paddingBottom", "paddingLeft", "borderTopWidth", "borderRightWidth", "borderBottomWidth",
    "borderLeftWidth", "boxSizing", "direction", "textAlign"];

  function align(ta) {
    var back = backdropOf(ta), layer = layerOf(ta);
    if (!back || !layer) return;
    var style = window.getComputedStyle(ta);
    COPIED.forEach(function (name) { back.style[name] = style[name]; });
    back.style.top = ta.offsetTop + "px";
    back.style.left = ta.offsetLeft + "px";
    back.style.width = ta.offsetWidth + "px";
    back.style.height = ta.offsetHeight + "px";
    // A vertical scrollbar narrows the textarea's text; narrow the layer's text the same way.
    var borders = parseFloat(style.borderLeftWidth) + parseFloat(style.borderRightWidth);
    var scrollbar = ta.offsetWidth - ta.clientWidth - borders;
    back.style.paddingRight = (parseFloat(style.paddingRight) + Math.max(0, scrollbar)) + "px";
    layer.style.transform = "translate(" + (-ta.scrollLeft) + "px," + (-ta.scrollTop) + "px)";
  }

  /* ---- messages on hover, at the caret, on focus ----------------------------------------- */

  function findingItem(i) { return document.getElementById("finding-" + i); }

  function describe(i) {
    var item = findingItem(i);
    if (!item) return "";
    function text(selector) {
      var el = item.querySelector(selector);
      return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
    }
    var head = [text(".f-head .sev"), text(".f-head strong")].filter(Boolean).join(" · ");
    var body = [text(".f-msg"), text(".f-sugg")].filter(Boolean).join(" ");
    return head + (body ? " — " + body : "");
  }

  function rangeAt(ta, offset) {
    var found = null;
    currentRanges(ta).forEach(function (r) {
      if (!found && offset >= r.start && offset <= r.end) found = r;
    });
    return found;
  }

  var activeIndex = null;

  function setActive(i) {
    activeIndex = i;
    document.querySelectorAll(".coach-highlights mark.is-active, #coach .finding.is-active").forEach(function (el) {
      el.classList.remove("is-active");
    });
    if (i === null) return;
    document.querySelectorAll('.coach-highlights mark[data-i="' + i + '"]').forEach(function (el) { el.classList.add("is-active"); });
    var item = findingItem(i);
    if (item) item.classList.add("is-active");
  }

  function markActive() { if (activeIndex !== null) setActive(activeIndex); }

  function caretChanged(ta) {
    var caret = document.getElementById("coach-caret");
    if (!caret) return;
    var r = ta.selectionStart === ta.selectionEnd ? rangeAt(ta, ta.selectionStart) : null;
    var text = r ? describe(r.i) : "";
    if (caret.textContent !== text) caret.textContent = text;
    setActive(r ? r.i : null);
  }

  var tip = null;

  function showTip(ta, x, y) {
    var layer = layerOf(ta);
    if (!layer) return;
    var hit = null;
    layer.querySelectorAll("mark").forEach(function (mark) {
      if (hit) return;
      Array.prototype.forEach.call(mark.getClientRects(), function (rect) {
        if (x >= rect.left && x <= rect.right && y >= rect.top - 2 && y <= rect.bottom + 2) hit = mark;
      });
    });
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "coach-tip";
      tip.setAttribute("role", "tooltip");
      tip.id = "coach-tip";
      document.body.appendChild(tip);
    }
    if (!hit) { tip.hidden = true; return; }
    tip.textContent = describe(hit.getAttribute("data-i"));
    tip.className = "coach-tip sev-" + (hit.className.match(/sev-(\w+)/) || [])[1];
    tip.hidden = false;
    var rect = hit.getClientRects()[0];
    var left = Math.min(rect.left, document.documentElement.clientWidth - tip.offsetWidth - 8);
    tip.style.left = Math.max(8, left + window.scrollX) + "px";
    tip.style.top = (rect.bottom + window.scrollY + 6) + "px";
  }

  function hideTip() { if (tip) tip.hidden = true; }

  /* ---- fixes ------------------------------------------------------------------------------ */

  function replaceText(ta, start, end, text) {
    ta.focus();
    ta.setSelectionRange(start, end);
    var before = ta.value;
    var done = false;
    try {
      // The browser's own edit: it joins the undo history, so Ctrl-Z takes the fix back.
      done = text ? document.execCommand("insertText", false, text) : (start === end || document.execCommand("delete"));
    } catch (e) { done = false; }
    var expected = before.slice(0, start) + text + before.slice(end);
    if (!done || ta.value !== expected) {
      ta.value = before;
      ta.setRangeText(text, start, end, "end");
      ta.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function applyFix(button) {
    var ta = textarea();
    if (!ta || !state.linted) return;
    var base = state.linted.text;
    var start = utf16(base, parseInt(button.getAttribute("data-fix-start"), 10));
    var end = utf16(base, parseInt(button.getAttribute("data-fix-end"), 10));
    var r = mapRange(start, end, diff(base, ta.value));
    if (!r) { relint(ta); return; } // the agent changed those words since: check again first
    replaceText(ta, r.start, r.end, button.getAttribute("data-fix-text") || "");
    relint(ta);
  }

  function relint(ta) {
    if (window.htmx) window.htmx.trigger(ta, "coach:relint");
  }

  /* ---- the send gate ---------------------------------------------------------------------- */

  function gate() {
    var coach = document.getElementById("coach"), ta = textarea();
    var box = document.getElementById("send-gate"), send = document.getElementById("reply-send");
    if (!coach || !ta || !box || !send) return;
    var errors = parseInt(coach.getAttribute("data-errors") || "0", 10);
    var reason = document.getElementById("send-anyway-reason");
    var anyway = document.getElementById("send-anyway");
    // The box appears once the agent has written something (or was refused by the server):
    // a fresh reply box is not an error yet.
    var refused = anyway && anyway.open;
    box.hidden = !(refused || (reason && reason.value.trim()) || (errors > 0 && state.touched));
    send.setAttribute("aria-disabled", errors > 0 ? "true" : "false");
    send.classList.toggle("is-blocked", errors > 0);
  }

  function blockedSend(event) {
    var send = event.submitter || document.activeElement;
    if (!send || send.id !== "reply-send") return;
    var ta = textarea();
    if (send.getAttribute("aria-disabled") !== "true" || !state.linted || !ta) return;
    if (state.linted.text !== ta.value || state.pending) return; // not checked yet: the server decides
    event.preventDefault();
    event.stopPropagation();
    var box = document.getElementById("send-gate");
    state.touched = true;
    if (box) box.hidden = false;
    var first = document.querySelector("#coach .finding.sev-error");
    if (first) first.focus();
  }

  /* ---- wiring ----------------------------------------------------------------------------- */

  function init() {
    var ta = textarea();
    if (!ta || !editorOf(ta)) return;
    state.textarea = ta;
    readFindings(ta);
    draw(ta);
    gate();
    if (window.ResizeObserver && !ta.__coachObserved) {
      ta.__coachObserved = true;
      new ResizeObserver(function () { align(ta); }).observe(ta);
    }
  }

  document.addEventListener("DOMContentLoaded", init);
  window.addEventListener("resize", function () { var ta = textarea(); if (ta) align(ta); });
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(function () { var ta = textarea(); if (ta) align(ta); });

  document.addEventListener("input", function (event) {
    if (event.target.id !== "reply-body") return;
    state.lastInput = performance.now();
    state.touched = true;
    draw(event.target);
    caretChanged(event.target);
  });
  document.addEventListener("scroll", function (event) {
    if (event.target && event.target.id === "reply-body") { align(event.target); hideTip(); }
  }, true);
  ["keyup", "click", "select", "focus"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (event.target && event.target.id === "reply-body") caretChanged(event.target);
    }, name === "focus");
  });
  document.addEventListener("mousemove", function (event) {
    if (event.target && event.target.id === "reply-body") showTip(event.target, event.clientX, event.clientY);
    else hideTip();
  });
  document.addEventListener("focusin", function (event) {
    var item = event.target.closest && event.target.closest("#coach .finding");
    if (!item) return;
    setActive(item.getAttribute("data-i"));
    var mark = document.querySelector('.coach-highlights mark[data-i="' + item.getAttribute("data-i") + '"]');
    var ta = textarea();
    if (mark && ta) {
      // Bring the words into the textarea's view without moving the focus.
      var top = mark.offsetTop, bottom = top + mark.offsetHeight;
      if (top < ta.scrollTop || bottom > ta.scrollTop + ta.clientHeight) {
        ta.scrollTop = Math.max(0, top - ta.clientHeight / 3);
      }
    }
  });
  document.addEventListener("keydown", function (event) {
    var item = event.target.classList && event.target.classList.contains("finding") ? event.target : null;
    if (!item || event.key !== "Enter") return;
    // Enter on a finding applies its fix when it has one, else selects its words in the text.
    var fix = item.querySelector("button.fix");
    event.preventDefault();
    if (fix) { applyFix(fix); return; }
    var ta = textarea();
    if (!ta || !item.hasAttribute("data-start") || !state.linted) return;
    var base = state.linted.text;
    var r = mapRange(utf16(base, +item.getAttribute("data-start")), utf16(base, +item.getAttribute("data-end")), diff(base, ta.value));
    if (r) { ta.focus(); ta.setSelectionRange(r.start, r.end); }
  });
  document.addEventListener("click", function (event) {
    var fix = event.target.closest && event.target.closest("#coach button.fix");
    if (fix) { event.preventDefault(); applyFix(fix); }
  });
  document.addEventListener("input", function (event) {
    if (event.target.id === "send-anyway-reason") gate();
  });
  document.addEventListener("submit", function (event) {
    if (event.target.id === "reply-form") blockedSend(event);
  }, true);

  /* htmx: number each lint request, drop stale answers, measure, redraw. */
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.id !== "reply-body") return;
    state.seq += 1;
    event.detail.parameters.seq = state.seq;
    state.sent[state.seq] = event.detail.elt.value;
    state.started[state.seq] = performance.now();
    state.pending = true;
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.requestConfig && event.detail.requestConfig.elt && event.detail.requestConfig.elt.id === "reply-body") {
      var m = /data-seq="(\d+)"/.exec(event.detail.xhr.responseText || "");
      var seq = m ? parseInt(m[1], 10) : 0;
      if (seq < state.shown || seq < state.seq) event.detail.shouldSwap = false; // an older draft's answer
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var ta = textarea();
    if (!ta) return;
    var where = event.target;
    if (ta !== state.textarea) {
      // The ticket page was swapped (a boosted form): a new textarea and a new panel.
      state.seq = 0; state.shown = 0; state.sent = {}; state.started = {}; state.linted = null;
      state.pending = false; state.touched = false;
      state.textarea = ta;
      init();
    } else if (where && where.id === "reply-side") {
      readFindings(ta);
      draw(ta);
      caretChanged(ta);
      gate();
      state.pending = false;
      var started = state.started[state.shown];
      if (started !== undefined) {
        var now = performance.now();
        state.timings.push(now - started);
        if (state.lastInput) state.keystroke.push(now - state.lastInput);
        delete state.started[state.shown];
      }
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt && event.detail.elt.id === "reply-body" && !event.detail.successful) state.pending = false;
  });
})();
