// นิเทศ Online: small behaviours shared by every page. No inline scripts (the CSP forbids them).
(function () {
  "use strict";

  // Ask before destructive actions: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Refuse a file larger than the server accepts before uploading it, with the reason in Thai.
  function checkFileSize(input) {
    var limit = parseInt(input.getAttribute("data-max-bytes") || "0", 10);
    var tooBig = limit && Array.prototype.some.call(input.files || [], function (file) {
      return file.size > limit;
    });
    var message = tooBig ? "ไฟล์มีขนาดใหญ่เกินกำหนด (สูงสุด " + Math.floor(limit / 1048576) + " MB)" : "";
    input.setCustomValidity(message);
    var feedback = input.parentElement.querySelector(".js-size-feedback");
    if (!feedback) {
      feedback = document.createElement("div");
      feedback.className = "invalid-feedback d-block js-size-feedback";
      input.insertAdjacentElement("afterend", feedback);
    }
    feedback.textContent = message;
    input.classList.toggle("is-invalid", !!tooBig);
    return !tooBig;
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[type=file][data-max-bytes]")) {
      checkFileSize(event.target);
    }
  });
  document.addEventListener("submit", function (event) {
    var inputs = event.target.querySelectorAll("input[type=file][data-max-bytes]");
    for (var i = 0; i < inputs.length; i++) {
      if (!checkFileSize(inputs[i])) {
        event.preventDefault();
        inputs[i].focus();
      }
    }
  }, true);

  // "Back" buttons on error pages go back in history when there is one.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".js-history-back");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });

  // The CSRF token for JavaScript requests that change state.
  window.nitetCsrfToken = function () {
    var meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.getAttribute("content") : "";
  };
})();
