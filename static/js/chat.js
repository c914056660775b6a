// ห้องสนทนา: one room's messages over the page's Socket.IO connection (static/js/realtime.js).
// Messages are kept in id order and de-duplicated by id: a message may arrive both live and in a
// history page (after a reconnect), and is shown once. User text only ever becomes text nodes
// and <a> elements built here (links checked to be http/https), never HTML.
(function () {
  "use strict";
  var app = document.getElementById("chat-app");
  var live = window.nitetRealtime;
  if (!app || !live) { return; }
  var socket = live.socket;

  var state = {
    me: parseInt(app.getAttribute("data-user-id"), 10),
    roomId: parseInt(app.getAttribute("data-room-id") || "0", 10) || null,
    canModerate: app.getAttribute("data-can-moderate") === "1",
    editMinutes: parseInt(app.getAttribute("data-edit-minutes"), 10) || 15,
    historyUrl: app.getAttribute("data-history-url"),
    unreadUrl: app.getAttribute("data-unread-url"),
    uploadUrl: app.getAttribute("data-upload-url"),
    highestId: 0,
    lowestId: 0,
    hasOlder: false,
    loadingOlder: false,
    catchingUp: false,
    loaded: false,
    readSent: 0,
    replyTo: null,
    upload: null,
    typingSent: 0,
    typingTimers: {}
  };
  var byId = {};

  var list = document.getElementById("chat-messages");
  var scroller = document.getElementById("chat-scroll");
  var olderNote = document.getElementById("chat-older");
  var emptyNote = document.getElementById("chat-empty");
  var typingLine = document.getElementById("chat-typing");
  var connection = document.getElementById("chat-connection");
  var form = document.getElementById("chat-composer");
  var input = document.getElementById("chat-input");
  var errorLine = document.getElementById("chat-error");
  var fileInput = document.getElementById("chat-file");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  // Text with clickable links and highlighted @mentions, as DOM nodes ------------------------
  var LINK = /\bhttps?:\/\/[^\s<>"'`]+/gi;
  var MENTION = /(^|[^\w.@])@([A-Za-z0-9._-]{3,64})/g;

  function appendMentions(parent, text) {
    var last = 0;
    text.replace(MENTION, function (match, before, name, offset) {
      var start = offset + before.length;
      parent.appendChild(document.createTextNode(text.slice(last, start)));
      parent.appendChild(el("span", "chat-mention" + (name.toLowerCase() === live.username ? " is-me" : ""), "@" + name));
      last = start + name.length + 1;
      return match;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function safeUrl(candidate) {
    try {
      var url = new URL(candidate);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function renderText(parent, text) {
    var last = 0;
    var match;
    LINK.lastIndex = 0;
    while ((match = LINK.exec(text)) !== null) {
      var raw = match[0].replace(/[.,;:!?)\]]+$/, "");
      appendMentions(parent, text.slice(last, match.index));
      var href = safeUrl(raw);
      if (href) {
        var link = el("a", "chat-link", raw);
        link.href = href;
        link.target = "_blank";
        link.rel = "noopener noreferrer nofollow";
        parent.appendChild(link);
      } else {
        parent.appendChild(document.createTextNode(raw));
      }
      last = match.index + raw.length;
      LINK.lastIndex = last;
    }
    appendMentions(parent, text.slice(last));
  }

  // One message ------------------------------------------------------------------------------
  function withinWindow(message) {
    return Date.now() - Date.parse(message.created_at) < state.editMinutes * 60000;
  }

  function actionButton(label, icon, action) {
    var button = el("button", "btn btn-link btn-sm chat-action");
    button.type = "button";
    button.setAttribute("data-action", action);
    button.appendChild(el("i", "bi bi-" + icon));
    button.appendChild(document.createTextNode(" " + label));
    return button;
  }

  function buildMessage(message) {
    var mine = message.author && message.author.id === state.me;
    var item = el("li", "chat-msg" + (mine ? " mine" : "") + (message.deleted ? " deleted" : ""));
    item.id = "m" + message.id;
    item.setAttribute("data-id", String(message.id));
    item.setAttribute("data-date", message.date);
    item.appendChild(el("div", "chat-date d-none", message.date));

    var bubble = el("div", "chat-bubble");
    var meta = el("div", "chat-meta");
    meta.appendChild(el("strong", "chat-author", mine ? "ฉัน" : message.author.name));
    if (!mine && message.author.role) { meta.appendChild(el("span", "chat-role", message.author.role)); }
    var time = el("time", "chat-time", message.time);
    time.dateTime = message.created_at;
    time.title = message.date + " " + message.time;
    meta.appendChild(time);
    if (message.edited && !message.deleted) { meta.appendChild(el("span", "chat-edited", "(แก้ไขแล้ว)")); }
    bubble.appendChild(meta);

    if (message.reply_to) {
      var quote = el("a", "chat-quote");
      quote.href = "#m" + message.reply_to.id;
      quote.appendChild(el("strong", null, message.reply_to.author + ": "));
      quote.appendChild(document.createTextNode(message.reply_to.excerpt));
      bubble.appendChild(quote);
    }

    var body = el("div", "chat-body");
    if (message.deleted) {
      body.appendChild(el("em", "text-secondary", "ข้อความนี้ถูกลบแล้ว"));
    } else {
      renderText(body, message.body || "");
    }
    bubble.appendChild(body);

    if (message.attachment) { bubble.appendChild(buildAttachment(message.attachment)); }

    if (!message.deleted) {
      var actions = el("div", "chat-actions");
      actions.appendChild(actionButton("ตอบกลับ", "reply", "reply"));
      if (mine && withinWindow(message)) { actions.appendChild(actionButton("แก้ไข", "pencil", "edit")); }
      if ((mine && withinWindow(message)) || state.canModerate) {
        actions.appendChild(actionButton("ลบ", "trash", "delete"));
      }
      bubble.appendChild(actions);
    }
    item.appendChild(bubble);
    item.chatMessage = message;
    return item;
  }

  function buildAttachment(file) {
    var box = el("div", "chat-file");
    var link = el("a");
    var href = safeUrl(new URL(file.url, window.location.href).href);
    if (!href) { return box; }
    link.href = href;
    link.target = "_blank";
    link.rel = "noopener";
    if (file.kind === "image" && file.preview) {
      var image = el("img", "chat-image");
      image.src = file.preview;
      image.alt = file.name;
      image.loading = "lazy";
      link.appendChild(image);
    } else {
      link.appendChild(el("i", "bi bi-file-earmark-arrow-down"));
      link.appendChild(document.createTextNode(" " + file.name + " (" + file.size + ")"));
    }
    box.appendChild(link);
    return box;
  }

  // The ordered list -------------------------------------------------------------------------
  function upsert(message) {
    var existing = byId[message.id];
    var item = buildMessage(message);
    if (existing) {
      existing.replaceWith(item);
    } else {
      var after = null;
      var items = list.children;
      if (!items.length || Number(items[items.length - 1].getAttribute("data-id")) < message.id) {
        list.appendChild(item);
      } else {
        for (var i = 0; i < items.length; i++) {
          if (Number(items[i].getAttribute("data-id")) > message.id) { after = items[i]; break; }
        }
        list.insertBefore(item, after);
      }
    }
    byId[message.id] = item;
    state.highestId = Math.max(state.highestId, message.id);
    state.lowestId = state.lowestId ? Math.min(state.lowestId, message.id) : message.id;
    return !existing;
  }

  function refreshDates() {
    var previous = null;
    Array.prototype.forEach.call(list.children, function (item) {
      var date = item.getAttribute("data-date");
      item.querySelector(".chat-date").classList.toggle("d-none", date === previous);
      previous = date;
    });
    if (emptyNote) { emptyNote.classList.toggle("d-none", list.children.length > 0 || state.hasOlder); }
  }

  function nearBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120;
  }

  function toBottom() { scroller.scrollTop = scroller.scrollHeight; }

  // History ----------------------------------------------------------------------------------
  function fetchPage(params) {
    var url = state.historyUrl + "?" + new URLSearchParams(params).toString();
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      });
  }

  function loadLatest() {
    return fetchPage({}).then(function (page) {
      page.messages.forEach(upsert);
      state.hasOlder = page.has_more;
      state.loaded = true;
      refreshDates();
      // Messages sent between this page and the socket joining the room: fetch them too.
      if (socket.connected) { catchUp(); }
      var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
      if (target) { target.scrollIntoView({ block: "center" }); target.classList.add("chat-highlight"); } else { toBottom(); }
      markRead();
    });
  }

  function loadOlder() {
    if (!state.hasOlder || state.loadingOlder || !state.lowestId) { return; }
    state.loadingOlder = true;
    olderNote.classList.remove("d-none");
    var before = scroller.scrollHeight;
    fetchPage({ before_id: state.lowestId }).then(function (page) {
      page.messages.forEach(upsert);
      state.hasOlder = page.has_more;
      refreshDates();
      scroller.scrollTop += scroller.scrollHeight - before;
    }).catch(function () {
      showError("โหลดข้อความก่อนหน้าไม่สำเร็จ กรุณาลองใหม่");
    }).then(function () {
      state.loadingOlder = false;
      olderNote.classList.add("d-none");
    });
  }

  // After a reconnect: every message after the newest one we have, page by page, no gaps.
  function catchUp() {
    if (state.catchingUp || !state.roomId || !state.loaded) { return Promise.resolve(); }
    state.catchingUp = true;
    var stick = nearBottom();
    function step() {
      return fetchPage({ after_id: state.highestId, limit: 200 }).then(function (page) {
        page.messages.forEach(upsert);
        return page.has_more ? step() : null;
      });
    }
    return step().then(function () {
      refreshDates();
      if (stick) { toBottom(); }
      markRead();
    }).catch(function () {
      showError("โหลดข้อความที่พลาดไปไม่สำเร็จ กรุณาโหลดหน้าใหม่");
    }).then(function () { state.catchingUp = false; });
  }

  // Read position ----------------------------------------------------------------------------
  var readTimer = null;
  function markRead() {
    if (!state.roomId || document.visibilityState !== "visible") { return; }
    window.clearTimeout(readTimer);
    readTimer = window.setTimeout(function () {
      if (state.highestId <= state.readSent || !socket.connected) { return; }
      var upTo = state.highestId;
      socket.emit("chat:read", { room_id: state.roomId, message_id: upTo }, function (ack) {
        if (ack && ack.ok) {
          state.readSent = upTo;
          setRoomBadge(state.roomId, ack.unread);
          live.setChatUnread(ack.total);
        }
      });
    }, 250);
  }

  live.isViewing = function (roomId) {
    return roomId === state.roomId && document.visibilityState === "visible";
  };

  // Sidebar ------------------------------------------------------------------------------------
  function setRoomBadge(roomId, count) {
    var badge = document.querySelector('[data-room-unread="' + Number(roomId) + '"]');
    if (!badge) { return; }
    badge.textContent = String(count);
    badge.classList.toggle("d-none", !count);
  }

  function bumpRoom(roomId) {
    var link = document.querySelector('[data-room-link="' + Number(roomId) + '"]');
    if (link && link.parentNode) { link.parentNode.insertBefore(link, link.parentNode.firstChild); }
  }

  function refreshRoomBadges() {
    if (!state.unreadUrl) { return; }
    fetch(state.unreadUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        document.querySelectorAll("[data-room-unread]").forEach(function (badge) {
          setRoomBadge(badge.getAttribute("data-room-unread"), data.rooms[badge.getAttribute("data-room-unread")] || 0);
        });
        live.setChatUnread(data.total);
      })
      .catch(function () { /* the next event corrects it */ });
  }

  // Presence -----------------------------------------------------------------------------------
  function watchedUserIds() {
    var ids = {};
    document.querySelectorAll("[data-presence-user],[data-online-supervisor]").forEach(function (node) {
      ids[node.getAttribute("data-presence-user") || node.getAttribute("data-online-supervisor")] = true;
    });
    return Object.keys(ids).map(Number);
  }

  function applyOnline(userId, online) {
    document.querySelectorAll('[data-presence-user="' + userId + '"]').forEach(function (node) {
      node.classList.toggle("is-online", online);
    });
    var row = document.querySelector('[data-online-supervisor="' + userId + '"]');
    if (row) { row.classList.toggle("d-none", !online); }
    var none = document.getElementById("chat-online-none");
    if (none) {
      none.classList.toggle("d-none", !!document.querySelector("[data-online-supervisor]:not(.d-none)"));
    }
  }

  function watchPresence() {
    var ids = watchedUserIds();
    socket.emit("chat:watch-presence", { user_ids: ids }, function (ack) {
      if (!ack || !ack.ok) { return; }
      ids.forEach(function (id) { applyOnline(id, ack.online.indexOf(id) !== -1); });
    });
  }
  document.addEventListener("nitet:presence", function (event) {
    applyOnline(Number(event.detail.user_id), !!event.detail.online);
  });

  // Composer -----------------------------------------------------------------------------------
  function showError(text) {
    if (errorLine) { errorLine.textContent = text || ""; }
  }

  function setReply(message) {
    state.replyTo = message;
    var box = document.getElementById("chat-reply");
    box.classList.toggle("d-none", !message);
    if (message) {
      document.getElementById("chat-reply-author").textContent = message.author.name;
      document.getElementById("chat-reply-text").textContent = (message.body || "ไฟล์แนบ").slice(0, 80);
      input.focus();
    }
  }

  function setUpload(upload) {
    state.upload = upload;
    var box = document.getElementById("chat-attachment");
    box.classList.toggle("d-none", !upload);
    document.getElementById("chat-attachment-name").textContent = upload ? upload.name : "";
    if (!upload && fileInput) { fileInput.value = ""; }
  }

  function send() {
    var body = input.value.trim();
    if (!body && !state.upload) { input.focus(); return; }
    if (!socket.connected) { showError("ยังไม่ได้เชื่อมต่อ กรุณารอสักครู่แล้วส่งอีกครั้ง"); return; }
    var payload = {
      room_id: state.roomId,
      body: body,
      reply_to_id: state.replyTo ? state.replyTo.id : null,
      upload_id: state.upload ? state.upload.id : null
    };
    var button = document.getElementById("chat-send");
    button.disabled = true;
    socket.timeout(15000).emit("chat:send", payload, function (error, ack) {
      button.disabled = false;
      if (error) { showError("ส่งไม่สำเร็จ (หมดเวลา) ข้อความยังอยู่ในช่องพิมพ์ กรุณาลองอีกครั้ง"); return; }
      if (!ack || !ack.ok) { showError(ack ? ack.error : "ส่งไม่สำเร็จ"); return; }
      showError("");
      input.value = "";
      state.typingSent = 0;  // the next message's typing is announced at once
      autoSize();
      setReply(null);
      setUpload(null);
      upsert(ack.message);
      refreshDates();
      toBottom();
      state.readSent = Math.max(state.readSent, ack.message.id);
    });
  }

  function autoSize() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 160) + "px";
  }

  function uploadFile(file) {
    var data = new FormData();
    data.append("file", file);
    showError("");
    document.getElementById("chat-attachment").classList.remove("d-none");
    document.getElementById("chat-attachment-name").textContent = "กำลังอัปโหลด " + file.name + "…";
    fetch(state.uploadUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": window.nitetCsrfToken() }
    }).then(function (response) {
      return response.json().catch(function () { return { error: "อัปโหลดไม่สำเร็จ (" + response.status + ")" }; });
    }).then(function (result) {
      if (result.error || !result.id) {
        setUpload(null);
        showError(result.error || "อัปโหลดไม่สำเร็จ");
      } else {
        setUpload({ id: result.id, name: file.name });
      }
    }).catch(function () {
      setUpload(null);
      showError("อัปโหลดไม่สำเร็จ กรุณาตรวจสอบการเชื่อมต่อ");
    });
  }

  function startEdit(item) {
    var message = item.chatMessage;
    var body = item.querySelector(".chat-body");
    var editor = el("div", "chat-editor");
    var area = el("textarea", "form-control form-control-sm");
    area.value = message.body;
    area.setAttribute("aria-label", "แก้ไขข้อความ");
    var save = el("button", "btn btn-sm btn-primary mt-1", "บันทึก");
    save.type = "button";
    var cancel = el("button", "btn btn-sm btn-outline-secondary mt-1 ms-1", "ยกเลิก");
    cancel.type = "button";
    editor.append(area, save, cancel);
    body.replaceWith(editor);
    area.focus();
    cancel.addEventListener("click", function () { upsert(message); refreshDates(); });
    save.addEventListener("click", function () {
      socket.emit("chat:edit", { message_id: message.id, body: area.value }, function (ack) {
        if (!ack || !ack.ok) { showError(ack ? ack.error : "แก้ไขไม่สำเร็จ"); return; }
        showError("");
        upsert(ack.message);
        refreshDates();
      });
    });
  }

  function onAction(event) {
    var button = event.target.closest("[data-action]");
    if (!button) { return; }
    var item = button.closest(".chat-msg");
    var message = item && item.chatMessage;
    if (!message) { return; }
    var action = button.getAttribute("data-action");
    if (action === "reply") { setReply(message); }
    if (action === "edit") { startEdit(item); }
    if (action === "delete" && window.confirm("ลบข้อความนี้หรือไม่?")) {
      socket.emit("chat:delete", { message_id: message.id }, function (ack) {
        if (!ack || !ack.ok) { showError(ack ? ack.error : "ลบไม่สำเร็จ"); return; }
        upsert(ack.message);
        refreshDates();
      });
    }
  }

  function typingNotice(data) {
    var timers = state.typingTimers;
    window.clearTimeout(timers[data.user_id]);
    timers[data.user_id] = { name: data.name, timer: null };
    timers[data.user_id].timer = window.setTimeout(function () {
      delete timers[data.user_id];
      renderTyping();
    }, 4000);
    renderTyping();
  }

  function renderTyping() {
    var names = Object.keys(state.typingTimers).map(function (id) { return state.typingTimers[id].name; });
    typingLine.textContent = names.length ? names.join(", ") + " กำลังพิมพ์…" : "";
  }

  // Wiring -------------------------------------------------------------------------------------
  socket.on("chat:message", function (message) {
    if (message.room_id === state.roomId) {
      var stick = nearBottom() || message.author.id === state.me;
      upsert(message);
      refreshDates();
      if (stick) { toBottom(); }
      if (state.typingTimers[message.author.id]) {
        window.clearTimeout(state.typingTimers[message.author.id].timer);
        delete state.typingTimers[message.author.id];
        renderTyping();
      }
      markRead();
    } else if (message.author.id !== state.me) {
      var badge = document.querySelector('[data-room-unread="' + message.room_id + '"]');
      if (badge) { setRoomBadge(message.room_id, (parseInt(badge.textContent, 10) || 0) + 1); }
    }
    bumpRoom(message.room_id);
  });
  socket.on("chat:message-updated", function (message) {
    if (message.room_id === state.roomId && byId[message.id]) { upsert(message); refreshDates(); }
  });
  socket.on("chat:typing", function (data) {
    if (data.room_id === state.roomId && data.user_id !== state.me) { typingNotice(data); }
  });
  socket.on("chat:read", function (data) { setRoomBadge(data.room_id, data.unread); });

  document.addEventListener("nitet:connect", function () {
    if (connection) { connection.classList.add("d-none"); }
    watchPresence();
    refreshRoomBadges();
    if (state.roomId && state.historyUrl) { catchUp(); }
  });
  document.addEventListener("nitet:disconnect", function () {
    if (connection) { connection.classList.remove("d-none"); }
  });
  // Added to a room or taken out of one: show the new list, unless the page is already leaving
  // (the person's own click started it) or the change is already shown, or a draft would be lost.
  var leaving = false;
  window.addEventListener("beforeunload", function () { leaving = true; });
  document.addEventListener("nitet:rooms-changed", function (event) {
    var change = event.detail || {};
    var listed = !!document.querySelector('[data-room-link="' + Number(change.room_id) + '"]');
    if (leaving || listed === !!change.joined) { return; }
    if (!input || !input.value.trim()) {
      window.setTimeout(function () { if (!leaving) { window.location.reload(); } }, 300);
    }
  });
  document.addEventListener("visibilitychange", markRead);

  if (state.roomId && list) {
    live.username = (app.getAttribute("data-username") || "").toLowerCase();
    loadLatest().catch(function () { showError("โหลดข้อความไม่สำเร็จ กรุณาโหลดหน้าใหม่"); });
    scroller.addEventListener("scroll", function () {
      if (scroller.scrollTop < 60) { loadOlder(); }
      if (nearBottom()) { markRead(); }
    });
    list.addEventListener("click", onAction);
    form.addEventListener("submit", function (event) { event.preventDefault(); send(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        send();
      }
    });
    input.addEventListener("input", function () {
      autoSize();
      if (Date.now() - state.typingSent > 3000 && socket.connected && input.value.trim()) {
        state.typingSent = Date.now();
        socket.emit("chat:typing", { room_id: state.roomId });
      }
    });
    document.getElementById("chat-reply-cancel").addEventListener("click", function () { setReply(null); });
    document.getElementById("chat-attachment-cancel").addEventListener("click", function () { setUpload(null); });
    fileInput.addEventListener("change", function () {
      if (fileInput.files && fileInput.files[0]) { uploadFile(fileInput.files[0]); }
    });
  }
  if (socket.connected) { watchPresence(); }
})();
