// ผลงานดีเด่น: the like button (ชื่นชม) without reloading the page. Without JavaScript the same
// form posts normally and the server redirects back.
(function () {
  "use strict";

  function render(form, liked, count) {
    var button = form.querySelector(".js-like-button");
    var icon = button.querySelector("i");
    form.querySelector("input[name=liked]").value = liked ? "0" : "1";
    button.classList.toggle("btn-danger", liked);
    button.classList.toggle("btn-outline-danger", !liked);
    button.setAttribute("aria-pressed", liked ? "true" : "false");
    icon.className = "bi " + (liked ? "bi-heart-fill" : "bi-heart");
    button.querySelector(".js-like-label").textContent = liked ? "ชื่นชมแล้ว" : "ชื่นชม";
    var text = count.toLocaleString("en-US");
    button.querySelector(".js-like-count").textContent = text;
    document.querySelectorAll(".js-like-count-side").forEach(function (el) { el.textContent = text; });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("js-like-form") || !window.fetch) return;
    event.preventDefault();
    var status = document.querySelector(".js-like-status");
    var button = form.querySelector(".js-like-button");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": window.nitetCsrfToken() }
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || data.message || "ทำรายการไม่สำเร็จ");
        return data;
      });
    }).then(function (data) {
      render(form, data.liked, data.count);
      if (status) status.textContent = data.liked ? "ขอบคุณที่ชื่นชมผลงานนี้" : "ยกเลิกการชื่นชมแล้ว";
    }).catch(function (error) {
      if (status) status.textContent = error.message || "ทำรายการไม่สำเร็จ กรุณาลองใหม่";
    }).then(function () {
      button.disabled = false;
    });
  });
})();
