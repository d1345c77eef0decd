/*
 * Starts the official Swagger UI on a service's documentation page (bot/servicios-pages.ts): the
 * OpenAPI document from this origin (the page's data-spec), read only. No "Try it out", no online
 * validator, no "Explore" bar, no deep links, no configuration from the address bar, no
 * "Authorize" dialog (credentials are never typed into this page), and the signed address of the
 * document is not printed under the title.
 */
(function () {
  'use strict';
  var root = document.getElementById('swagger-ui');
  var SwaggerUIBundle = window.SwaggerUIBundle;
  if (!root || typeof SwaggerUIBundle !== 'function') return;

  var hidden = function () {
    return function () {
      return null;
    };
  };
  var ReadOnly = function () {
    return { wrapComponents: { authorizeBtn: hidden, authorizeOperationBtn: hidden, InfoUrl: hidden } };
  };

  window.ui = SwaggerUIBundle({
    url: root.getAttribute('data-spec'),
    domNode: root,
    presets: [SwaggerUIBundle.presets.apis],
    plugins: [ReadOnly],
    layout: 'BaseLayout',
    deepLinking: false,
    queryConfigEnabled: false,
    validatorUrl: null,
    supportedSubmitMethods: [],
    tryItOutEnabled: false,
    persistAuthorization: false,
    withCredentials: false,
    docExpansion: 'full',
    defaultModelsExpandDepth: 1,
    defaultModelExpandDepth: 3,
    displayRequestDuration: false,
  });
})();
