/* The learner's language (issue 17).
 *
 * A page's language is fixed by its address: an English module is /voila/render/NN.ipynb, a
 * Thai one /voila/render/th/NN.ipynb, and the plain pages (landing page, glossary) take
 * ?lang=th. This script remembers the choice made with a language switch in the browser:
 * localStorage (the course's own memory of it) and a cookie, which the course server reads
 * when an address names no language (the landing page, /join from the trainer's QR code).
 * Links keep the language in the address (&lang=th): npkit.js adds it with the learner's code.
 * It also gives the other scripts their words in the page's language (window.npkitText).
 */
(function () {
  "use strict";
  var KEY = "npkit-lang";
  var COOKIE = "npk_lang";

  function remember(lang) {
    try { window.localStorage.setItem(KEY, lang); } catch (e) { /* private browsing */ }
    // One year; the path is the whole site so that / and /join see it.
    document.cookie = COOKIE + "=" + encodeURIComponent(lang) + "; path=/; max-age=31536000; SameSite=Lax";
  }

  function remembered() {
    try { return window.localStorage.getItem(KEY) || ""; } catch (e) { return ""; }
  }

  // The words of the course's scripts in the page's language: the page carries the
  // catalogue's entries of context "npkit.js" (npkit.course.dashboard.script_text) as JSON.
  // A script shows window.npkitText("English words"): the translation, else the English.
  var words = null;
  function text(english) {
    if (words === null) {
      try {
        var el = document.getElementById("npk-script-text");
        words = (el && JSON.parse(el.textContent)) || {};
      } catch (e) { words = {}; }
    }
    return Object.prototype.hasOwnProperty.call(words, english) ? words[english] : english;
  }

  // A sentence's {fields} filled in after it is translated: fill(T("Step {n} of {total}"), {...}).
  function fill(sentence, fields) {
    return sentence.replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : all;
    });
  }

  window.npkitText = text;
  window.npkitFill = fill;
  window.npkitLanguage = { remember: remember, remembered: remembered, text: text };

  document.addEventListener("click", function (ev) {
    var a = ev.target && ev.target.closest ? ev.target.closest("a[data-npk-lang]") : null;
    if (a) { remember(a.getAttribute("data-npk-lang")); }
  }, true);

  // An address that names the language (a shared link, ?lang=th) is a choice too; the page's
  // own language is remembered when the browser has no choice yet.
  var asked = new URLSearchParams(window.location.search).get("lang");
  if (asked) {
    remember(document.documentElement.getAttribute("lang") || asked);
  } else if (!remembered() && document.cookie.indexOf(COOKIE + "=") >= 0) {
    try { window.localStorage.setItem(KEY, document.documentElement.getAttribute("lang")); } catch (e) { /* ignore */ }
  }
})();
