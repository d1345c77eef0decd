/*
 * Local Web Chat page of the Asistente CCF: the official Web Chat bundle talking, by polling, to the
 * Direct Line 3.0 endpoint built into the assistant (no Azure, no internet).
 *
 * - The token comes from POST /v3/directline/tokens/generate (no secret needed locally) and is kept
 *   with the conversation id in sessionStorage: a reload continues the same conversation.
 * - The token is refreshed before it expires. Web Chat ends the connection when a token has expired
 *   anyway (e.g. after the computer slept): the page then exchanges it for a new one of the same
 *   conversation (while the server allows it, otherwise a new conversation starts) and reconnects.
 * - Direct Line JS stops polling after a network error (e.g. the assistant restarted): the page
 *   notices the failed poll and restarts polling, with a growing delay.
 */
(function () {
  'use strict';

  var DOMAIN = location.origin + '/v3/directline';
  var STORAGE_KEY = 'asistente-ccf/directline';
  var REFRESH_BEFORE_MS = 5 * 60 * 1000;
  var CHECK_EVERY_MS = 30 * 1000;
  var ONLINE = 2;
  var EXPIRED_TOKEN = 3;
  var FAILED_TO_CONNECT = 4;
  var ENDED = 5;

  var STYLE = {
    accent: '#3366CC',
    botAvatarInitials: 'CCF',
    userAvatarInitials: 'Yo',
    bubbleBorderRadius: 8,
    bubbleFromUserBorderRadius: 8,
    bubbleFromUserBackground: '#E8EFFC',
    bubbleFromUserBorderColor: '#C9D8F5',
    sendBoxButtonColor: '#3366CC',
    suggestedActionLayout: 'flow',
    uploadAccept: 'application/pdf,image/*',
    rootHeight: '100%',
    rootWidth: '100%'
  };

  var estado = document.getElementById('estado');
  var host = document.getElementById('webchat');
  var session = null;
  var directLine = null;
  var renewing = null;

  // ---------------------------------------------------------------- status line

  function show(text, isError) {
    estado.textContent = text;
    estado.className = isError ? 'estado error' : 'estado';
    if (isError) {
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Reintentar';
      button.addEventListener('click', function () {
        location.reload();
      });
      estado.appendChild(button);
    }
    estado.hidden = false;
  }

  function hide() {
    estado.hidden = true;
  }

  // ---------------------------------------------------------------- session (sessionStorage)

  function load() {
    try {
      var s = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || 'null');
      if (s && typeof s.token === 'string' && typeof s.conversationId === 'string') return s;
    } catch (e) {
      /* nothing stored, or storage unavailable */
    }
    return null;
  }

  function save() {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    } catch (e) {
      /* storage unavailable: the conversation just will not survive a reload */
    }
  }

  /** The claims of a token (a JWT): conv, user, exp. */
  function claims(token) {
    try {
      var part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      while (part.length % 4) part += '=';
      return JSON.parse(atob(part));
    } catch (e) {
      return {};
    }
  }

  function adopt(response, started) {
    var c = claims(response.token);
    session = {
      token: response.token,
      conversationId: response.conversationId,
      userId: c.user,
      expiresAt: c.exp ? c.exp * 1000 : Date.now() + response.expires_in * 1000,
      started: !!started
    };
    save();
  }

  // ---------------------------------------------------------------- tokens

  async function post(path, token, body) {
    var headers = { Accept: 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    if (body) headers['Content-Type'] = 'application/json';
    var res = await fetch(DOMAIN + path, {
      method: 'POST',
      headers: headers,
      body: body ? JSON.stringify(body) : undefined,
      cache: 'no-store',
      credentials: 'omit'
    });
    if (!res.ok) {
      var error = new Error('HTTP ' + res.status);
      error.status = res.status;
      throw error;
    }
    return res.json();
  }

  /** A token of the same conversation while possible; otherwise one of a new conversation. */
  async function freshToken(previous) {
    if (!previous) return post('/tokens/generate');
    try {
      return await post('/tokens/refresh', previous.token);
    } catch (e) {
      if (e.status !== 401 && e.status !== 403) throw e;
    }
    return post('/tokens/generate', null, { resume: previous.token });
  }

  /**
   * Gets a fresh token; `reconnect(response)` continues with it when it is for the same
   * conversation. Otherwise the old conversation cannot continue: a clean page starts the new one.
   */
  function withFreshToken(reconnect) {
    if (renewing) return renewing;
    renewing = (async function () {
      try {
        var response = await freshToken(session);
        if (response.conversationId === session.conversationId) {
          adopt(response, session.started);
          reconnect(response);
        } else {
          adopt(response, false);
          location.reload();
        }
      } catch (e) {
        show('Se perdió la conexión con el asistente.', true);
      } finally {
        renewing = null;
      }
    })();
    return renewing;
  }

  /** Before expiry, while connected: Direct Line JS just takes the new token. */
  function renew() {
    return withFreshToken(function (response) {
      directLine.reconnect({ conversationId: response.conversationId, token: response.token });
    });
  }

  /** After Web Chat ended the connection (expired token): a new connection to the same conversation. */
  function recover() {
    show('Reconectando…', false);
    return withFreshToken(function () {
      render();
    });
  }

  // Direct Line JS refreshes the token by itself too: keep the newest one for a reload.
  setInterval(function () {
    if (!session || !directLine) return;
    if (directLine.token && directLine.token !== session.token) {
      session.token = directLine.token;
      session.expiresAt = (claims(directLine.token).exp || 0) * 1000;
      save();
    }
    if (session.expiresAt - Date.now() < REFRESH_BEFORE_MS) renew();
  }, CHECK_EVERY_MS);

  // ---------------------------------------------------------------- polling watchdog

  // Direct Line JS gives up polling after a failed poll (other than 403/404): restart it.
  var NativeXHR = window.XMLHttpRequest;
  var reviveDelay = 1000;
  var reviveTimer = null;

  function scheduleRevive() {
    if (reviveTimer) return;
    reviveTimer = setTimeout(function () {
      reviveTimer = null;
      if (directLine && directLine.connectionStatus$.getValue() === ONLINE) {
        directLine.connectionStatus$.next(ONLINE); // a new "online" starts a new poller
      }
    }, reviveDelay);
    reviveDelay = Math.min(reviveDelay * 2, 15000);
  }

  var reconnectDelay = 1000;
  var reconnectTimer = null;

  function scheduleReconnect() {
    if (reconnectTimer) return;
    reconnectTimer = setTimeout(function () {
      reconnectTimer = null;
      render();
    }, reconnectDelay);
    reconnectDelay = Math.min(reconnectDelay * 2, 15000);
  }

  function WatchedXHR() {
    var xhr = new NativeXHR();
    var isPoll = false;
    var open = xhr.open;
    xhr.open = function (method, url) {
      isPoll = method === 'GET' && /\/activities\?watermark=/.test(String(url));
      return open.apply(xhr, arguments);
    };
    xhr.addEventListener('loadend', function () {
      if (!isPoll) return;
      if (xhr.status === 200) reviveDelay = reconnectDelay = 1000;
      else if (xhr.status !== 403 && xhr.status !== 404) scheduleRevive();
    });
    return xhr;
  }
  WatchedXHR.prototype = NativeXHR.prototype;
  window.XMLHttpRequest = WatchedXHR;

  // ---------------------------------------------------------------- Web Chat

  function onStatus(connection, status) {
    if (connection !== directLine) return; // a previous connection, replaced by render()
    if (status === ONLINE) {
      hide();
      if (!session.started || (directLine.token && directLine.token !== session.token)) {
        session.started = true;
        if (directLine.token) {
          session.token = directLine.token;
          session.expiresAt = (claims(directLine.token).exp || 0) * 1000;
        }
        save();
      }
    } else if (status === EXPIRED_TOKEN || status === ENDED) {
      // Web Chat ends the connection as soon as Direct Line JS reports an expired token.
      recover();
    } else if (status === FAILED_TO_CONNECT) {
      // E.g. a revived poller asked while the assistant was restarting: connect again, with a growing delay.
      show('Reconectando con el asistente…', false);
      scheduleReconnect();
    }
  }

  /** (Re)connects Web Chat; the transcript on screen stays, the server's history fills any gap. */
  function render() {
    var connection = window.WebChat.createDirectLine({
      domain: DOMAIN,
      token: session.token,
      conversationId: session.started ? session.conversationId : undefined,
      webSocket: false,
      conversationStartProperties: { locale: 'es-CO' }
    });
    directLine = connection;
    connection.connectionStatus$.subscribe(function (status) {
      onStatus(connection, status);
    });
    window.WebChat.renderWebChat(
      {
        directLine: connection,
        locale: 'es-ES',
        userID: session.userId,
        styleOptions: STYLE
      },
      host
    );
  }

  async function start() {
    if (!window.WebChat) {
      show('No fue posible cargar el chat.', true);
      return;
    }
    try {
      var stored = load();
      var response = await freshToken(stored);
      adopt(response, !!(stored && stored.started && response.conversationId === stored.conversationId));
      render();
    } catch (e) {
      show('No fue posible conectar con el asistente.', true);
    }
  }

  start();
})();
