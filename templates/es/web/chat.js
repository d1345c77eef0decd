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
 *   notices the failed poll and restarts polling, with a growing delay. A new connection goes on from
 *   the last watermark, so the transcript on screen is completed, never fetched again.
 * - A reload gets only the recent part of a long conversation from the server and gives it to Web
 *   Chat as its initial state, so the current question shows at once; when older messages were left
 *   out, an event says so and the page shows the note of #historial.
 * - When the assistant deletes an activity (e.g. a password typed as plain text), an event names it
 *   and the page removes it from the transcript, also the local copy of a message being sent.
 * - Web Chat ignores what is sent while it is not connected (e.g. just after a reload, the history
 *   already on screen): the page holds it and sends it, in order, once the connection is up.
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
  // Events of the assistant's Direct Line endpoint (bot/directline/context.ts).
  var RETRACT_EVENT = 'asistente/retirar';
  var RECENT_HISTORY_EVENT = 'asistente/historial-reciente';
  var INCOMING_ACTIVITY = 'DIRECT_LINE/INCOMING_ACTIVITY';
  var POST_ACTIVITY_FULFILLED = 'DIRECT_LINE/POST_ACTIVITY_FULFILLED';
  var DELETE_ACTIVITY = 'DIRECT_LINE/DELETE_ACTIVITY';
  // Web Chat's connection lifecycle, and what a person sends (Web Chat handles these only while connected).
  var CONNECTED = ['DIRECT_LINE/CONNECT_FULFILLING', 'DIRECT_LINE/RECONNECT_FULFILLING'];
  var CONNECTION_BUSY = ['DIRECT_LINE/CONNECT', 'DIRECT_LINE/RECONNECT_PENDING', 'DIRECT_LINE/DISCONNECT_PENDING'];
  var SUBMIT_SEND_BOX = 'WEB_CHAT/SUBMIT_SEND_BOX';
  var SENDS = [SUBMIT_SEND_BOX, 'WEB_CHAT/SEND_MESSAGE', 'WEB_CHAT/SEND_MESSAGE_BACK', 'WEB_CHAT/SEND_POST_BACK', 'WEB_CHAT/SEND_EVENT', 'WEB_CHAT/SEND_FILES'];

  var STYLE = {
    accent: '#3366CC',
    botAvatarInitials: 'CCF',
    userAvatarInitials: 'Yo',
    bubbleBorderRadius: 8,
    bubbleFromUserBorderRadius: 8,
    bubbleFromUserBackground: '#E8EFFC',
    bubbleFromUserBorderColor: '#C9D8F5',
    sendBoxButtonColor: '#3366CC',
    // A pasted key, certificate, JSON example or OpenAPI document keeps its lines (Enter still sends).
    sendBoxTextWrap: true,
    suggestedActionLayout: 'flow',
    // The RUT (PDF or image), a public key or certificate, a JSON example, an OpenAPI document.
    uploadAccept: 'application/pdf,image/*,.pem,.crt,.cer,.json,.yaml,.yml',
    rootHeight: '100%',
    rootWidth: '100%'
  };

  var estado = document.getElementById('estado');
  var host = document.getElementById('webchat');
  var historial = document.getElementById('historial');
  var session = null;
  var directLine = null;
  var renewing = null;
  var store = null;

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

  // ---------------------------------------------------------------- retracted activities, history note

  var retractedIds = Object.create(null);
  var retractedClientIds = Object.create(null);

  function clientIdOf(activity) {
    return activity && activity.channelData ? activity.channelData.clientActivityID : undefined;
  }

  function isRetracted(activity) {
    if (!activity) return false;
    var clientId = clientIdOf(activity);
    return !!((activity.id && retractedIds[activity.id]) || (clientId && retractedClientIds[clientId]));
  }

  /** Removes a retracted activity from Web Chat's transcript (and a local copy not yet echoed). */
  function removeRetracted(api) {
    api.getState().activities.forEach(function (activity) {
      if (!isRetracted(activity)) return;
      if (activity.id) {
        api.dispatch({ type: DELETE_ACTIVITY, payload: { activityID: activity.id } });
        return;
      }
      // A message still being sent, shown from its local copy: its echo will never come (the server
      // deleted it). A stand-in echo, without the text, ends the send; this middleware then deletes it.
      var clientId = clientIdOf(activity);
      var id = retractedClientIds[clientId];
      if (typeof id !== 'string') return;
      api.dispatch({
        type: INCOMING_ACTIVITY,
        payload: {
          activity: {
            type: 'message',
            id: id,
            text: '',
            timestamp: activity.timestamp,
            from: activity.from,
            channelData: { clientActivityID: clientId }
          }
        }
      });
    });
  }

  function retract(api, value) {
    if (!value || typeof value.id !== 'string') return;
    retractedIds[value.id] = true;
    if (typeof value.clientActivityID === 'string') retractedClientIds[value.clientActivityID] = value.id;
    removeRetracted(api);
  }

  // ---------------------------------------------------------------- sends while connecting

  // Web Chat ignores a send while it is not connected (just after a reload the history is already on
  // screen and the connection still coming): Enter does nothing, a card's button is lost. The page
  // holds those sends and makes them, in order, once the connection is up.
  var connected = false;
  var held = [];

  function sendHeld(api) {
    // Web Chat starts its send handlers on the action that says it is connected: after them.
    setTimeout(function () {
      held.splice(0).forEach(function (action) {
        api.dispatch(action);
      });
    }, 0);
  }

  /** Enter in the send box, or its send button, while not connected: the submit waits. */
  function holdSubmit(event) {
    if (connected || !store || !event.target || !event.target.closest) return;
    var isEnter = (event.type === 'keydown' || event.type === 'keypress') && event.key === 'Enter' && !event.shiftKey && !event.isComposing;
    var inSendBox = event.target.closest('.webchat__send-box');
    if (!(isEnter && inSendBox) && !(event.type === 'click' && event.target.closest('.webchat__send-button'))) return;
    event.preventDefault();
    event.stopPropagation();
    if (event.type !== 'keypress') held.push({ type: SUBMIT_SEND_BOX, payload: { method: event.type === 'click' ? 'button' : 'keyboard' } });
  }
  ['keydown', 'keypress', 'click'].forEach(function (type) {
    window.addEventListener(type, holdSubmit, true);
  });

  /**
   * Web Chat store middleware: retraction and history-note events, retracted activities arriving
   * late, and sends made while not connected (held until it is).
   */
  function middleware(api) {
    return function (next) {
      return function (action) {
        var type = action && action.type;
        if (CONNECTED.indexOf(type) >= 0) {
          var fulfilled = next(action);
          connected = true;
          sendHeld(api);
          return fulfilled;
        }
        if (CONNECTION_BUSY.indexOf(type) >= 0) connected = false;
        if (!connected && SENDS.indexOf(type) >= 0) {
          held.push(action);
          return undefined;
        }
        var activity = action && action.payload && action.payload.activity;
        if (action.type === INCOMING_ACTIVITY && activity && activity.type === 'event') {
          if (activity.name === RECENT_HISTORY_EVENT) {
            if (historial) historial.hidden = false;
            return undefined; // nothing to keep in the transcript
          }
          if (activity.name === RETRACT_EVENT) {
            var outcome = next(action);
            retract(api, activity.value);
            return outcome;
          }
        }
        var result = next(action);
        if ((action.type === INCOMING_ACTIVITY || action.type === POST_ACTIVITY_FULFILLED) && isRetracted(activity)) {
          removeRetracted(api);
        }
        return result;
      };
    };
  }

  // ---------------------------------------------------------------- connection status

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

  // ---------------------------------------------------------------- the history on a reload

  /**
   * A reload asks the server for the recent part of the conversation itself and hands it to Web Chat
   * as its initial state: one render, the current question at once (through Direct Line JS the
   * activities would be shown one by one, each re-rendering the transcript). Null when that fails:
   * Direct Line JS then fetches the history as usual.
   */
  async function recentHistory() {
    try {
      var res = await fetch(DOMAIN + '/conversations/' + encodeURIComponent(session.conversationId) + '/activities?watermark=', {
        headers: { Accept: 'application/json', Authorization: 'Bearer ' + session.token },
        cache: 'no-store',
        credentials: 'omit'
      });
      if (!res.ok) return null;
      var body = await res.json();
      if (!body || !Array.isArray(body.activities) || typeof body.watermark !== 'string') return null;
      return body;
    } catch (e) {
      return null;
    }
  }

  /** Web Chat's initial state from the history: its messages as Web Chat keeps received ones. */
  function initialState(history) {
    var activities = [];
    var sequence = 0;
    history.activities.forEach(function (a) {
      if (!a || typeof a !== 'object' || !a.from) return;
      if (a.type === 'event' && a.name === RECENT_HISTORY_EVENT) {
        if (historial) historial.hidden = false;
        return;
      }
      if (a.type !== 'message') return; // past typing indicators and events have nothing to show
      // Ordered by time as Web Chat orders received activities (an updated one keeps its place).
      var time = Date.parse(a.timestamp);
      sequence = isFinite(time) ? time : sequence + 0.001;
      var channelData = Object.assign({}, a.channelData, {
        'webchat:sequence-id': sequence,
        webChat: { receivedAt: Date.now() }
      });
      if (a.from.role === 'user') {
        channelData['webchat:send-status'] = 'sent';
        channelData.state = 'sent';
      }
      activities.push(Object.assign({}, a, { channelData: channelData }));
    });
    activities.sort(function (x, y) {
      return x.channelData['webchat:sequence-id'] - y.channelData['webchat:sequence-id'];
    });
    var state = { activities: activities };
    var last = activities[activities.length - 1];
    var suggested = last && last.from.role === 'bot' && last.suggestedActions;
    if (suggested && Array.isArray(suggested.actions) && suggested.actions.length) {
      var to = suggested.to;
      if (!(to && to.length && to.indexOf(session.userId) < 0)) state.suggestedActions = suggested.actions;
    }
    return state;
  }

  /**
   * Web Chat scrolls to the end of a transcript smoothly, which takes a while over a long history:
   * after a reload, jump there at once (until the transcript stops growing, or the person scrolls).
   */
  function jumpToEnd() {
    var frames = 0;
    var steady = 0;
    var lastHeight = -1;
    var stop = false;
    function interrupt() {
      stop = true;
    }
    ['wheel', 'touchstart', 'keydown', 'mousedown'].forEach(function (type) {
      host.addEventListener(type, interrupt, { once: true, passive: true });
    });
    (function step() {
      if (stop || frames++ > 120) return;
      var scrollable = host.querySelector('.webchat__basic-transcript__scrollable');
      if (scrollable && scrollable.scrollHeight > scrollable.clientHeight) {
        scrollable.scrollTop = scrollable.scrollHeight;
        steady = scrollable.scrollHeight === lastHeight ? steady + 1 : 0;
        lastHeight = scrollable.scrollHeight;
        if (steady > 10) return;
      }
      requestAnimationFrame(step);
    })();
  }

  // ---------------------------------------------------------------- Web Chat

  /**
   * (Re)connects Web Chat; the transcript on screen stays. A new connection goes on from the previous
   * one's watermark (the server's history fills any gap); the first from `watermark`, when given.
   */
  function render(watermark) {
    var from = directLine && typeof directLine.watermark === 'string' ? directLine.watermark : watermark;
    var options = {
      domain: DOMAIN,
      token: session.token,
      conversationId: session.started ? session.conversationId : undefined,
      webSocket: false,
      conversationStartProperties: { locale: 'es-CO' }
    };
    if (session.started && from) options.watermark = from;
    var connection = window.WebChat.createDirectLine(options);
    directLine = connection;
    connection.connectionStatus$.subscribe(function (status) {
      onStatus(connection, status);
    });
    store = store || window.WebChat.createStore({}, middleware);
    window.WebChat.renderWebChat(
      {
        directLine: connection,
        store: store,
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
      var history = session.started ? await recentHistory() : null;
      if (history) store = window.WebChat.createStore(initialState(history), middleware);
      render(history ? history.watermark : '');
      if (history) jumpToEnd();
    } catch (e) {
      show('No fue posible conectar con el asistente.', true);
    }
  }

  start();
})();
