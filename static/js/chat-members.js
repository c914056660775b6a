// ห้องสนทนา: filter the long people list of the group-room forms as one types.
(function () {
  "use strict";
  document.querySelectorAll("[data-filter-select]").forEach(function (input) {
    var select = document.getElementById(input.getAttribute("data-filter-select"));
    if (!select) { return; }
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = needle !== "" && !option.selected &&
          option.textContent.toLowerCase().indexOf(needle) === -1;
      });
    });
  });
})();
