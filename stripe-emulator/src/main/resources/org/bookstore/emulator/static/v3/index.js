/*
 * Stand-in Stripe.js for the Stripe emulator: load it as <script src="{emulator}/v3/"></script> and call the same
 * API as Stripe's own (Stripe(), elements(), the Payment and Card Elements, confirmPayment, confirmCardPayment,
 * retrievePaymentIntent, handleNextAction). Card data is typed into an iframe served by the emulator; that frame
 * talks to the emulator's API with the publishable key and to this script with postMessage.
 */
(function () {
  'use strict';

  if (window.Stripe && window.Stripe.emulator) {
    return;
  }

  function scriptOrigin() {
    var s = document.currentScript;
    if (!s) {
      var all = document.getElementsByTagName('script');
      for (var i = all.length - 1; i >= 0; i--) {
        if (/\/v3\/?(\?.*)?$/.test(all[i].src)) {
          s = all[i];
          break;
        }
      }
    }
    return new URL(s ? s.src : location.href, location.href).origin;
  }

  var ORIGIN = scriptOrigin();
  var FRAME_TITLE = 'Secure payment input frame';
  var AUTH_FAILURE_MESSAGE = 'We are unable to authenticate your payment method. Please choose a different '
    + 'payment method and try again.';
  var frameSeq = 0;
  var frames = {};

  function integrationError(message) {
    var e = new Error(message);
    e.name = 'IntegrationError';
    return e;
  }

  // ------------------------------------------------------------------ messages from the emulator's frames

  window.addEventListener('message', function (ev) {
    if (ev.origin !== ORIGIN) {
      return;
    }
    var d = ev.data;
    if (!d || typeof d !== 'object') {
      return;
    }
    if (d.stripeEmulator === true && typeof d.frameId === 'string') {
      var f = frames[d.frameId];
      if (f && f.iframe && ev.source === f.iframe.contentWindow) {
        f.receive(d);
      }
      return;
    }
    if (d.type === 'stripe-emulator-3ds' && activeModal && ev.source === activeModal.iframe.contentWindow) {
      activeModal.done(d);
    }
  });

  // ------------------------------------------------------------------ API calls (publishable key)

  function encode(obj, prefix, out) {
    Object.keys(obj).forEach(function (k) {
      var v = obj[k];
      var key = prefix ? prefix + '[' + k + ']' : k;
      if (v === undefined || v === null) {
        return;
      }
      if (typeof v === 'object') {
        encode(v, key, out);
      } else {
        out.push(encodeURIComponent(key) + '=' + encodeURIComponent(String(v)));
      }
    });
    return out;
  }

  async function api(key, method, path, params) {
    var body = params ? encode(params, '', []).join('&') : '';
    var url = ORIGIN + path;
    if (method === 'GET' && body) {
      url += '?' + body;
    }
    var init = {method: method, headers: {'Authorization': 'Bearer ' + key}};
    if (method !== 'GET') {
      init.headers['Content-Type'] = 'application/x-www-form-urlencoded';
      init.body = body;
    }
    var resp;
    try {
      resp = await fetch(url, init);
      var json = await resp.json();
      if (json && json.error) {
        return {error: json.error};
      }
      return {object: json};
    } catch (e) {
      return {error: {type: 'api_connection_error',
        message: 'An error occurred with our connection to Stripe. Request was retried 0 times.'}};
    }
  }

  function intentId(clientSecret, method) {
    var m = typeof clientSecret === 'string' && /^(pi_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$/.exec(clientSecret);
    if (!m) {
      throw integrationError('Invalid value for ' + method + ' intent secret: value should be a client_secret '
        + 'string. You specified: ' + clientSecret + '.');
    }
    return m[1];
  }

  function redirectStatus(pi) {
    var s = pi.status;
    if (s === 'succeeded' || s === 'requires_capture') {
      return 'succeeded';
    }
    return s === 'processing' ? 'pending' : 'failed';
  }

  function goToReturnUrl(returnUrl, pi) {
    var u = new URL(returnUrl, location.href);
    u.searchParams.set('payment_intent', pi.id);
    u.searchParams.set('payment_intent_client_secret', pi.client_secret);
    u.searchParams.set('redirect_status', redirectStatus(pi));
    window.top.location.assign(u.toString());
  }

  /** The error Stripe.js gives for a PaymentIntent back in requires_payment_method after an attempt. */
  function errorFromIntent(pi) {
    var lpe = pi.last_payment_error || {};
    if (lpe.code === 'payment_intent_authentication_failure') {
      return {type: 'invalid_request_error', code: 'payment_intent_authentication_failure',
        doc_url: 'https://stripe.com/docs/error-codes/payment-intent-authentication-failure',
        message: AUTH_FAILURE_MESSAGE, payment_intent: pi};
    }
    var e = {type: lpe.type || 'card_error', code: lpe.code, message: lpe.message, payment_intent: pi};
    if (lpe.decline_code) {
      e.decline_code = lpe.decline_code;
    }
    if (lpe.doc_url) {
      e.doc_url = lpe.doc_url;
    }
    if (lpe.charge) {
      e.charge = lpe.charge;
    }
    if (lpe.payment_method) {
      e.payment_method = lpe.payment_method;
    }
    return e;
  }

  // ------------------------------------------------------------------ 3-D Secure in a modal

  var activeModal = null;

  function authenticateInModal(url) {
    return new Promise(function (resolve) {
      var overlay = document.createElement('div');
      Object.assign(overlay.style, {position: 'fixed', top: '0', left: '0', right: '0', bottom: '0',
        zIndex: '2147483647', background: 'rgba(0, 0, 0, 0.45)', display: 'flex', alignItems: 'center',
        justifyContent: 'center'});
      overlay.setAttribute('data-stripe-emulator', '3ds-modal');
      var iframe = document.createElement('iframe');
      iframe.title = '3D Secure authentication';
      iframe.name = '__privateStripeFrame3ds' + (++frameSeq);
      Object.assign(iframe.style, {width: '500px', maxWidth: '95vw', height: '600px', maxHeight: '90vh',
        border: '0', borderRadius: '8px', background: '#fff'});
      var u = new URL(url, ORIGIN);
      u.searchParams.set('mode', 'modal');
      u.searchParams.set('origin', location.origin);
      iframe.src = u.toString();
      overlay.appendChild(iframe);
      document.body.appendChild(overlay);
      activeModal = {iframe: iframe, done: function (data) {
        activeModal = null;
        overlay.remove();
        resolve(data);
      }};
    });
  }

  /**
   * Handles next_action (3-D Secure): resolves {paymentIntent} or {error}. Confirmations from this script send
   * use_stripe_sdk=true, as Stripe.js does, and get Stripe's use_stripe_sdk action; redirect_to_url comes from
   * server-side confirmations.
   */
  async function handleAction(key, pi) {
    var na = pi.next_action || {};
    var url = na.type === 'use_stripe_sdk' ? na.use_stripe_sdk && na.use_stripe_sdk.stripe_js
      : na.type === 'redirect_to_url' ? na.redirect_to_url && na.redirect_to_url.url : null;
    if (!url) {
      return {error: {type: 'invalid_request_error', code: 'payment_intent_unexpected_state',
        message: 'The PaymentIntent has an unsupported next action: ' + na.type + '.', payment_intent: pi}};
    }
    await authenticateInModal(url);
    var r = await api(key, 'GET', '/v1/payment_intents/' + pi.id, {client_secret: pi.client_secret});
    if (r.error) {
      return {error: r.error};
    }
    return outcome(r.object);
  }

  function outcome(pi) {
    if (pi.status === 'requires_payment_method' && pi.last_payment_error) {
      return {error: errorFromIntent(pi)};
    }
    return {paymentIntent: pi};
  }

  /** After a confirmation: handle 3-D Secure, then resolve or go to the return URL. */
  async function finish(key, res, opts) {
    if (res.error) {
      return {error: res.error};
    }
    var pi = res.paymentIntent;
    if (pi.status === 'requires_action' && opts.handleActions !== false) {
      var after = await handleAction(key, pi);
      if (after.error) {
        return after;
      }
      pi = after.paymentIntent;
    }
    if (opts.redirect === 'always' && pi.status !== 'requires_action') {
      goToReturnUrl(opts.returnUrl, pi);
      return new Promise(function () {});
    }
    return {paymentIntent: pi};
  }

  // ------------------------------------------------------------------ elements

  function Element(group, type, options) {
    this._group = group;
    this._type = type;
    this._options = options || {};
    this._handlers = {};
    this._id = 'el' + (++frameSeq) + '_' + Math.random().toString(36).slice(2, 10);
    this._iframe = null;
    this._wrapper = null;
    this._container = null;
    this._ready = false;
    this._readyWaiters = [];
    this._calls = {};
    this._callSeq = 0;
    this._destroyed = false;
    this._state = {empty: true, complete: false, error: undefined};
  }

  Element.prototype._check = function () {
    if (this._destroyed) {
      throw integrationError('This Element has already been destroyed. Please create a new one.');
    }
  };

  Element.prototype.mount = function (target) {
    this._check();
    var node = target;
    if (typeof target === 'string') {
      node = document.querySelector(target);
      if (!node) {
        throw integrationError('The selector you specified (' + target + ') applies to no DOM elements that are '
          + 'currently on the page.\nMake sure the element exists on the page before calling mount().');
      }
    }
    if (!node || node.nodeType !== 1) {
      throw integrationError('Invalid DOM element. Make sure to call mount() with a valid DOM element or selector.');
    }
    if (this._iframe) {
      throw integrationError('This Element is already mounted. Use `unmount()` to unmount the Element before '
        + 're-mounting.');
    }
    var self = this;
    var wrapper = document.createElement('div');
    wrapper.className = '__PrivateStripeElement';
    Object.assign(wrapper.style, {margin: '0', padding: '0', border: 'none', display: 'block',
      background: 'transparent', position: 'relative', opacity: '1'});
    var iframe = document.createElement('iframe');
    iframe.name = '__privateStripeFrame' + this._id;
    iframe.title = FRAME_TITLE;
    iframe.setAttribute('frameborder', '0');
    iframe.setAttribute('allowtransparency', 'true');
    iframe.setAttribute('scrolling', 'no');
    Object.assign(iframe.style, {border: 'none', margin: '0', padding: '0', width: '100%', minWidth: '100%',
      display: 'block', overflow: 'hidden', height: this._type === 'card' ? '44px' : '180px'});
    var cfg = {frameId: this._id, type: this._type, parentOrigin: location.origin, key: this._group._stripe._key,
      hidePostalCode: true, disabled: !!this._options.disabled};
    iframe.src = ORIGIN + '/elements/element.html#' + encodeURIComponent(JSON.stringify(cfg));
    wrapper.appendChild(iframe);
    node.appendChild(wrapper);
    node.classList.add('StripeElement');
    this._container = node;
    this._wrapper = wrapper;
    this._iframe = iframe;
    this._ready = false;
    frames[this._id] = {iframe: iframe, receive: function (d) {
      self._receive(d);
    }};
    this._classes();
  };

  Element.prototype._classes = function () {
    var n = this._container;
    if (!n) {
      return;
    }
    n.classList.toggle('StripeElement--empty', this._state.empty);
    n.classList.toggle('StripeElement--complete', this._state.complete);
    n.classList.toggle('StripeElement--invalid', !!this._state.error);
  };

  Element.prototype._receive = function (d) {
    if (d.reply !== undefined) {
      var cb = this._calls[d.reply];
      delete this._calls[d.reply];
      if (cb) {
        cb(d.result);
      }
      return;
    }
    var type = this._type;
    switch (d.event) {
      case 'frame-ready':
        this._ready = true;
        this._readyWaiters.splice(0).forEach(function (w) {
          w();
        });
        this._emit('ready', {elementType: type});
        break;
      case 'change':
        this._state = {empty: d.empty, complete: d.complete, error: d.error || undefined};
        this._classes();
        var ev = {elementType: type, empty: d.empty, complete: d.complete, collapsed: false,
          value: {type: 'card'}, error: d.error || undefined};
        if (type === 'card') {
          ev.brand = d.brand;
        }
        this._emit('change', ev);
        break;
      case 'focus':
        if (this._container) {
          this._container.classList.add('StripeElement--focus');
        }
        this._emit('focus', {elementType: type});
        break;
      case 'blur':
        if (this._container) {
          this._container.classList.remove('StripeElement--focus');
        }
        this._emit('blur', {elementType: type});
        break;
      case 'resize':
        if (this._iframe && d.height > 0) {
          this._iframe.style.height = d.height + 'px';
        }
        break;
      default:
        break;
    }
  };

  Element.prototype._emit = function (name, ev) {
    (this._handlers[name] || []).slice().forEach(function (h) {
      try {
        h(ev);
      } catch (e) {
        setTimeout(function () {
          throw e;
        });
      }
    });
  };

  /** Sends a call to the frame once it is ready; resolves with the frame's answer. */
  Element.prototype._call = function (call, args) {
    var self = this;
    if (!this._iframe) {
      return Promise.reject(integrationError('The ' + this._type + ' Element is not mounted.'));
    }
    return new Promise(function (resolve) {
      var send = function () {
        var n = ++self._callSeq;
        self._calls[n] = resolve;
        self._iframe.contentWindow.postMessage({stripeEmulator: true, frameId: self._id, call: call, callId: n,
          args: args || {}}, ORIGIN);
      };
      if (self._ready) {
        send();
      } else {
        self._readyWaiters.push(send);
      }
    });
  };

  Element.prototype.on = function (name, handler) {
    this._check();
    if (typeof handler !== 'function') {
      throw integrationError('Invalid value for on(): handler should be a function.');
    }
    (this._handlers[name] = this._handlers[name] || []).push(handler);
    return this;
  };
  Element.prototype.addEventListener = Element.prototype.on;

  Element.prototype.once = function (name, handler) {
    var self = this;
    var wrapped = function (ev) {
      self.off(name, wrapped);
      handler(ev);
    };
    return this.on(name, wrapped);
  };

  Element.prototype.off = function (name, handler) {
    var list = this._handlers[name] || [];
    this._handlers[name] = handler ? list.filter(function (h) {
      return h !== handler;
    }) : [];
    return this;
  };
  Element.prototype.removeEventListener = Element.prototype.off;

  Element.prototype.unmount = function () {
    this._check();
    if (this._wrapper) {
      this._wrapper.remove();
    }
    if (this._container) {
      ['StripeElement', 'StripeElement--empty', 'StripeElement--complete', 'StripeElement--invalid',
        'StripeElement--focus'].forEach(function (c) {
        this._container.classList.remove(c);
      }, this);
    }
    delete frames[this._id];
    this._iframe = null;
    this._wrapper = null;
    this._container = null;
    this._ready = false;
    this._state = {empty: true, complete: false, error: undefined};
    return this;
  };

  Element.prototype.destroy = function () {
    this._check();
    this.unmount();
    this._destroyed = true;
    delete this._group._elements[this._type];
  };

  Element.prototype.focus = function () {
    this._call('focus');
    return this;
  };
  Element.prototype.blur = function () {
    this._call('blur');
    return this;
  };
  Element.prototype.clear = function () {
    this._call('clear');
    return this;
  };
  Element.prototype.update = function (options) {
    Object.assign(this._options, options || {});
    if (this._iframe) {
      this._call('update', {disabled: !!this._options.disabled});
    }
    return this;
  };
  Element.prototype.collapse = function () {
    return this;
  };

  function Elements(stripe, options) {
    options = options || {};
    this._stripe = stripe;
    this._elements = {};
    this._submitted = false;
    this._options = Object.assign({}, options);
    if (options.clientSecret !== undefined) {
      intentId(options.clientSecret, 'stripe.elements()');
      this._clientSecret = options.clientSecret;
    } else if (options.mode !== undefined) {
      if (options.mode !== 'payment') {
        throw integrationError('Invalid value for elements(): mode should be payment. You specified: '
          + options.mode + '. (The Stripe emulator supports only payment mode.)');
      }
      if (!(Number.isInteger(options.amount) && options.amount >= 0)) {
        throw integrationError('Invalid value for elements(): amount should be a positive integer. You specified: '
          + options.amount + '.');
      }
      if (typeof options.currency !== 'string' || !options.currency) {
        throw integrationError('Missing value for elements(): currency should be a string when mode is payment.');
      }
      this._deferred = true;
    }
  }

  Elements.prototype.create = function (type, options) {
    if (type !== 'payment' && type !== 'card') {
      throw integrationError('The Stripe emulator does not support the ' + type + ' Element. Use payment or card.');
    }
    if (this._elements[type]) {
      throw integrationError('Can only create one Element of type ' + type + '.');
    }
    if (type === 'payment' && !this._clientSecret && !this._deferred) {
      throw integrationError('In order to create a payment element, you must pass a valid PaymentIntent or '
        + 'SetupIntent client secret when creating the Elements group.\n\n  e.g. stripe.elements({clientSecret: '
        + '"{{CLIENT_SECRET}}"})');
    }
    var el = new Element(this, type, options);
    this._elements[type] = el;
    return el;
  };

  Elements.prototype.getElement = function (type) {
    return this._elements[type] || null;
  };

  Elements.prototype._paymentElement = function () {
    var el = this._elements.payment;
    return el && el._iframe ? el : null;
  };

  Elements.prototype.submit = async function () {
    var el = this._paymentElement() || (this._elements.card && this._elements.card._iframe ? this._elements.card
      : null);
    if (!el) {
      throw integrationError('elements.submit(): there is no mounted Payment Element to submit.');
    }
    var r = await el._call('validate');
    if (r.error) {
      this._submitted = false;
      return {error: r.error};
    }
    this._submitted = true;
    return {selectedPaymentMethod: 'card'};
  };

  Elements.prototype.update = async function (options) {
    Object.assign(this._options, options || {});
  };

  Elements.prototype.fetchUpdates = async function () {
    if (!this._clientSecret) {
      return {};
    }
    var r = await api(this._stripe._key, 'GET', '/v1/payment_intents/' + intentId(this._clientSecret,
      'elements.fetchUpdates()'), {client_secret: this._clientSecret});
    if (r.error) {
      return {error: {message: r.error.message}};
    }
    this._options.amount = r.object.amount;
    this._options.currency = r.object.currency;
    return {};
  };

  Elements.prototype.on = function () {
    return this;
  };

  // ------------------------------------------------------------------ Stripe()

  function Stripe(key, options) {
    if (key === undefined || key === null || key === '') {
      throw integrationError('Please call Stripe() with your publishable key. You used an empty string.');
    }
    if (typeof key !== 'string') {
      throw integrationError('Invalid value for Stripe(): apiKey should be a string. You specified: ' + typeof key
        + '.');
    }
    if (/^(sk|rk)_/.test(key)) {
      throw integrationError('You should not use your secret key with Stripe.js.\nPlease pass a publishable key '
        + 'instead.');
    }
    if (!/^pk_(test|live)_/.test(key)) {
      throw integrationError('Invalid value for Stripe(): apiKey should be a publishable key (pk_test_...). You '
        + 'specified: ' + key + '.');
    }
    var stripe = {_key: key, _options: options || {}};

    stripe.elements = function (opts) {
      return new Elements(stripe, opts);
    };

    stripe.retrievePaymentIntent = async function (clientSecret) {
      var id = intentId(clientSecret, 'stripe.retrievePaymentIntent');
      var r = await api(key, 'GET', '/v1/payment_intents/' + id, {client_secret: clientSecret});
      return r.error ? {error: r.error} : {paymentIntent: r.object};
    };

    /** Confirms from this page when no card data is involved (an existing PaymentMethod id). */
    async function confirmDirect(clientSecret, params) {
      var id = intentId(clientSecret, 'stripe.confirmPayment');
      var p = Object.assign({client_secret: clientSecret, use_stripe_sdk: true}, params);
      var r = await api(key, 'POST', '/v1/payment_intents/' + id + '/confirm', p);
      return r.error ? {error: r.error} : {paymentIntent: r.object};
    }

    stripe.confirmPayment = async function (options) {
      options = options || {};
      var redirect = options.redirect === undefined ? 'always' : options.redirect;
      if (redirect !== 'always' && redirect !== 'if_required') {
        throw integrationError('Invalid value for stripe.confirmPayment(): redirect should be one of the following '
          + 'strings: always, if_required. You specified: ' + redirect + '.');
      }
      var cp = options.confirmParams || {};
      if (redirect === 'always' && !cp.return_url) {
        throw integrationError('stripe.confirmPayment(): the `confirmParams.return_url` argument is required '
          + 'unless passing `redirect: \'if_required\'`');
      }
      var elements = options.elements;
      var res;
      var secret;
      if (!elements) {
        if (!options.clientSecret || !cp.payment_method) {
          throw integrationError('Invalid value for stripe.confirmPayment(): elements should be an Elements group, '
            + 'or pass clientSecret and confirmParams.payment_method.');
        }
        secret = options.clientSecret;
        res = await confirmDirect(secret, {payment_method: cp.payment_method, return_url: cp.return_url});
      } else {
        var el = elements._paymentElement && elements._paymentElement();
        if (!el) {
          throw integrationError('Invalid value for stripe.confirmPayment(): elements should have a mounted Payment '
            + 'Element or Express Checkout Element.');
        }
        if (elements._deferred) {
          if (!elements._submitted) {
            throw integrationError('elements.submit() must be called before stripe.confirmPayment(). Call '
              + 'elements.submit() as soon as your customer presses pay, prior to any asynchronous work. '
              + 'Integration guide: https://stripe.com/docs/payments/accept-a-payment-deferred');
          }
          if (!options.clientSecret) {
            throw integrationError('stripe.confirmPayment(): the `clientSecret` argument is required when the '
              + 'Elements group was created without one (mode: \'payment\').');
          }
          secret = options.clientSecret;
        } else {
          secret = elements._clientSecret;
        }
        intentId(secret, 'stripe.confirmPayment');
        res = await el._call('confirm', {clientSecret: secret, returnUrl: cp.return_url || null,
          paymentMethodData: cp.payment_method_data || null, receiptEmail: cp.receipt_email || null,
          shipping: cp.shipping || null});
      }
      return finish(key, res, {redirect: redirect, returnUrl: cp.return_url});
    };

    stripe.confirmCardPayment = async function (clientSecret, data, options) {
      intentId(clientSecret, 'stripe.confirmCardPayment');
      data = data || {};
      options = options || {};
      var pm = data.payment_method;
      var res;
      if (pm && typeof pm === 'object') {
        var card = pm.card;
        if (!(card instanceof Element) || !card._iframe) {
          throw integrationError('Invalid value for confirmCardPayment: payment_method.card should be a mounted '
            + 'card Element.');
        }
        res = await card._call('confirm', {clientSecret: clientSecret, returnUrl: data.return_url || null,
          paymentMethodData: {billing_details: pm.billing_details || null}, receiptEmail: data.receipt_email || null,
          shipping: data.shipping || null});
      } else {
        var params = {};
        if (typeof pm === 'string') {
          params.payment_method = pm;
        }
        if (data.return_url) {
          params.return_url = data.return_url;
        }
        res = await confirmDirect(clientSecret, params);
      }
      return finish(key, res, {redirect: 'if_required', handleActions: options.handleActions});
    };

    stripe.handleNextAction = async function (options) {
      options = options || {};
      var r = await stripe.retrievePaymentIntent(options.clientSecret);
      if (r.error) {
        return r;
      }
      if (r.paymentIntent.status !== 'requires_action') {
        return {paymentIntent: r.paymentIntent};
      }
      return handleAction(key, r.paymentIntent);
    };
    stripe.handleCardAction = function (clientSecret) {
      return stripe.handleNextAction({clientSecret: clientSecret});
    };

    stripe.createPaymentMethod = async function (options) {
      options = options || {};
      var el = options.elements ? options.elements._paymentElement() : options.card;
      if (!el || !(el instanceof Element) || !el._iframe) {
        throw integrationError('stripe.createPaymentMethod(): pass a mounted Payment Element (elements) or card '
          + 'Element (card).');
      }
      var params = options.params || {};
      var r = await el._call('createPaymentMethod', {billingDetails: options.billing_details
        || params.billing_details || null});
      return r.error ? {error: r.error} : {paymentMethod: r.paymentMethod};
    };

    /** The legacy flow: a card Element's details become a single-use token for the Charges API. */
    stripe.createToken = async function (element, data) {
      if (!element || !(element instanceof Element) || !element._iframe || element._type !== 'card') {
        throw integrationError('stripe.createToken(): pass a mounted card Element.');
      }
      var r = await element._call('createToken', {data: data || null});
      return r.error ? {error: r.error} : {token: r.token};
    };

    return stripe;
  }

  Stripe.version = 3;
  Stripe.emulator = {origin: ORIGIN};
  window.Stripe = Stripe;
})();
