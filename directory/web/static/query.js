// The development query console: POSTs the form's query to /graphql and shows the answer.
"use strict";
(function () {
  var form = document.getElementById("console");
  var result = document.getElementById("result");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var variables;
    try {
      variables = JSON.parse(form.variables.value || "{}");
    } catch (err) {
      result.textContent = "变量不是合法的 JSON / variables are not valid JSON: " + err.message;
      return;
    }
    var headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (form.token.value) headers.Authorization = "Bearer " + form.token.value;
    result.textContent = "…";
    fetch("/graphql", {
      method: "POST",
      headers: headers,
      body: JSON.stringify({ query: form.query.value, variables: variables }),
    })
      .then(function (response) { return response.text(); })
      .then(function (text) {
        try {
          result.textContent = JSON.stringify(JSON.parse(text), null, 2);
        } catch (err) {
          result.textContent = text;
        }
      })
      .catch(function (err) { result.textContent = String(err); });
  });
})();
