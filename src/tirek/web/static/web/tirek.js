// Tirek: small progressive enhancements. Every page works without this file.
// No inline scripts anywhere, so a strict Content-Security-Policy can be set later.
(function () {
  "use strict";

  // A <select data-autosubmit> submits its form when changed (e.g. the agency switcher);
  // the button marked .js-hide is then not needed.
  function enhanceAutosubmit(root) {
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      var form = select.form;
      if (!form || select.dataset.enhanced) {
        return;
      }
      select.dataset.enhanced = "1";
      form.querySelectorAll(".js-hide").forEach(function (el) {
        el.hidden = true;
      });
      select.addEventListener("change", function () {
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.submit();
        }
      });
    });
  }

  // In the referral form, choosing a consent ticks the sections it covers and picks its agency.
  function enhanceConsentChoice(root) {
    root.querySelectorAll("select[data-consent-select]").forEach(function (select) {
      if (select.dataset.enhanced) {
        return;
      }
      select.dataset.enhanced = "1";
      select.addEventListener("change", function () {
        var option = select.options[select.selectedIndex];
        var form = select.form;
        if (!option || !form) {
          return;
        }
        var sections = (option.dataset.sections || "").split(" ").filter(Boolean);
        if (sections.length) {
          form.querySelectorAll('input[name="sections"]').forEach(function (box) {
            box.checked = sections.indexOf(box.value) !== -1;
          });
        }
        var agency = option.dataset.agency;
        var agencySelect = form.querySelector('select[name="to_agency"]');
        if (agency && agencySelect) {
          agencySelect.value = agency;
        }
      });
    });
  }

  // When an HTMX request fails (no connection, a server error), say so: otherwise the page
  // silently stays as it was, e.g. a screening result that no longer matches the ticks.
  function requestErrorShow() {
    var text = document.body.dataset.requestError;
    var main = document.getElementById("main");
    if (!text || !main) {
      return;
    }
    var box = document.getElementById("request-error");
    if (!box) {
      box = document.createElement("div");
      box.id = "request-error";
      box.className = "alert error";
      box.setAttribute("role", "alert");
      main.insertBefore(box, main.firstChild);
    }
    box.textContent = text;
  }

  function requestErrorClear(event) {
    var box = document.getElementById("request-error");
    if (box && event.detail && event.detail.successful) {
      box.remove();
    }
  }

  // After the case page is swapped in by HTMX (a tab opened, a form sent), keyboard focus goes
  // to the first error, else to the result (the message), else to the opened tab; never to
  // <body>. A page loaded with errors (a failed form without JavaScript's help) does the same.
  function focusable(el) {
    if (!el.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(el.tagName)) {
      el.setAttribute("tabindex", "-1");
    }
    return el;
  }

  function focusFirstError(root) {
    var field = root.querySelector(
      ".has-error input:not([type=hidden]), .has-error select, .has-error textarea"
    );
    var alert = root.querySelector(".alert.error, details[open] .alert.warning[role=alert]");
    if (alert && (!field || alert.compareDocumentPosition(field) & Node.DOCUMENT_POSITION_FOLLOWING)) {
      var details = alert.closest("details");
      if (details) {
        details.open = true;
      }
      focusable(alert).focus();
      return true;
    }
    if (field) {
      var box = field.closest("details");
      if (box) {
        box.open = true;
      }
      field.focus();
      return true;
    }
    return false;
  }

  // On a phone the tabs scroll sideways: keep the open one in sight.
  function currentTabShow(page) {
    var nav = page.querySelector(".case-tabs");
    var link = nav && nav.querySelector("a[aria-current=page]");
    if (link) {
      nav.scrollLeft = link.offsetLeft - (nav.clientWidth - link.offsetWidth) / 2;
    }
  }

  function casePageFocus(page, fromTab) {
    currentTabShow(page);
    if (focusFirstError(page)) {
      return;
    }
    var result = page.querySelector("[data-focus-result]");
    if (result && !fromTab) {
      result.focus();
      return;
    }
    var heading = document.getElementById("case-tab-heading");
    if (heading) {
      heading.focus();
    }
  }

  // A refusal that is not a case page (e.g. "this case is closed", answered 409) is shown
  // above the case instead of replacing it.
  function casePageKeep(event) {
    var detail = event.detail;
    if (!detail.target || detail.target.id !== "case-page" || !detail.shouldSwap) {
      return;
    }
    var text = detail.serverResponse || "";
    if (text.indexOf('id="case-page"') === -1) {
      var alerts = document.getElementById("case-alerts");
      if (alerts) {
        detail.target = alerts;
        detail.swapOverride = "innerHTML";
      }
    }
  }

  function casePageSwapped(event) {
    var target = event.detail && event.detail.target;
    if (!target) {
      return;
    }
    if (target.id === "case-alerts") {
      var alert = target.querySelector("[role=alert], .alert");
      if (alert) {
        focusable(alert).focus();
      }
      return;
    }
    var page = document.getElementById("case-page");
    if (page && (target === page || !document.body.contains(target))) {
      var verb = event.detail.requestConfig && event.detail.requestConfig.verb;
      casePageFocus(page, verb === "get");
    }
  }

  // In the referral form, "Refer here" beside a proposed provider chooses it as the recipient.
  function enhanceProviderChoice(root) {
    root.querySelectorAll("button[data-choose-agency]").forEach(function (button) {
      var form = button.closest("form");
      var select = form && form.querySelector("select[name=to_agency]");
      if (!select || button.dataset.enhanced) {
        return;
      }
      button.dataset.enhanced = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        select.value = button.dataset.chooseAgency;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        select.focus();
      });
    });
  }

  function enhance(root) {
    enhanceAutosubmit(root);
    enhanceConsentChoice(root);
    enhanceProviderChoice(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    var page = document.getElementById("case-page");
    if (page) {
      currentTabShow(page);
      focusFirstError(page);
    }
  });
  document.addEventListener("htmx:beforeSwap", casePageKeep);
  document.addEventListener("htmx:afterSettle", casePageSwapped);
  document.addEventListener("htmx:afterSwap", function (event) {
    enhance(event.target);
  });
  document.addEventListener("htmx:responseError", requestErrorShow);
  document.addEventListener("htmx:sendError", requestErrorShow);
  document.addEventListener("htmx:afterRequest", requestErrorClear);
})();
