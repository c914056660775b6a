// Supervisor pages: filters that apply on change, the page builder's drag-and-drop order and
// image previews before upload. Everything also works without JavaScript (submit buttons and
// up/down buttons), this only makes it quicker.
(function () {
  "use strict";

  // The directory's filters apply as soon as a choice changes.
  document.querySelectorAll("form.js-autosubmit select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Preview a chosen photo or cover before it is uploaded.
  document.querySelectorAll(".js-preview[data-preview-for]").forEach(function (box) {
    var input = document.getElementById(box.getAttribute("data-preview-for"));
    if (!input) return;
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file || !/^image\//.test(file.type)) return;
      var image = box.querySelector("img") || document.createElement("img");
      var placeholder = box.querySelector(".preview-placeholder");
      if (placeholder) placeholder.remove();
      if (box.getAttribute("data-preview-for") === "photo") {
        image.className = "supervisor-avatar supervisor-avatar-lg";
        box.textContent = "";
      }
      image.alt = "ตัวอย่างภาพที่เลือก";
      image.src = URL.createObjectURL(file);
      box.appendChild(image);
    });
  });

  // Drag sub-pages into a new order; the order is saved on the server at once.
  var list = document.querySelector(".js-page-order");
  if (!list) return;
  var status = document.querySelector(".js-order-status");
  var dragged = null;

  function refreshButtons() {
    var items = list.querySelectorAll("[data-page-id]");
    items.forEach(function (item, index) {
      var up = item.querySelector("button[value=up]");
      var down = item.querySelector("button[value=down]");
      if (up) up.disabled = index === 0;
      if (down) down.disabled = index === items.length - 1;
    });
  }

  function saveOrder() {
    var ids = Array.prototype.map.call(list.querySelectorAll("[data-page-id]"), function (item) {
      return parseInt(item.getAttribute("data-page-id"), 10);
    });
    status.textContent = "กำลังบันทึกลำดับ…";
    fetch(list.getAttribute("data-order-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": window.nitetCsrfToken() },
      body: JSON.stringify({ ids: ids })
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || "บันทึกลำดับไม่สำเร็จ");
        status.textContent = data.message;
        status.className = "small text-success js-order-status";
      });
    }).catch(function (error) {
      status.textContent = error.message + " กรุณาโหลดหน้าใหม่";
      status.className = "small text-danger js-order-status";
    });
  }

  list.addEventListener("dragstart", function (event) {
    dragged = event.target.closest("[data-page-id]");
    if (!dragged) return;
    dragged.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.getAttribute("data-page-id"));
  });
  list.addEventListener("dragover", function (event) {
    var over = event.target.closest("[data-page-id]");
    if (!dragged || !over || over === dragged) return;
    event.preventDefault();
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? over.nextSibling : over);
  });
  list.addEventListener("drop", function (event) { event.preventDefault(); });
  list.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("dragging");
    dragged = null;
    refreshButtons();
    saveOrder();
  });
})();
