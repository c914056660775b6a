// Markdown editor: a toolbar, a preview tab rendered by the server (the same sanitiser as the saved
// page) and image/file upload that inserts Markdown. Applies to <textarea data-markdown-editor>.
(function () {
  "use strict";

  function post(url, body, isJson) {
    var headers = { "X-CSRFToken": window.nitetCsrfToken() };
    if (isJson) headers["Content-Type"] = "application/json";
    return fetch(url, { method: "POST", headers: headers, body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.error || data.message || "เกิดข้อผิดพลาด");
          return data;
        });
      });
  }

  function insertAround(textarea, before, after, placeholder) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var selected = textarea.value.slice(start, end) || placeholder;
    textarea.setRangeText(before + selected + after, start, end, "end");
    textarea.focus();
    textarea.dispatchEvent(new Event("input"));
  }

  var ACTIONS = {
    bold: ["**", "**", "ตัวหนา"],
    italic: ["_", "_", "ตัวเอียง"],
    heading: ["\n### ", "\n", "หัวข้อ"],
    list: ["\n- ", "\n", "รายการ"],
    quote: ["\n> ", "\n", "ข้อความอ้างอิง"],
    link: ["[", "](https://)", "ข้อความลิงก์"]
  };
  var LABELS = { bold: "ตัวหนา", italic: "ตัวเอียง", heading: "หัวข้อ", list: "รายการ", quote: "อ้างอิง", link: "ลิงก์" };
  var ICONS = { bold: "type-bold", italic: "type-italic", heading: "type-h3", list: "list-ul", quote: "quote", link: "link-45deg" };

  function button(icon, label) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-sm btn-outline-secondary";
    b.title = label;
    b.setAttribute("aria-label", label);
    b.innerHTML = '<i class="bi bi-' + icon + '"></i>';
    return b;
  }

  function setup(textarea) {
    var wrapper = document.createElement("div");
    wrapper.className = "markdown-editor";
    textarea.parentNode.insertBefore(wrapper, textarea);
    var bar = document.createElement("div");
    bar.className = "markdown-toolbar d-flex flex-wrap gap-1 mb-1 align-items-center";
    var tabs = document.createElement("div");
    tabs.className = "btn-group btn-group-sm me-2";
    tabs.innerHTML = '<button type="button" class="btn btn-outline-primary active" data-tab="write">เขียน</button>' +
      '<button type="button" class="btn btn-outline-primary" data-tab="preview">ตัวอย่าง</button>';
    bar.appendChild(tabs);
    Object.keys(ACTIONS).forEach(function (name) {
      var b = button(ICONS[name], LABELS[name]);
      b.addEventListener("click", function () {
        insertAround(textarea, ACTIONS[name][0], ACTIONS[name][1], ACTIONS[name][2]);
      });
      bar.appendChild(b);
    });
    var uploadButton = button("image", "แทรกรูปภาพหรือไฟล์");
    var fileInput = document.createElement("input");
    fileInput.type = "file";
    fileInput.className = "d-none";
    fileInput.accept = "image/*,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx";
    uploadButton.addEventListener("click", function () { fileInput.click(); });
    var status = document.createElement("span");
    status.className = "small ms-2 markdown-status";
    status.setAttribute("role", "status");
    fileInput.addEventListener("change", function () {
      if (!fileInput.files.length) return;
      var form = new FormData();
      form.append("file", fileInput.files[0]);
      status.textContent = "กำลังอัปโหลด…";
      status.className = "small ms-2 markdown-status text-secondary";
      post(textarea.getAttribute("data-upload-url") || "/files/upload", form, false)
        .then(function (data) {
          insertAround(textarea, "\n" + data.markdown + "\n", "", "");
          status.textContent = "อัปโหลดแล้ว";
        })
        .catch(function (error) {
          status.textContent = error.message;
          status.className = "small ms-2 markdown-status text-danger";
        })
        .finally(function () { fileInput.value = ""; });
    });
    bar.appendChild(uploadButton);
    bar.appendChild(fileInput);
    bar.appendChild(status);
    var preview = document.createElement("div");
    preview.className = "markdown-preview markdown-body border rounded p-3 d-none";
    wrapper.appendChild(bar);
    wrapper.appendChild(textarea);
    wrapper.appendChild(preview);

    tabs.addEventListener("click", function (event) {
      var tab = event.target.getAttribute("data-tab");
      if (!tab) return;
      tabs.querySelectorAll("button").forEach(function (b) { b.classList.toggle("active", b === event.target); });
      var showPreview = tab === "preview";
      textarea.classList.toggle("d-none", showPreview);
      preview.classList.toggle("d-none", !showPreview);
      if (showPreview) {
        preview.textContent = "กำลังแสดงตัวอย่าง…";
        post("/markdown/preview", JSON.stringify({ text: textarea.value }), true)
          .then(function (data) { preview.innerHTML = data.html || '<p class="text-secondary">ยังไม่มีข้อความ</p>'; })
          .catch(function (error) { preview.textContent = error.message; });
      }
    });
  }

  document.querySelectorAll("textarea[data-markdown-editor]").forEach(setup);
})();
