// The API's documentation page (/api/v1/docs): Swagger UI on the service's own OpenAPI document. An external
// file, so the page meets the Content-Security-Policy (script-src 'self') without an inline script.
(function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: root.getAttribute("data-spec-url"), domNode: root, deepLinking: true });
})();
