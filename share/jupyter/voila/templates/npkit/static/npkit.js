/* npkit's only script of its own: no library, nothing fetched.
 *
 * 1. Every link marked data-npk-nav (top bar, module header, pager, landing page) carries the
 *    learner of this page: ?learner=<code>&nick=<nickname>, as agreed for the kernel side
 *    (voila.utils.get_query_string). Links inside widgets appear late, so a MutationObserver
 *    keeps them right, and a click handler checks again just before leaving.
 * 2. The top bar names the learner (or offers a code when the page has none).
 * 3. On the landing page: "Start" asks the course server for a new code (kept in localStorage so
 *    a returning learner keeps it), "I already have a code", "Not you? Start afresh", and the
 *    learner's progress in every module with "Continue where you left off". Codes are checked
 *    by the course server (npkit/course/learner_api.py, POST: the code stays out of addresses
 *    and logs): a code it does not know gets "No answers are saved under ... yet. Is the code
 *    right?" with "Re-enter" and "Start fresh", here and on a module page whose address names
 *    it; a mistyped one gets the server's message saying what is wrong with it.
 * 4. On the workshop join page (body data-npk-workshop="trainees"), reached by the link the
 *    trainer shows (?session=CODE, no learner): the kernel reads the learner from the page's
 *    address, and without one a reload would give the trainee a new seat (and a re-sent answer
 *    would count twice). So the page takes the learner remembered in localStorage if the
 *    course server knows it, or asks the server for a new code as "Start" does (codes are only
 *    ever made by the server), remembers it, and reloads itself with &learner=<code> added
 *    (location.replace: no extra history entry), after asking Voila to shut down the kernel it
 *    had started for the address without a learner. When the trainee presses Join,
 *    the nickname goes into the address (&nick=) too, so a reload seats them again by itself.
 * Text from the URL or the learner is only ever set with textContent, never as HTML.
 */
(function () {
  "use strict";

  // The page's words in its language: npkit-lang.js (loaded first).
  var T = window.npkitText;

  // The shape of a learner code (npkit.store.codes.SHAPE); the server checks the words too.
  var CODE = /^[a-z]{2,12}-[a-z]{2,12}-[1-9][0-9]{2,3}$/;
  var KEY = "npkit-learner";
  var NICK_MAX = 40;

  function cleanNick(value) {
    return String(value || "").replace(/[\u0000-\u001f\u007f]/g, " ").replace(/\s+/g, " ")
      .trim().slice(0, NICK_MAX);
  }

  // A typed or linked code as codes are kept: lower case, spaces/underscores/dashes as one "-".
  function normalCode(value) {
    return String(value || "").toLowerCase().replace(/[\s_\-\u2010-\u2015\u2212]+/g, "-")
      .replace(/^-+|-+$/g, "");
  }

  function learner(code, nick) {
    code = normalCode(code);
    return CODE.test(code) ? { learner: code, nick: cleanNick(nick) } : null;
  }

  function fromUrl() {
    var p = new URLSearchParams(window.location.search);
    return learner(p.get("learner"), p.get("nick"));
  }

  function stored() {
    try {
      var v = JSON.parse(window.localStorage.getItem(KEY) || "null");
      return v ? learner(v.learner, v.nick) : null;
    } catch (e) {
      return null;
    }
  }

  function store(who) {
    try {
      if (who) {
        window.localStorage.setItem(KEY, JSON.stringify(who));
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (e) { /* private browsing: the code still travels in the links */ }
  }

  function pageLang() {
    return new URLSearchParams(window.location.search).get("lang") || "";
  }

  // lang: the language the link names (?lang=th, issue 17), kept beside the learner.
  function query(who, lang) {
    var p = new URLSearchParams();
    if (who) {
      p.set("learner", who.learner);
      if (who.nick) { p.set("nick", who.nick); }
    }
    if (lang) { p.set("lang", lang); }
    var q = p.toString();
    return q ? "?" + q : "";
  }

  // The learner whose answers this page keeps: the one in the URL (module pages), or on the
  // landing page the one chosen there.
  var current = fromUrl();

  function withQuery(href, who) {
    var hash = "";
    var i = href.indexOf("#");
    if (i >= 0) { hash = href.slice(i); href = href.slice(0, i); }
    var lang = "";
    i = href.indexOf("?");
    if (i >= 0) {
      lang = new URLSearchParams(href.slice(i + 1)).get("lang") || "";
      href = href.slice(0, i);
    }
    return href + query(who, lang) + hash;
  }

  // The landing page: data-base-url is "<base>voila/" on every page of the template.
  function homeUrl() {
    var base = (document.body && document.body.getAttribute("data-base-url")) || "/voila/";
    return base.replace(/voila\/$/, "");
  }

  function fixLink(a) {
    if (!a.hasAttribute("data-npk-href")) {
      // data-npk-home: "All modules" in a module header, which means module 0 in JupyterLab;
      // here the landing page, in the language the link names (a Thai page's: ?lang=th).
      var href = a.getAttribute("href") || "";
      if (a.hasAttribute("data-npk-home")) {
        var at = href.indexOf("?");
        var lang = at < 0 ? "" : new URLSearchParams(href.slice(at + 1).split("#")[0]).get("lang");
        href = homeUrl() + (lang ? "?" + new URLSearchParams([["lang", lang]]).toString() : "");
      }
      a.setAttribute("data-npk-href", href);
    }
    var want = withQuery(a.getAttribute("data-npk-href"), current);
    if (a.getAttribute("href") !== want) { a.setAttribute("href", want); }
  }

  function fixLinks(root) {
    var links = (root || document).querySelectorAll("a[data-npk-nav]");
    for (var i = 0; i < links.length; i++) { fixLink(links[i]); }
  }

  function closestNav(node) {
    while (node && node.nodeType === 1) {
      if (node.tagName === "A" && node.hasAttribute("data-npk-nav")) { return node; }
      node = node.parentNode;
    }
    return null;
  }

  ["click", "auxclick", "contextmenu", "focusin", "mouseover"].forEach(function (type) {
    document.addEventListener(type, function (ev) {
      var a = closestNav(ev.target);
      if (a) { fixLink(a); }
    }, true);
  });

  function say(el, parts) {
    // parts: strings and {text, href} links; built with DOM calls, never innerHTML.
    while (el.firstChild) { el.removeChild(el.firstChild); }
    parts.forEach(function (part) {
      if (typeof part === "string") {
        el.appendChild(document.createTextNode(part));
      } else {
        var node = document.createElement(part.href ? "a" : "strong");
        node.textContent = part.text;
        if (part.href) { node.setAttribute("href", part.href); }
        el.appendChild(node);
      }
    });
  }

  function showWho() {
    var el = document.getElementById("npk-who");
    if (!el) { return; }
    if (seatProblem) { say(el, [seatProblem]); return; }
    // Workshop pages (npk-workshop) keep answers in the session, not under a learner code:
    // no "answers here are not kept" line there.
    var module = document.body && document.body.classList.contains("npk-module") &&
      !document.body.classList.contains("npk-workshop");
    if (current) {
      say(el, [T("Learner") + " ", { text: current.learner },
        current.nick ? " (" + current.nick + ")" : ""]);
    } else if (!module) {
      say(el, []);  // the landing page has its own panel; error pages need no nagging
    } else {
      var known = stored();
      var home = homeUrl();
      if (known) {
        say(el, [T("No learner code on this page, so answers here are not kept.") + " ",
          { text: T("Continue as {code}").replace("{code}", known.learner),
            href: window.location.pathname + query(known, pageLang()) }]);
      } else {
        say(el, [T("No learner code on this page, so answers here are not kept.") + " ",
          { text: T("Get a code on the start page"), href: home + (pageLang() ? "?lang=" + pageLang() : "") }]);
      }
    }
  }

  // --- the course server's learner API (POST bodies: codes stay out of addresses and logs) --

  // The words of a reply the server could not give (its own replies come in the page's
  // language: api() names it).
  function unreachable() {
    return T("The course could not be reached just now. Try again in a moment; if it " +
      "keeps happening, tell your trainer.");
  }

  // The page's language, for the server's replies (npkit/course/learner_api.py).
  function replyLang() {
    return (document.documentElement && document.documentElement.getAttribute("lang")) || "en";
  }

  function xsrfToken() {
    var found = document.cookie.match(/(?:^|;\s*)_xsrf=([^;]*)/);
    return found ? found[1] : "";
  }

  // Resolves to the server's reply ({status: "known" | "unknown" | "invalid" | "wait" |
  // "error", ...}); never rejects.
  function api(action, body) {
    var url = homeUrl() + "npkit/api/learner";
    var ready = xsrfToken() ? Promise.resolve() :
      window.fetch(url, { credentials: "same-origin" });
    return ready.then(function () {
      return window.fetch(url + "/" + action, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-XSRFToken": xsrfToken() },
        body: JSON.stringify(Object.assign({ lang: replyLang() }, body))
      });
    }).then(function (response) {
      return response.json().then(function (reply) {
        return reply && typeof reply.status === "string" ? reply :
          { status: "error", message: unreachable() };
      });
    }).catch(function () {
      return { status: "error", message: unreachable() };
    });
  }

  function node(tag, text, className) {
    var el = document.createElement(tag);
    if (text) { el.textContent = text; }
    if (className) { el.className = className; }
    return el;
  }

  // "No answers are saved under ... yet. Is the code right?" (or why a code is not one), with
  // "Re-enter" and "Start fresh". The message is announced (role=alert) as the box appears.
  function hidePrompt() {
    var old = document.getElementById("npk-code-prompt");
    if (old) { old.parentNode.removeChild(old); }
  }

  function showPrompt(message, place, actions, focus) {
    hidePrompt();
    var box = node("div", "", "npk-code-prompt");
    box.id = "npk-code-prompt";
    var said = node("p", message, "npk-code-problem");
    said.id = "npk-code-problem";
    said.setAttribute("role", "alert");
    box.appendChild(said);
    box.appendChild(node("p", T("Re-enter the code if it was mistyped. Start fresh to get a " +
      "new code, with no answers saved yet."), "npk-help"));
    var row = node("p", "", "npk-actions");
    var first = null;
    [[T("Re-enter"), "npk-primary", actions.reenter], [T("Start fresh"), "", actions.fresh]]
      .forEach(function (spec) {
        var b = node("button", spec[0], "npk-button " + spec[1]);
        b.type = "button";
        b.setAttribute("aria-describedby", "npk-code-problem");
        b.addEventListener("click", spec[2]);
        row.appendChild(b);
        first = first || b;
      });
    var error = node("p", "", "npk-help npk-code-error");
    error.setAttribute("role", "status");
    box.appendChild(row);
    box.appendChild(error);
    place(box);
    if (focus) { first.focus(); }
    return error;
  }

  function placeAfterTopbar(box) {
    var bar = document.querySelector(".npk-topbar");
    if (bar && bar.parentNode) {
      bar.parentNode.insertBefore(box, bar.nextSibling);
    } else {
      document.body.insertBefore(box, document.body.firstChild);
    }
  }

  function landing() {
    var section = document.getElementById("npk-learner");
    if (!section) { return; }
    var formBox = document.getElementById("npk-learner-form");
    var knownBox = document.getElementById("npk-learner-known");
    var nick = document.getElementById("npk-nick");
    var codeInput = document.getElementById("npk-code");
    var codeError = document.getElementById("npk-code-error");
    var startError = document.getElementById("npk-start-error");
    var summary = document.getElementById("npk-progress-summary");
    var begin = document.getElementById("npk-begin");
    var beginText = document.getElementById("npk-begin-text");
    var beginLabel = beginText.textContent;
    var beginHref = begin.getAttribute("href");

    if (current) {
      store(current);  // arriving with ?learner=... (e.g. "All modules" from a module)
    } else {
      current = stored();
    }

    function render(focus) {
      var known = !!current;
      formBox.hidden = known;
      knownBox.hidden = !known;
      if (known) {
        document.getElementById("npk-code-shown").textContent = current.learner;
        document.getElementById("npk-nick-shown").textContent =
          current.nick ? " (" + current.nick + ")" : "";
        // Keep the address bar in step, so a bookmark of this page keeps the learner too.
        window.history.replaceState(null, "", window.location.pathname + query(current, pageLang()));
      } else {
        window.history.replaceState(null, "", window.location.pathname);
        showProgress(null);
      }
      fixLinks(document);
      showWho();
      if (focus) { focus.focus(); }
    }

    // Each module card's line, the summary, and where "Continue" leads (text only).
    function showProgress(reply) {
      var lines = document.querySelectorAll("[data-npk-progress]");
      for (var i = 0; i < lines.length; i++) { lines[i].hidden = true; lines[i].textContent = ""; }
      summary.textContent = reply ? reply.summary || "" : "";
      var next = reply && reply["continue"];
      beginText.textContent = next ? next.text : beginLabel;
      begin.setAttribute("data-npk-href", next ?
        document.body.getAttribute("data-base-url") + "render/" + next.notebook : beginHref);
      if (reply) {
        (reply.modules || []).forEach(function (m) {
          var line = document.querySelector("[data-npk-progress='" + Number(m.number) + "']");
          if (line) {
            line.textContent = m.text;
            line.setAttribute("data-state", m.state);
            line.hidden = false;
          }
        });
      }
      fixLinks(document);
    }

    function adoptReply(reply, nickTyped, focus) {
      current = { learner: reply.code, nick: cleanNick(nickTyped || reply.nickname) };
      store(current);
      hidePrompt();
      render(focus ? begin : null);
      showProgress(reply);
    }

    function startFresh(errorLine) {
      return function () {
        errorLine.textContent = T("Asking the course for a new code…");
        api("new", { nickname: cleanNick(nick.value) }).then(function (reply) {
          if (reply.status === "known") {
            errorLine.textContent = "";
            adoptReply(reply, nick.value, true);
          } else {
            errorLine.textContent = reply.message || unreachable();
          }
        });
      };
    }

    function unknownCode(message, typed, focus) {
      current = null;
      store(null);
      render(null);
      var errorLine = null;
      errorLine = showPrompt(message, function (box) {
        formBox.parentNode.insertBefore(box, formBox);
      }, {
        reenter: function () {
          hidePrompt();
          document.querySelector(".npk-have-code").open = true;
          codeInput.value = typed;
          codeInput.focus();
          codeInput.select();
        },
        fresh: function () { startFresh(errorLine)(); }
      }, focus);
    }

    function checkCode(who, focus) {
      summary.textContent = T("Checking your code…");
      api("check", { code: who.learner }).then(function (reply) {
        if (reply.status === "known") {
          adoptReply(reply, who.nick, focus);
        } else if (reply.status === "unknown" || reply.status === "invalid") {
          unknownCode(reply.message, who.learner, focus);
        } else {
          summary.textContent = reply.message || unreachable();  // keep the code; say why
        }
      });
    }

    document.getElementById("npk-start-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      startFresh(startError)();
    });

    document.getElementById("npk-code-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var typed = codeInput.value;
      codeError.textContent = T("Checking the code…");
      api("check", { code: typed }).then(function (reply) {
        if (reply.status === "known") {
          codeError.textContent = "";
          codeInput.removeAttribute("aria-invalid");
          adoptReply(reply, nick.value, true);
        } else if (reply.status === "unknown") {
          codeError.textContent = "";
          codeInput.removeAttribute("aria-invalid");
          unknownCode(reply.message, reply.code, true);
        } else {
          codeError.textContent = reply.message || unreachable();
          codeInput.setAttribute("aria-invalid", "true");
          codeInput.focus();
        }
      });
    });

    document.getElementById("npk-afresh").addEventListener("click", function () {
      current = null;
      store(null);
      nick.value = "";
      hidePrompt();
      render(nick);
    });

    // From a module page's "Re-enter": #re-enter=<code> opens the code form with it.
    var again = /^#re-enter=(.*)$/.exec(window.location.hash);
    if (again) {
      current = null;
      store(null);
      render(null);
      document.querySelector(".npk-have-code").open = true;
      try { codeInput.value = decodeURIComponent(again[1]).slice(0, 40); } catch (e) { /* bad */ }
      codeInput.focus();
      return;
    }
    render(null);
    if (current) { checkCode(current, false); }
  }

  // A module page whose address names a learner the course does not know: say so, with
  // "Re-enter" (back to the start page's code form) and "Start fresh" (a new code, this page).
  function checkModuleCode() {
    var body = document.body;
    if (!body || !body.classList.contains("npk-module") || body.classList.contains("npk-workshop")) {
      return;
    }
    var given = new URLSearchParams(window.location.search).get("learner");
    if (given === null) { return; }
    api("check", { code: given }).then(function (reply) {
      if (reply.status !== "unknown" && reply.status !== "invalid") { return; }
      var typed = reply.code || normalCode(given);
      var known = stored();
      if (known && known.learner === typed) { store(null); }
      var nick = current ? current.nick : "";
      current = null;  // links stop carrying a code that names nobody
      fixLinks(document);
      showWho();
      var errorLine = null;
      errorLine = showPrompt(reply.message, placeAfterTopbar, {
        reenter: function () {
          window.location.assign(homeUrl() + "#re-enter=" + encodeURIComponent(typed));
        },
        fresh: function () {
          errorLine.textContent = T("Asking the course for a new code…");
          api("new", { nickname: nick }).then(function (made) {
            if (made.status !== "known") {
              errorLine.textContent = made.message || unreachable();
              return;
            }
            var who = { learner: made.code, nick: cleanNick(nick) };
            store(who);
            var id = pageKernel();
            if (id) { shutDownKernel(id); }
            window.location.replace(window.location.pathname + query(who, pageLang()));
          });
        }
      }, false);
    });
  }

  // --- 4. the workshop join page -----------------------------------------------------------

  var seat = "";  // "asking" while the server is asked for the learner, "failed" if it gave none
  var waiting = false;  // start() came while the server was being asked
  var seatProblem = "";  // why the page has no learner code (shown in the top bar)

  function joinPage() {
    return !!document.body && document.body.getAttribute("data-npk-workshop") === "trainees";
  }

  function addressWith(params) {
    return window.location.pathname + "?" + params.toString() + window.location.hash;
  }

  // The id of the kernel Voila started for this page, once its config has arrived whole
  // ("" if it has none, null while it may still come).
  function pageKernel() {
    var el = document.getElementById("jupyter-config-data");
    if (!el) { return document.readyState === "loading" ? null : ""; }
    try {
      return String(JSON.parse(el.textContent).kernelId || "");
    } catch (e) {
      return document.readyState === "loading" ? null : "";
    }
  }

  // What Voila's page does on leaving (its beforeunload handler is not loaded yet this early).
  function shutDownKernel(id) {
    try {
      var form = new FormData();
      var xsrf = document.cookie.match(/\b_xsrf=([^;]*)\b/);
      form.append("_xsrf", (xsrf && xsrf[1]) || "");
      window.navigator.sendBeacon(document.body.getAttribute("data-base-url") +
        "api/shutdown/" + encodeURIComponent(id), form);
    } catch (e) { /* the idle cull ends it later */ }
  }

  function reloadWith(target) {
    var observer = null;
    var done = false;

    function go() {
      if (done) { return; }
      var id = pageKernel();
      if (id === null) { return; }  // the page's kernel id has not arrived yet
      done = true;
      if (observer) { observer.disconnect(); }
      if (id) { shutDownKernel(id); }
      window.location.replace(target);
    }

    go();
    if (!done) {
      if (window.MutationObserver) {
        observer = new MutationObserver(go);
        observer.observe(document.documentElement, { childList: true, subtree: true });
      }
      document.addEventListener("DOMContentLoaded", go);
    }
  }

  // The learner the join page reloads with: the remembered one if the server knows it (if the
  // server cannot be asked, it is kept: the seat matters more), else a code the server issues.
  function seatLearner(who) {
    var asked = who ? api("check", { code: who.learner }) : Promise.resolve({ status: "none" });
    return asked.then(function (reply) {
      if (reply.status === "known" || (who && reply.status === "error")) { return who; }
      return api("new", { nickname: who ? who.nick : "" }).then(function (made) {
        if (made.status !== "known") { return made.message || unreachable(); }
        return { learner: made.code, nick: who ? who.nick : "" };
      });
    });
  }

  function workshopLearner() {
    if (seat === "failed" || current || !joinPage()) { return false; }
    if (seat) { return true; }
    seat = "asking";
    seatLearner(stored()).then(function (who) {
      if (typeof who === "string") {  // no code: the page works, but a reload loses the seat
        seat = "failed";
        seatProblem = who;
        if (waiting) { start(); } else { showWho(); }
        return;
      }
      store(who);
      var params = new URLSearchParams(window.location.search);
      params.set("learner", who.learner);  // also replaces a malformed or repeated one
      if (who.nick && !params.get("nick")) { params.set("nick", who.nick); }
      reloadWith(addressWith(params));
    });
    return true;
  }

  // Join pressed: the nickname typed joins the learner in the address and in localStorage.
  document.addEventListener("click", function (ev) {
    var target = ev.target;
    var button = target && target.closest ? target.closest(".npk-join-button") : null;
    if (!button || !current || !joinPage()) { return; }
    var input = document.querySelector(".npk-join-nick input");
    var nick = cleanNick(input && input.value);
    if (!nick || nick === current.nick) { return; }
    current = { learner: current.learner, nick: nick };
    store(current);
    var params = new URLSearchParams(window.location.search);
    params.set("nick", nick);
    window.history.replaceState(window.history.state, "", addressWith(params));
    fixLinks(document);
    showWho();
  }, true);

  // Called inline right after the top bar, so the bar is right while a module still loads.
  window.npkitTopbar = function () {
    if (workshopLearner()) { return; }
    var bar = document.querySelector(".npk-topbar");
    if (bar) { fixLinks(bar); }
    showWho();
  };

  function start() {
    if (workshopLearner()) { waiting = true; return; }
    landing();
    checkModuleCode();
    fixLinks(document);
    showWho();
    if (window.MutationObserver) {
      new MutationObserver(function (records) {
        for (var i = 0; i < records.length; i++) {
          if (records[i].addedNodes.length) { fixLinks(document); return; }
        }
      }).observe(document.body, { childList: true, subtree: true });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/* --- The workshop pages (09_workshop_trainer, 08_workshop_join) -------------------------------
 * Kept apart from the script above on purpose: it touches nothing of it.
 *
 * The trainer's page (body data-npk-workshop="trainers"):
 *  - Resume without the secret in an address. This browser remembers the sessions it started
 *    or opened, in localStorage ("npkit-trainer-sessions": code -> secret, title, time; the
 *    kernel asks through the hidden .npk-trainer-vault, and the script removes what it read).
 *    On loading, it types "session=CODE&secret=SECRET&offer=1" for the newest one into the
 *    page's hidden field (.npk-trainer-key, an ipywidgets Password), and the page offers
 *    "Resume session CODE". The kernel reads the field, empties it and checks the secret in
 *    the store, as it would any other input.
 *  - The trainer link, 09_workshop_trainer.ipynb?session=CODE#secret=SECRET, carries its secret
 *    after "#", which a browser never sends to a server. The script takes it out of the
 *    address bar at once (history.replaceState: it stays out of the history and of a bookmark
 *    of the opened page), remembers it, and hands "session=CODE&secret=SECRET" over, which
 *    opens the session. An address with ?session=CODE whose secret this browser remembers
 *    (a reload of such a page) opens it the same way. Following the trainer link again on
 *    its own page only changes the fragment (no reload): the hashchange does the same.
 *  - The page's own address (origin and base path) goes into .npk-trainer-origin, from which
 *    the kernel makes the join address it shows the room (npkit.course.room).
 * The join page (data-npk-workshop="trainees"):
 *  - The code field gets a phone keyboard that suits it: capitals, no autocorrect or
 *    suggestions.
 *  - Once the trainee has joined, the page names the seat (.npk-seat: code and nickname), and
 *    the script writes both into the address (session=, nick=, beside learner=), so a reload,
 *    which phones do by themselves, seats the trainee again however they came in.
 * Both: a countdown ([data-npk-countdown], seconds left when drawn) is counted down here
 * each second; the store closes the question when it ends, whatever the page shows.
 * Text read from the page is only ever set with textContent or as attributes, never as HTML.
 */
(function () {
  "use strict";

  // The page's words in its language: npkit-lang.js (loaded first).
  var T = window.npkitText;

  var STORE = "npkit-trainer-sessions";
  var KEEP_DAYS = 14;
  var KEEP_SESSIONS = 5;
  var MAX_SECRET = 200;
  var CODE = /^[A-Z0-9]{6}$/;

  function audience() {
    return (document.body && document.body.getAttribute("data-npk-workshop")) || "";
  }

  // --- remembered trainer sessions ---------------------------------------------------------

  function sessions() {
    try {
      var all = JSON.parse(window.localStorage.getItem(STORE) || "{}");
      var fresh = {};
      var oldest = Date.now() - KEEP_DAYS * 86400000;
      Object.keys(all || {}).forEach(function (code) {
        var s = all[code];
        if (CODE.test(code) && s && typeof s.secret === "string" && s.secret &&
            s.secret.length <= MAX_SECRET && (s.at || 0) > oldest) {
          fresh[code] = { secret: s.secret, title: String(s.title || ""), at: s.at };
        }
      });
      return fresh;
    } catch (e) {
      return {};
    }
  }

  function save(all) {
    var codes = Object.keys(all).sort(function (a, b) { return all[b].at - all[a].at; });
    var kept = {};
    codes.slice(0, KEEP_SESSIONS).forEach(function (c) { kept[c] = all[c]; });
    try {
      window.localStorage.setItem(STORE, JSON.stringify(kept));
    } catch (e) { /* storage refused: the trainer link still works */ }
  }

  function remember(code, secret, title) {
    if (!CODE.test(code) || !secret || secret.length > MAX_SECRET) { return; }
    var all = sessions();
    all[code] = { secret: secret, title: title || (all[code] && all[code].title) || "",
      at: Date.now() };
    save(all);
  }

  function forget(code) {
    var all = sessions();
    if (all[code]) { delete all[code]; save(all); }
  }

  function newest() {
    var all = sessions();
    var codes = Object.keys(all).sort(function (a, b) { return all[b].at - all[a].at; });
    return codes.length ? { code: codes[0], secret: all[codes[0]].secret } : null;
  }

  function sessionCode() {
    var codes = new URLSearchParams(window.location.search).getAll("session");
    return codes.length === 1 ? codes[0] : "";
  }

  // The secret of the address's fragment, taken out of the address and remembered; "" if
  // there is none.
  function takeSecret() {
    var hash = window.location.hash.replace(/^#/, "");
    if (hash.indexOf("secret=") < 0) { return ""; }
    var fields = new URLSearchParams(hash);
    var secret = fields.getAll("secret").length === 1 ? fields.get("secret") : "";
    fields.delete("secret");
    var rest = fields.toString();
    window.history.replaceState(window.history.state, "", window.location.pathname +
      window.location.search + (rest ? "#" + rest : ""));
    var code = sessionCode();
    if (!secret || secret.length > MAX_SECRET || !code) { return ""; }
    remember(code, secret, "");
    return secret;
  }

  // --- handing values to the kernel through hidden widget fields ---------------------------

  var waiting = [];  // [selector, value]: typed in once the field is on the page

  function type(selector, value) {
    var input = document.querySelector(selector);
    if (!input) { return false; }
    input.value = value;
    // ipywidgets' text views send their value to the kernel on "change".
    input.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  function handTo(selector, value) {
    if (!type(selector, value)) { waiting.push([selector, value]); }
  }

  function handOver() {
    if (audience() !== "trainers") { return; }
    var code = sessionCode();
    var known = code && sessions()[code];
    var value;
    if (known) {
      value = new URLSearchParams([["session", code], ["secret", known.secret]]);
    } else {
      var last = newest();
      if (!last) { return; }
      value = new URLSearchParams([["session", last.code], ["secret", last.secret],
        ["offer", "1"]]);
    }
    handTo(".npk-trainer-key input", value.toString());
  }

  function pageAddress() {
    var base = (document.body && document.body.getAttribute("data-base-url")) || "/voila/";
    return window.location.origin + base.replace(/voila\/$/, "");
  }

  // --- what the kernel's pages put on the page ---------------------------------------------

  function readVault(root) {
    var notes = root.querySelectorAll(".npk-trainer-vault [data-npk-vault]");
    for (var i = 0; i < notes.length; i++) {
      var n = notes[i];
      var code = n.getAttribute("data-code") || "";
      if (n.getAttribute("data-npk-vault") === "remember") {
        remember(code, n.getAttribute("data-secret") || "", n.getAttribute("data-title"));
      } else if (n.getAttribute("data-npk-vault") === "forget") {
        forget(code);
      }
      n.parentNode.removeChild(n);  // read once; the secret leaves the page
    }
  }

  function codeField(root) {
    var inputs = root.querySelectorAll(".npk-join-code input, .npk-join-nick input");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.hasAttribute("data-npk-keyboard")) { continue; }
      input.setAttribute("data-npk-keyboard", "");
      input.setAttribute("autocomplete", "off");
      input.setAttribute("autocorrect", "off");
      input.setAttribute("spellcheck", "false");
      if (input.closest(".npk-join-code")) {
        input.setAttribute("autocapitalize", "characters");
        input.setAttribute("inputmode", "text");
        input.setAttribute("enterkeyhint", "next");
        input.setAttribute("maxlength", "20");
      } else {
        input.setAttribute("autocapitalize", "words");
        input.setAttribute("enterkeyhint", "go");
      }
    }
  }

  function keepSeat(root) {
    var seat = root.querySelector(".npk-seat[data-session]");
    if (!seat || audience() !== "trainees") { return; }
    var code = seat.getAttribute("data-session") || "";
    var nick = seat.getAttribute("data-nick") || "";
    if (!CODE.test(code)) { return; }
    var params = new URLSearchParams(window.location.search);
    if (params.get("session") === code && params.get("nick") === nick) { return; }
    params.set("session", code);
    if (nick) { params.set("nick", nick); }
    window.history.replaceState(window.history.state, "", window.location.pathname + "?" +
      params.toString() + window.location.hash);
  }

  var counted = typeof WeakMap === "function" ? new WeakMap() : null;

  // "1:05 left" / "Time is up" in the page's language: the kernel writes its words on the
  // countdown (data-npk-left with {time}, data-npk-up); the catalogue's are the fallback.
  function timeLeft(el, seconds) {
    if (seconds <= 0) { return el.getAttribute("data-npk-up") || T("Time is up"); }
    var s = seconds % 60;
    var time = Math.floor(seconds / 60) + ":" + (s < 10 ? "0" : "") + s;
    return (el.getAttribute("data-npk-left") || T("{time} left")).replace("{time}", time);
  }

  function tick() {
    if (!counted) { return; }
    var clocks = document.querySelectorAll("[data-npk-countdown]");
    var now = Date.now();
    for (var i = 0; i < clocks.length; i++) {
      var el = clocks[i];
      if (!counted.has(el)) {
        counted.set(el, now + 1000 * (parseInt(el.getAttribute("data-npk-countdown"), 10) || 0));
      }
      var left = Math.max(0, Math.ceil((counted.get(el) - now) / 1000));
      var text = el.querySelector(".npk-countdown-text");
      var shown = timeLeft(el, left);
      if (text && text.textContent !== shown) { text.textContent = shown; }
    }
  }

  function look() {
    readVault(document);
    codeField(document);
    keepSeat(document);
    waiting = waiting.filter(function (w) { return !type(w[0], w[1]); });
  }

  takeSecret();  // at once, while the page is still loading
  window.addEventListener("hashchange", function () {
    if (takeSecret()) { handOver(); }
  });

  function start() {
    var who = audience();
    if (!who) { return; }
    if (who === "trainers") {
      handTo(".npk-trainer-origin input", pageAddress());
      handOver();
    }
    look();
    if (window.MutationObserver) {
      new MutationObserver(look).observe(document.body, { childList: true, subtree: true });
    }
    window.setInterval(tick, 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/* --- Decide first: the result where the eyes are (issue 14) ----------------------------------
 * Kept apart from the scripts above: it touches nothing of them.
 *
 * After Check, Compare or Check answers, a widget puts a one-line summary at the top of its
 * result, marked data-npk-reveal="N" (N: how many times the learner has pressed; the summary
 * is a role=status live region, so a screen reader hears it). Focus stays on the button, and
 * the result may open below the fold: scroll the summary into view when its N changes, but
 * only just after the learner acted (a click or a key). A page that restores saved answers
 * as it loads keeps its place, and a result redrawn as an answer changes (same N) stays put.
 * Modules 3 and 4 ask "Which of these 8 models protect Jane ...?" with one checkbox each: the
 * checkboxes (.npk-box-guess) become one group named by that question (.npk-guess-question in
 * the widget just before them), which changes with the case.
 */
(function () {
  "use strict";

  var RECENT_MS = 10000;  // a result drawn this long after the learner's last action
  var lastAction = 0;
  var shown = new WeakMap();  // the widget holding a summary -> the N it showed last

  ["click", "keydown"].forEach(function (type) {
    document.addEventListener(type, function () { lastAction = Date.now(); }, true);
  });

  function look(el) {
    var holder = el.closest(".widget-html, .jupyter-widget-html") || el.parentElement;
    var n = el.getAttribute("data-npk-reveal");
    if (!holder || shown.get(holder) === n) { return; }
    shown.set(holder, n);
    if (Date.now() - lastAction < RECENT_MS) {
      el.scrollIntoView({ block: "start" });
    }
  }

  function nameGroups() {
    document.querySelectorAll(".npk-box-guess").forEach(function (box) {
      var before = box.previousElementSibling;
      var question = before && before.querySelector(".npk-guess-question");
      box.setAttribute("role", "group");
      if (question) { box.setAttribute("aria-label", question.textContent.trim()); }
    });
  }

  function scan(node) {
    if (node.nodeType !== 1) { return; }
    if (node.matches("[data-npk-reveal]")) { look(node); }
    node.querySelectorAll("[data-npk-reveal]").forEach(look);
  }

  function start() {
    if (!window.MutationObserver || !document.body) { return; }
    document.querySelectorAll("[data-npk-reveal]").forEach(look);
    nameGroups();
    new MutationObserver(function (records) {
      records.forEach(function (r) { r.addedNodes.forEach(scan); });
      nameGroups();
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
