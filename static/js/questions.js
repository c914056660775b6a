// ถาม-ตอบ: similar questions while typing a title (debounced), and "helpful" votes without
// reloading the page (the forms still work without JavaScript).
(function () {
  "use strict";

  // Similar questions ------------------------------------------------------------------------
  var box = document.getElementById("similar-questions");
  var title = document.getElementById("title");
  if (box && title) {
    var list = box.querySelector(".js-similar-list");
    var timer = null;
    var lastQuery = "";
    var controller = null;

    var render = function (results) {
      list.textContent = "";
      results.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "mb-1";
        var link = document.createElement("a");
        link.href = item.url;
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = item.title;
        var badge = document.createElement("span");
        badge.className = "badge qa-status status-" + item.status + " ms-1";
        badge.textContent = item.status_label;
        var count = document.createElement("span");
        count.className = "text-secondary ms-1";
        count.textContent = "· " + item.answer_count + " คำตอบ";
        li.appendChild(link);
        li.appendChild(badge);
        li.appendChild(count);
        list.appendChild(li);
      });
      box.classList.toggle("d-none", results.length === 0);
    };

    var lookUp = function () {
      var query = title.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (query.length < 4) { render([]); return; }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var url = box.getAttribute("data-url") + "?q=" + encodeURIComponent(query);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { render(data.results || []); })
        .catch(function () { /* typing on; an aborted or failed look-up shows nothing */ });
    };

    title.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, 400);
    });
    if (title.value.trim().length >= 4) lookUp();
  }

  // Helpful votes ----------------------------------------------------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("js-vote") || !window.fetch) return;
    event.preventDefault();
    var button = form.querySelector(".js-vote-button");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": window.nitetCsrfToken() },
      body: new FormData(form)
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.error || data.message || "โหวตไม่สำเร็จ");
          return data;
        });
      })
      .then(function (data) {
        form.querySelector(".js-vote-count").textContent = data.count;
        button.setAttribute("aria-pressed", data.voted ? "true" : "false");
        button.classList.toggle("btn-success", data.voted);
        button.classList.toggle("btn-outline-secondary", !data.voted);
        button.title = data.voted ? "ยกเลิกโหวต" : "โหวตว่ามีประโยชน์";
        var icon = button.querySelector("i");
        icon.className = data.voted ? "bi bi-hand-thumbs-up-fill" : "bi bi-hand-thumbs-up";
      })
      .catch(function (error) { window.alert(error.message); })
      .finally(function () { button.disabled = false; });
  });
})();
