// The bell menu (templates/partials/nav_notifications.html). Live updates: any script (the chat
// feature's Socket.IO client) dispatches
//   document.dispatchEvent(new CustomEvent("nitet:notification", {detail: {id, text, url, kind}}))
// and the bell shows it at once; "nitet:notifications-refresh" reloads the bell from the server.
(function () {
  "use strict";
  if (window.nitetNotificationsReady) return;
  window.nitetNotificationsReady = true;

  var ICONS = {
    question_assigned: "inbox", question_unassigned: "inbox", answer: "chat-left-text",
    comment: "chat-dots", answer_accepted: "check-circle", report: "flag"
  };

  function root() { return document.getElementById("nav-notifications"); }

  function setCount(count) {
    var menu = root();
    if (!menu) return;
    var badge = menu.querySelector(".js-notification-badge");
    badge.setAttribute("data-unread-count", String(count));
    badge.textContent = count > 99 ? "99+" : String(count);
    badge.classList.toggle("d-none", count <= 0);
    var bell = menu.querySelector(".bi-bell, .bi-bell-fill");
    if (bell) bell.className = count > 0 ? "bi bi-bell-fill" : "bi bi-bell";
  }

  function itemForm(item) {
    var form = document.createElement("form");
    form.method = "post";
    form.className = "m-0";
    form.action = "/notifications/" + encodeURIComponent(item.id) + "/open";
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrf_token";
    token.value = window.nitetCsrfToken ? window.nitetCsrfToken() : "";
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "dropdown-item notification-item" + (item.read ? "" : " unread");
    var icon = document.createElement("i");
    icon.className = "bi bi-" + (ICONS[item.kind] || "bell") + " notification-icon";
    icon.setAttribute("aria-hidden", "true");
    var text = document.createElement("span");
    text.className = "notification-text";
    text.textContent = item.text;
    var when = document.createElement("small");
    when.className = "d-block text-secondary";
    when.textContent = item.read ? "" : "ใหม่";
    text.appendChild(when);
    button.appendChild(icon);
    button.appendChild(text);
    form.appendChild(token);
    form.appendChild(button);
    return form;
  }

  document.addEventListener("nitet:notification", function (event) {
    var menu = root();
    var item = event.detail || {};
    if (!menu || !item.id) return;
    var list = menu.querySelector(".js-notification-list");
    var empty = list.querySelector(".js-notification-empty");
    if (empty) empty.remove();
    list.insertBefore(itemForm(item), list.firstChild);
    while (list.children.length > 8) list.removeChild(list.lastChild);
    var badge = menu.querySelector(".js-notification-badge");
    setCount(parseInt(badge.getAttribute("data-unread-count") || "0", 10) + 1);
  });

  document.addEventListener("nitet:notifications-refresh", function () {
    var menu = root();
    if (!menu) return;
    fetch(menu.getAttribute("data-summary-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        var list = menu.querySelector(".js-notification-list");
        list.textContent = "";
        data.items.forEach(function (item) { list.appendChild(itemForm(item)); });
        setCount(data.unread);
      })
      .catch(function () { /* the bell keeps what it shows */ });
  });
})();
