// นิเทศ Online: the live connection of every page of a logged-in user (Socket.IO).
// - new notifications: a toast, and a "nitet:notification" DOM event that the bell
//   (static/js/notifications.js) counts;
// - chat: the unread count in the navigation bar ([data-chat-unread]);
// - presence: elements with data-presence-user="<id>" get the class is-online while that user is;
// - a deactivated account is told why and its page reloads (the server has closed the socket).
// Other scripts use window.nitetRealtime (socket, onEvent, isViewing, toast).
// User text is always put into the page as text nodes, never as HTML.
(function () {
  "use strict";
  var me = document.body.getAttribute("data-user");
  if (!me || typeof window.io !== "function") { return; }

  var socket = window.io({ transports: ["websocket", "polling"], tryAllTransports: true });
  var connectedBefore = false;

  var api = {
    socket: socket,
    userId: parseInt(me, 10),
    // chat.js replaces this: is the user looking at this room right now?
    isViewing: function () { return false; },
    toast: showToast,
    setChatUnread: setChatUnread,
    refreshChatUnread: refreshChatUnread
  };
  window.nitetRealtime = api;

  function setCount(elements, value) {
    Array.prototype.forEach.call(elements, function (el) {
      var n = Math.max(0, value);
      el.textContent = n > 99 ? "99+" : String(n);
      el.setAttribute("data-count", String(n));
      el.classList.toggle("d-none", n === 0);
    });
  }

  function currentCount(el) {
    var stored = el && el.getAttribute("data-count");
    if (stored !== null && stored !== undefined && stored !== "") { return parseInt(stored, 10) || 0; }
    return el ? parseInt(el.textContent, 10) || 0 : 0;
  }

  function setChatUnread(total) {
    setCount(document.querySelectorAll("[data-chat-unread]"), total);
  }

  function addChatUnread(delta) {
    var badge = document.querySelector("[data-chat-unread]");
    setChatUnread(currentCount(badge) + delta);
  }

  function refreshChatUnread() {
    var link = document.querySelector("[data-chat-unread-url]");
    var url = link ? link.getAttribute("data-chat-unread-url") : "/chat/api/unread";
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data) { setChatUnread(data.total); }
        return data;
      })
      .catch(function () { return null; });
  }

  function toastContainer() {
    var container = document.getElementById("nitet-toasts");
    if (!container) {
      container = document.createElement("div");
      container.id = "nitet-toasts";
      container.className = "toast-container position-fixed bottom-0 end-0 p-3";
      container.setAttribute("aria-live", "polite");
      document.body.appendChild(container);
    }
    return container;
  }

  function showToast(title, text, url) {
    var toast = document.createElement("div");
    toast.className = "toast nitet-toast";
    toast.setAttribute("role", "status");
    var header = document.createElement("div");
    header.className = "toast-header";
    var icon = document.createElement("i");
    icon.className = "bi bi-bell-fill text-primary me-2";
    var strong = document.createElement("strong");
    strong.className = "me-auto";
    strong.textContent = title;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "toast");
    close.setAttribute("aria-label", "ปิด");
    header.append(icon, strong, close);
    var body = document.createElement("div");
    body.className = "toast-body";
    if (url && /^\/(?!\/)/.test(url)) {
      var link = document.createElement("a");
      link.href = url;
      link.textContent = text;
      body.appendChild(link);
    } else {
      body.textContent = text;
    }
    toast.append(header, body);
    toastContainer().appendChild(toast);
    if (window.bootstrap && window.bootstrap.Toast) {
      var instance = new window.bootstrap.Toast(toast, { delay: 8000 });
      toast.addEventListener("hidden.bs.toast", function () { toast.remove(); });
      instance.show();
    } else {
      toast.classList.add("show");
      window.setTimeout(function () { toast.remove(); }, 8000);
    }
    return toast;
  }

  function dispatch(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  socket.on("connect", function () {
    document.body.classList.add("realtime-connected");
    if (connectedBefore) { refreshChatUnread(); }
    connectedBefore = true;
    dispatch("nitet:connect", {});
  });
  socket.on("disconnect", function (reason) {
    document.body.classList.remove("realtime-connected");
    dispatch("nitet:disconnect", { reason: reason });
  });

  socket.on("notification", function (notification) {
    showToast("แจ้งเตือนใหม่", notification.text || "", notification.url || "");
    dispatch("nitet:notification", notification);
  });

  socket.on("chat:message", function (message) {
    if (!message.author || message.author.id === api.userId) { return; }
    if (!api.isViewing(message.room_id)) { addChatUnread(1); }
  });
  socket.on("chat:read", function (state) { setChatUnread(state.total); });
  socket.on("chat:rooms-changed", function (change) {
    if (change.joined) { socket.emit("chat:join", { room_id: change.room_id }); }
    dispatch("nitet:rooms-changed", change);
  });

  socket.on("presence", function (state) {
    var marks = document.querySelectorAll('[data-presence-user="' + Number(state.user_id) + '"]');
    Array.prototype.forEach.call(marks, function (el) { el.classList.toggle("is-online", !!state.online); });
    dispatch("nitet:presence", state);
  });

  socket.on("account:disabled", function (info) {
    showToast("บัญชีถูกระงับ", info && info.message ? info.message : "บัญชีของท่านถูกระงับการใช้งาน", "");
    socket.disconnect();
    window.setTimeout(function () { window.location.reload(); }, 4000);
  });
  // This login ended elsewhere (another tab logged out, or "ออกจากระบบทุกอุปกรณ์").
  socket.on("account:logged-out", function (info) {
    showToast("ออกจากระบบแล้ว", info && info.message ? info.message : "ท่านออกจากระบบแล้ว", "");
    socket.disconnect();
    window.setTimeout(function () { window.location.reload(); }, 4000);
  });
})();
