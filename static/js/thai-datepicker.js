// Thai date picker: every <input data-thai-date="date|datetime"> is typed or picked day–month–year
// in the Buddhist era ("11/12/2569", with the time "11/12/2569 14:30"). The server reads the same
// text (services/date_input.py); here a calendar in Thai with พ.ศ. years, and under the field the
// day as a sentence ("วันพฤหัสบดีที่ 11 ธันวาคม พ.ศ. 2569") or a warning when the year is plainly
// Gregorian. No inline styles or scripts (the Content-Security-Policy forbids them).
(function () {
  "use strict";
  var MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
    "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"];
  var MONTHS_SHORT = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.",
    "ต.ค.", "พ.ย.", "ธ.ค."];
  var WEEKDAYS = ["อาทิตย์", "จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์"];
  var WEEKDAYS_SHORT = ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"];
  var OFFSET = 543;

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  function normalise(text) {
    return (text || "").replace(/[๐-๙]/g, function (digit) {
      return String(digit.charCodeAt(0) - 0x0e50);
    }).replace(/\s*น\.?$/, "").replace(/\s+/g, " ").trim();
  }

  function monthFromName(name) {
    var bare = name.replace(/\./g, "");
    for (var i = 0; i < 12; i++) {
      if (MONTHS[i] === name || MONTHS_SHORT[i] === name || MONTHS_SHORT[i].replace(/\./g, "") === bare) {
        return i + 1;
      }
    }
    return 0;
  }

  // {year (Gregorian), month, day, hour, minute} or {error: "Thai message"} or null (empty).
  function parse(text) {
    text = normalise(text);
    if (!text) { return null; }
    var time = text.match(/^(.*?)[\sT,]+(?:เวลา\s*)?(\d{1,2})\s*[:.]\s*(\d{2})$/);
    var hour = null, minute = null;
    if (time) { text = time[1]; hour = +time[2]; minute = +time[3]; }
    var day, month, yearText, parts;
    if ((parts = text.match(/^(\d{1,2})\s*[\/\-.]\s*(\d{1,2})\s*[\/\-.]\s*(\d{2}|\d{4})$/))) {
      day = +parts[1]; month = +parts[2]; yearText = parts[3];
    } else if ((parts = text.match(/^(\d{4})-(\d{1,2})-(\d{1,2})$/))) {
      yearText = parts[1]; month = +parts[2]; day = +parts[3];
    } else if ((parts = text.match(/^(\d{1,2})\s*([^\d\s]+)\s*(?:พ\.?ศ\.?)?\s*(\d{2}|\d{4})$/))) {
      day = +parts[1]; month = monthFromName(parts[2]); yearText = parts[3];
    }
    if (!yearText || !month) { return { error: "กรอกแบบ วัน/เดือน/ปี พ.ศ. เช่น 11/12/2569" }; }
    var year = +yearText;
    if (yearText.length === 2) {
      year = 2500 + year;
    } else if (year >= 1800 && year < 2300) {
      return { error: "ปี " + year + " เป็นปี ค.ศ. กรุณากรอกปี พ.ศ. (ปี " + (year + OFFSET) + ")" };
    } else if (year < 2400 || year >= 2700) {
      return { error: "ปี " + year + " ไม่ถูกต้อง กรุณากรอกปี พ.ศ. เช่น 2569" };
    }
    year -= OFFSET;
    var check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
      return { error: "ไม่มีวันที่นี้ในปฏิทิน" };
    }
    if (hour !== null && (hour > 23 || minute > 59)) {
      return { error: "เวลาไม่ถูกต้อง กรอกแบบ ชั่วโมง:นาที เช่น 14:30" };
    }
    return { year: year, month: month, day: day, hour: hour, minute: minute };
  }

  function typed(value, withTime) {
    var text = pad(value.day) + "/" + pad(value.month) + "/" + (value.year + OFFSET);
    if (withTime) { text += " " + pad(value.hour || 0) + ":" + pad(value.minute || 0); }
    return text;
  }

  function sentence(value, withTime) {
    var weekday = WEEKDAYS[new Date(Date.UTC(value.year, value.month - 1, value.day)).getUTCDay()];
    var text = "วัน" + weekday + "ที่ " + value.day + " " + MONTHS[value.month - 1] + " พ.ศ. " +
      (value.year + OFFSET);
    if (withTime && value.hour !== null) { text += " เวลา " + pad(value.hour) + ":" + pad(value.minute) + " น."; }
    return text;
  }

  function hintFor(input) {
    var hint = document.getElementById(input.id + "-reading");
    if (!hint) {
      hint = document.createElement("div");
      hint.className = "form-text thai-date-hint";
      hint.id = input.id + "-reading";
      hint.setAttribute("aria-live", "polite");
      input.closest(".thai-date-wrap").insertAdjacentElement("afterend", hint);
    }
    return hint;
  }

  function showReading(input) {
    var withTime = input.getAttribute("data-thai-date") === "datetime";
    var value = parse(input.value);
    var hint = hintFor(input);
    hint.classList.remove("text-danger");
    if (!value) { hint.textContent = ""; return; }
    if (value.error) {
      hint.textContent = value.error;
      hint.classList.add("text-danger");
      return;
    }
    if (withTime && value.hour === null) {
      hint.textContent = sentence(value, false) + " — กรุณาระบุเวลาด้วย เช่น 09:00";
      hint.classList.add("text-danger");
      return;
    }
    hint.textContent = sentence(value, withTime);
  }

  function todayInThailand() {
    var now = new Date(Date.now() + 7 * 3600 * 1000);
    return { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, day: now.getUTCDate() };
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function button(className, text, label) {
    var node = element("button", className, text);
    node.type = "button";
    if (label) { node.setAttribute("aria-label", label); }
    return node;
  }

  function select(className, label, options, selected) {
    var node = element("select", className);
    node.setAttribute("aria-label", label);
    options.forEach(function (option) {
      var item = element("option", null, option[1]);
      item.value = String(option[0]);
      if (option[0] === selected) { item.selected = true; }
      node.appendChild(item);
    });
    return node;
  }

  function range(from, to, step) {
    var list = [];
    for (var i = from; i <= to; i += step || 1) { list.push(i); }
    return list;
  }

  var openPicker = null;

  function closePicker(returnFocus) {
    if (!openPicker) { return; }
    var picker = openPicker;
    openPicker = null;
    picker.panel.remove();
    picker.toggle.setAttribute("aria-expanded", "false");
    if (returnFocus) { picker.input.focus(); }
  }

  function Picker(input, toggle) {
    this.input = input;
    this.toggle = toggle;
    this.withTime = input.getAttribute("data-thai-date") === "datetime";
    var value = parse(input.value);
    this.selected = value && !value.error ? value : null;
    var start = this.selected || todayInThailand();
    this.year = start.year;
    this.month = start.month;
    this.hour = this.selected && this.selected.hour !== null ? this.selected.hour : 9;
    this.minute = this.selected && this.selected.minute !== null ? this.selected.minute : 0;
    this.panel = element("div", "thai-datepicker shadow");
    this.panel.setAttribute("role", "dialog");
    this.panel.setAttribute("aria-label", "ปฏิทิน เลือกวันที่ (ปี พ.ศ.)");
    this.render();
  }

  Picker.prototype.render = function () {
    var self = this;
    var panel = this.panel;
    panel.textContent = "";
    var head = element("div", "thai-datepicker-head");
    var previous = button("btn btn-sm btn-light", "‹", "เดือนก่อนหน้า");
    var next = button("btn btn-sm btn-light", "›", "เดือนถัดไป");
    var months = select("form-select form-select-sm", "เดือน",
      MONTHS.map(function (name, index) { return [index + 1, name]; }), this.month);
    var thisYear = todayInThailand().year;
    var years = select("form-select form-select-sm", "ปี พ.ศ.",
      range(Math.min(thisYear - 60, this.year), Math.max(thisYear + 10, this.year)).reverse()
        .map(function (year) { return [year, String(year + OFFSET)]; }), this.year);
    previous.addEventListener("click", function () { self.shift(-1); });
    next.addEventListener("click", function () { self.shift(1); });
    months.addEventListener("change", function () { self.month = +months.value; self.render(); });
    years.addEventListener("change", function () { self.year = +years.value; self.render(); });
    head.appendChild(previous);
    head.appendChild(months);
    head.appendChild(years);
    head.appendChild(next);
    panel.appendChild(head);

    var grid = element("table", "thai-datepicker-grid");
    grid.setAttribute("role", "grid");
    var headRow = element("tr");
    WEEKDAYS_SHORT.forEach(function (name, index) {
      var cell = element("th", null, name);
      cell.setAttribute("abbr", WEEKDAYS[index]);
      cell.scope = "col";
      headRow.appendChild(cell);
    });
    var thead = element("thead");
    thead.appendChild(headRow);
    grid.appendChild(thead);
    var body = element("tbody");
    var first = new Date(Date.UTC(this.year, this.month - 1, 1)).getUTCDay();
    var days = new Date(Date.UTC(this.year, this.month, 0)).getUTCDate();
    var today = todayInThailand();
    var row = element("tr");
    for (var blank = 0; blank < first; blank++) { row.appendChild(element("td")); }
    for (var day = 1; day <= days; day++) {
      var cell = element("td");
      var pick = button("thai-datepicker-day", String(day),
        "วัน" + WEEKDAYS[(first + day - 1) % 7] + "ที่ " + day + " " + MONTHS[this.month - 1] + " " + (this.year + OFFSET));
      pick.setAttribute("data-day", String(day));
      if (this.selected && this.selected.year === this.year && this.selected.month === this.month &&
          this.selected.day === day) {
        pick.classList.add("is-selected");
        pick.setAttribute("aria-pressed", "true");
      }
      if (today.year === this.year && today.month === this.month && today.day === day) {
        pick.classList.add("is-today");
      }
      pick.addEventListener("click", function (event) {
        self.choose(+event.currentTarget.getAttribute("data-day"));
      });
      cell.appendChild(pick);
      row.appendChild(cell);
      if ((first + day) % 7 === 0) { body.appendChild(row); row = element("tr"); }
    }
    if (row.children.length) { body.appendChild(row); }
    grid.appendChild(body);
    panel.appendChild(grid);

    var foot = element("div", "thai-datepicker-foot");
    if (this.withTime) {
      var hours = select("form-select form-select-sm", "ชั่วโมง",
        range(0, 23).map(function (h) { return [h, pad(h)]; }), this.hour);
      var minutes = select("form-select form-select-sm", "นาที",
        range(0, 55, 5).concat(this.minute % 5 ? [this.minute] : []).sort(function (a, b) { return a - b; })
          .map(function (m) { return [m, pad(m)]; }), this.minute);
      var onTime = function () {
        self.hour = +hours.value;
        self.minute = +minutes.value;
        if (self.selected) { self.write(); }
      };
      hours.addEventListener("change", onTime);
      minutes.addEventListener("change", onTime);
      var clock = element("div", "thai-datepicker-time");
      clock.appendChild(element("span", "small", "เวลา"));
      clock.appendChild(hours);
      clock.appendChild(element("span", null, ":"));
      clock.appendChild(minutes);
      clock.appendChild(element("span", "small", "น."));
      foot.appendChild(clock);
    }
    var todayButton = button("btn btn-sm btn-outline-secondary", "วันนี้");
    todayButton.addEventListener("click", function () {
      var now = todayInThailand();
      self.year = now.year;
      self.month = now.month;
      self.choose(now.day);
    });
    var clear = button("btn btn-sm btn-outline-secondary", "ล้าง");
    clear.addEventListener("click", function () {
      self.input.value = "";
      self.input.dispatchEvent(new Event("input", { bubbles: true }));
      closePicker(true);
    });
    var done = button("btn btn-sm btn-nitet", "ตกลง");
    done.addEventListener("click", function () { closePicker(true); });
    foot.appendChild(todayButton);
    foot.appendChild(clear);
    foot.appendChild(done);
    panel.appendChild(foot);
  };

  Picker.prototype.shift = function (months) {
    var index = this.year * 12 + (this.month - 1) + months;
    this.year = Math.floor(index / 12);
    this.month = index % 12 + 1;
    this.render();
  };

  Picker.prototype.write = function () {
    this.selected.hour = this.withTime ? this.hour : null;
    this.selected.minute = this.withTime ? this.minute : null;
    this.input.value = typed(this.selected, this.withTime);
    this.input.dispatchEvent(new Event("input", { bubbles: true }));
    this.input.dispatchEvent(new Event("change", { bubbles: true }));
  };

  Picker.prototype.choose = function (day) {
    this.selected = { year: this.year, month: this.month, day: day, hour: null, minute: null };
    this.write();
    if (this.withTime) {
      this.render();
    } else {
      closePicker(true);
    }
  };

  function open(input, toggle) {
    closePicker(false);
    var picker = new Picker(input, toggle);
    openPicker = picker;
    input.closest(".thai-date-wrap").appendChild(picker.panel);
    toggle.setAttribute("aria-expanded", "true");
    var focus = picker.panel.querySelector(".is-selected") || picker.panel.querySelector(".is-today") ||
      picker.panel.querySelector(".thai-datepicker-day");
    if (focus) { focus.focus(); }
  }

  function enhance(input) {
    if (input.getAttribute("data-thai-date-ready")) { return; }
    input.setAttribute("data-thai-date-ready", "1");
    var wrap = element("div", "input-group thai-date-wrap");
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    var toggle = button("btn btn-outline-secondary thai-date-toggle", "", "เปิดปฏิทินเลือกวันที่");
    toggle.appendChild(element("i", "bi bi-calendar3"));
    toggle.setAttribute("aria-haspopup", "dialog");
    toggle.setAttribute("aria-expanded", "false");
    if (input.classList.contains("form-control-sm")) { wrap.classList.add("input-group-sm"); }
    wrap.appendChild(toggle);
    toggle.addEventListener("click", function () {
      if (openPicker && openPicker.input === input) { closePicker(true); } else { open(input, toggle); }
    });
    input.addEventListener("input", function () { showReading(input); });
    input.addEventListener("change", function () { showReading(input); });
    input.addEventListener("blur", function () {
      // A typed date is written back in the one form the server reads ("11 ธ.ค. 69" → 11/12/2569).
      var value = parse(input.value);
      if (!value || value.error) { return; }
      if (input.getAttribute("data-thai-date") === "date") {
        input.value = typed(value, false);
      } else if (value.hour !== null) {
        input.value = typed(value, true);
      }
    });
    if (input.value) { showReading(input); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && openPicker) { closePicker(true); }
  });
  document.addEventListener("click", function (event) {
    // A click inside the calendar may have re-drawn it (its target is then detached): not outside.
    if (openPicker && event.target.isConnected && !openPicker.panel.contains(event.target) &&
        !openPicker.toggle.contains(event.target)) {
      closePicker(false);
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-thai-date]"), enhance);
  });
  window.nitetThaiDate = { parse: parse, typed: typed, sentence: sentence };
})();
