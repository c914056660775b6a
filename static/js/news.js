// News: show the training fields only for อบรม/สัมมนา, the date only when scheduling, preview
// the cover, and copy a post's link. The server checks everything again.
(function () {
  "use strict";

  var category = document.getElementById("category");
  var eventFields = document.querySelector(".js-event-fields");
  if (category && eventFields) {
    var hasErrors = eventFields.querySelector(".is-invalid") !== null;
    var toggleEvent = function () {
      var training = category.value === eventFields.getAttribute("data-training");
      eventFields.classList.toggle("d-none", !training && !hasErrors);
      var note = eventFields.querySelector(".js-event-note");
      if (note) note.classList.toggle("d-none", training);
    };
    category.addEventListener("change", function () { hasErrors = false; toggleEvent(); });
    toggleEvent();
  }

  var schedule = document.querySelector(".js-schedule-fields");
  var choices = document.querySelectorAll(".js-publication input[type=radio]");
  if (schedule && choices.length) {
    var toggleSchedule = function () {
      var chosen = document.querySelector(".js-publication input[type=radio]:checked");
      schedule.classList.toggle("d-none", !chosen || chosen.value !== "schedule");
    };
    choices.forEach(function (radio) { radio.addEventListener("change", toggleSchedule); });
    toggleSchedule();
  }

  document.querySelectorAll(".js-preview[data-preview-for]").forEach(function (box) {
    var input = document.getElementById(box.getAttribute("data-preview-for"));
    if (!input) return;
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file || !/^image\//.test(file.type)) return;
      var image = box.querySelector("img") || document.createElement("img");
      var placeholder = box.querySelector(".preview-placeholder");
      if (placeholder) placeholder.remove();
      image.alt = "ตัวอย่างภาพปกที่เลือก";
      image.src = URL.createObjectURL(file);
      box.appendChild(image);
    });
  });

  document.querySelectorAll(".js-copy-link").forEach(function (button) {
    button.addEventListener("click", function () {
      var url = button.getAttribute("data-url");
      var done = function () {
        var label = button.innerHTML;
        button.textContent = "คัดลอกแล้ว";
        setTimeout(function () { button.innerHTML = label; }, 2000);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(done, function () { window.prompt("คัดลอกลิงก์นี้", url); });
      } else {
        window.prompt("คัดลอกลิงก์นี้", url);
      }
    });
  });
})();
