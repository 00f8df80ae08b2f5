/*
 * The triage board (staff/consultation/triage.html), made quicker to use.
 *
 * Without this script every checkbox is ticked by hand and the page works as
 * it is. With it: a "select all on this page" box in the table's header, and a
 * count of the ticked comments beside the buttons.
 */
(function () {
  "use strict";

  var form = document.getElementById("decide-form");
  var table = document.querySelector("table.comments");
  if (!form || !table) {
    return;
  }
  var boxes = Array.prototype.slice.call(
    document.querySelectorAll("input[type='checkbox'][name='comment'][form='decide-form']")
  );
  var counter = form.querySelector("[data-selected-count]");
  var headCell = table.querySelector("thead th");
  var all = document.createElement("input");
  all.type = "checkbox";
  all.id = "pick-all";
  var label = document.createElement("label");
  label.htmlFor = "pick-all";
  label.className = "visually-hidden";
  label.textContent = form.dataset.selectAll || "全选本页";
  headCell.textContent = "";
  headCell.appendChild(all);
  headCell.appendChild(label);

  function update() {
    var ticked = boxes.filter(function (box) {
      return box.checked;
    }).length;
    all.checked = ticked > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
    if (counter) {
      counter.textContent = ticked ? (form.dataset.selectedLabel || "已勾选") + " " + ticked : "";
    }
  }

  all.addEventListener("change", function () {
    boxes.forEach(function (box) {
      box.checked = all.checked;
    });
    update();
  });
  boxes.forEach(function (box) {
    box.addEventListener("change", update);
  });
  update();
})();
