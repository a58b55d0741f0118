// The page works without this file (plain forms and links); it only saves
// a click: a changed filter or date applies at once.
(function () {
  var forms = document.querySelectorAll("form.filters, form.asof");
  for (var i = 0; i < forms.length; i++) {
    var f = forms[i];
    f.addEventListener("change", function (e) {
      var form = e.currentTarget;
      // A changed table makes the chosen section meaningless.
      if (e.target.name === "table" && form.section) form.section.value = "";
      form.submit();
    });
  }
})();
