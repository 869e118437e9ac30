// Live total of a blueprint while it is edited: sum of count × points over the visible sections.
(function () {
  function update() {
    let points = 0;
    let count = 0;
    document.querySelectorAll('[id^="inline_child_sections-"]').forEach(function (child) {
      if (!/^inline_child_sections-\d+$/.test(child.id)) return;
      const deleted = child.querySelector('input[name$="-DELETE"]');
      if (deleted && deleted.value === "1") return;
      const n = parseInt((child.querySelector('input[name$="-count"]') || {}).value, 10) || 0;
      const p = parseFloat((child.querySelector('input[name$="-points"]') || {}).value) || 0;
      count += n;
      points += n * p;
    });
    document.querySelectorAll("[data-blueprint-total]").forEach(function (el) {
      el.textContent = Math.round(points * 10) / 10;
    });
    document.querySelectorAll("[data-blueprint-count]").forEach(function (el) {
      el.textContent = count;
    });
  }
  document.addEventListener("input", update);
  document.addEventListener("click", function () { setTimeout(update, 50); });
  document.addEventListener("DOMContentLoaded", update);
  update();
})();
