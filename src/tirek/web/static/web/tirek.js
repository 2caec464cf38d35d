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

  function enhance(root) {
    enhanceAutosubmit(root);
    enhanceConsentChoice(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    enhance(event.target);
  });
  document.addEventListener("htmx:responseError", requestErrorShow);
  document.addEventListener("htmx:sendError", requestErrorShow);
  document.addEventListener("htmx:afterRequest", requestErrorClear);
})();
