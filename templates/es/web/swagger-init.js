/*
 * Starts the official Swagger UI on a service's documentation page (bot/servicios-pages.ts): the
 * OpenAPI document from this origin (the page's data-spec), read only. No "Try it out", no online
 * validator, no "Explore" bar, no deep links, no configuration from the address bar, no
 * "Authorize" dialog (credentials are never typed into this page), and the signed address of the
 * document is not printed under the title. Swagger UI's own labels are shown in Spanish.
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

  // Swagger UI's own labels in Spanish: each text node that is exactly one of these labels, where
  // Swagger UI puts it (the selector of its parent element), so that nothing of the document itself
  // (names, descriptions, examples) is ever changed. Re-applied when Swagger UI redraws a part.
  var LABELS = [
    ['.servers-title', 'Servers', 'Servidores'],
    ['.opblock-title, .opblock-title span', 'Parameters', 'Parámetros'],
    ['.opblock-title, .opblock-title span', 'Request body', 'Cuerpo de la solicitud'],
    ['.opblock-description-wrapper p', 'No parameters', 'Sin parámetros'],
    ['.col_header, .header-col', 'Name', 'Nombre'],
    ['.col_header, .header-col', 'Description', 'Descripción'],
    ['.col_header, .header-col', 'Type', 'Tipo'],
    ['.col_header', 'Code', 'Código'],
    ['.col_header', 'Links', 'Enlaces'],
    ['.response-col_links i', 'No links', 'Sin enlaces'],
    ['button.tablinks', 'Example Value', 'Valor de ejemplo'],
    ['button.tablinks', 'Schema', 'Esquema'],
    ['.responses-wrapper h4, .opblock-section-header h4', 'Responses', 'Respuestas'],
    ['.response-control-media-type__title', 'Media type', 'Tipo de contenido'],
    ['.response-control-media-type__accept-message', 'Controls', 'Define el encabezado'],
    ['.response-control-media-type__accept-message', 'header.', 'de la respuesta.'],
    ['.headers__title', 'Headers:', 'Encabezados:'],
    ['h5', 'Response headers', 'Encabezados de la respuesta'],
    ['.models-control span', 'Schemas', 'Esquemas'],
    ['.models-control span', 'Models', 'Modelos'],
    ['.json-schema-2020-12-expand-deep-button', 'Expand all', 'Expandir todo'],
    ['.json-schema-2020-12-expand-deep-button', 'Collapse all', 'Contraer todo'],
    ['.renderedMarkdown i, .parameter__example i, .header-example', 'Example', 'Ejemplo'],
    ['.parameter__in', 'header', 'encabezado'],
    ['.parameter__in', 'query', 'consulta'],
    ['.parameter__in', 'path', 'ruta'],
    ['.loading-container h4, .loading-container .title', 'Failed to load API definition.', 'No se pudo cargar la documentación del servicio.'],
  ];

  var translate = function () {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var text = node.nodeValue || '';
      var label = text.trim();
      if (!label || label.length > 40) continue;
      for (var i = 0; i < LABELS.length; i++) {
        var entry = LABELS[i];
        if (entry[1] === label && node.parentElement && node.parentElement.matches(entry[0])) {
          node.nodeValue = text.replace(label, entry[2]);
          break;
        }
      }
    }
  };
  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      translate();
    });
  }).observe(root, { childList: true, subtree: true, characterData: true });

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
