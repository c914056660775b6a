// ค้นหา: suggestions while typing under every <input data-search-suggest="/search/suggest">
// (arrow keys, Enter, Escape), and filters of the search page that apply when changed.
(function () {
  "use strict";

  var DELAY = 200;

  function attach(input) {
    var url = input.getAttribute("data-search-suggest");
    var list = document.createElement("ul");
    var listId = "search-suggest-" + Math.random().toString(36).slice(2);
    var timer = null;
    var active = -1;
    var lastQuery = "";
    var controller = null;

    list.id = listId;
    list.className = "search-suggest list-unstyled shadow";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");
    input.parentElement.classList.add("search-suggest-host");
    input.insertAdjacentElement("afterend", list);

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function items() {
      return list.querySelectorAll("[role=option]");
    }

    function highlight(index) {
      var options = items();
      for (var i = 0; i < options.length; i++) {
        options[i].classList.toggle("active", i === index);
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
      }
    }

    function render(suggestions) {
      list.textContent = "";
      suggestions.forEach(function (suggestion, index) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        var label = document.createElement("small");
        item.id = listId + "-" + index;
        item.setAttribute("role", "option");
        link.href = suggestion.url;
        // The server escaped the title and marked the typed words with <mark>.
        link.innerHTML = suggestion.html;
        label.className = "text-secondary d-block";
        label.textContent = suggestion.label;
        link.appendChild(label);
        item.appendChild(link);
        list.appendChild(item);
      });
      var all = document.createElement("li");
      var allLink = document.createElement("a");
      all.id = listId + "-all";
      all.setAttribute("role", "option");
      all.className = "search-suggest-all";
      allLink.href = input.form.action + "?q=" + encodeURIComponent(input.value.trim());
      allLink.textContent = "ค้นหา “" + input.value.trim() + "” ทั้งหมด";
      all.appendChild(allLink);
      list.appendChild(all);
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < 2) {
        close();
        return;
      }
      if (query === lastQuery && !list.hidden) {
        return;
      }
      lastQuery = query;
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (input.value.trim() === query) {
            render(data.suggestions || []);
          }
        })
        .catch(function () {});
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var options = items();
      if (list.hidden || !options.length) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? options.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = options[active].querySelector("a").href;
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  var inputs = document.querySelectorAll("input[data-search-suggest]");
  for (var i = 0; i < inputs.length; i++) {
    attach(inputs[i]);
  }

  // Filters on the search page apply as soon as they change.
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-autosubmit]")) {
      event.target.form.submit();
    }
  });
  var apply = document.querySelectorAll(".search-filters-apply");
  for (var j = 0; j < apply.length; j++) {
    apply[j].classList.add("d-none");
  }
})();
