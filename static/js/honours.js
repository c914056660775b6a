// ทำเนียบเกียรติยศ: the nomination form shows the person list or the student names field according
// to who receives the award. Without JavaScript both stay visible.
(function () {
  "use strict";
  var type = document.getElementById("recipient_type");
  if (!type) return;
  var userBlock = document.querySelector(".js-recipient-user");
  var namesBlock = document.querySelector(".js-recipient-names");

  function update() {
    var value = type.value;
    userBlock.hidden = !(value === "teacher" || value === "director");
    namesBlock.hidden = value !== "student";
  }
  type.addEventListener("change", update);
  update();
})();
