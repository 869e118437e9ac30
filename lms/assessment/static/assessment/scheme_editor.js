// Scheme editor: each indicator shows only the settings of its kind (exam, study, roster, deduction).
// Hidden fields keep their values; the server checks only what the chosen kind needs.
(function () {
  "use strict";
  var FIELDS = {
    exam: ["sessions", "exam_measure", "absent_rule"],
    study: ["study_plan", "study_measure"],
    roster: ["roster_check"],
    deduction: ["deduction_per_item", "floor"],
  };
  var ALL = [].concat(FIELDS.exam, FIELDS.study, FIELDS.roster, FIELDS.deduction);

  function apply(select) {
    var prefix = select.name.slice(0, -"kind".length);
    var wanted = FIELDS[select.value] || [];
    ALL.forEach(function (field) {
      var input = document.querySelector('[name="' + prefix + field + '"]');
      var wrapper = input && input.closest(".w-field__wrapper");
      if (wrapper) {
        wrapper.hidden = wanted.indexOf(field) === -1;
      }
    });
  }

  function applyAll() {
    document.querySelectorAll('select[name^="indicators-"][name$="-kind"]').forEach(apply);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches('select[name^="indicators-"][name$="-kind"]')) {
      apply(event.target);
    }
  });
  document.addEventListener("w-formset:added", applyAll);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", applyAll);
  } else {
    applyAll();
  }
})();
