/*
 * The card input frame of the stand-in Stripe.js. It runs on the emulator's origin, so the merchant's page never sees
 * the card number: this frame creates the PaymentMethod and confirms the PaymentIntent with the publishable key, and
 * reports only results to the parent page (postMessage, origins checked both ways).
 */
(function () {
  'use strict';

  var cfg;
  try {
    cfg = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  } catch (e) {
    document.body.textContent = 'This page is loaded by Stripe.js (the emulator\'s /v3/) inside a payment form.';
    return;
  }
  var PARENT = cfg.parentOrigin;
  var KEY = cfg.key;
  var TYPE = cfg.type === 'card' ? 'card' : 'payment';
  document.body.className = TYPE;

  var number = document.getElementById('number');
  var expiry = document.getElementById('expiry');
  var cvc = document.getElementById('cvc');
  var inputs = [number, expiry, cvc];
  var touched = {number: false, expiry: false, cvc: false};
  var shown = {number: false, expiry: false, cvc: false};
  var disabled = false;

  function send(msg) {
    msg.stripeEmulator = true;
    msg.frameId = cfg.frameId;
    window.parent.postMessage(msg, PARENT);
  }

  // ------------------------------------------------------------------ card rules

  function digits(s) {
    return (s || '').replace(/\D/g, '');
  }

  function brandOf(n) {
    if (/^4/.test(n)) {
      return 'visa';
    }
    if (/^(5[1-5]|2[2-7])/.test(n)) {
      return 'mastercard';
    }
    if (/^3[47]/.test(n)) {
      return 'amex';
    }
    if (/^(6011|65|64[4-9])/.test(n)) {
      return 'discover';
    }
    if (/^3(0[0-5]|[68])/.test(n)) {
      return 'diners';
    }
    if (/^35/.test(n)) {
      return 'jcb';
    }
    if (/^62/.test(n)) {
      return 'unionpay';
    }
    return 'unknown';
  }

  function lengthFor(brand) {
    return brand === 'amex' ? 15 : brand === 'diners' ? 14 : 16;
  }

  function luhn(n) {
    var sum = 0;
    for (var i = 0; i < n.length; i++) {
      var d = +n.charAt(n.length - 1 - i);
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
    }
    return sum % 10 === 0;
  }

  function formatNumber(n) {
    if (brandOf(n) === 'amex') {
      return [n.slice(0, 4), n.slice(4, 10), n.slice(10, 15)].filter(Boolean).join(' ');
    }
    return (n.slice(0, lengthFor(brandOf(n))).match(/.{1,4}/g) || []).join(' ');
  }

  function parseExpiry() {
    var d = digits(expiry.value);
    return {month: d.slice(0, 2), year: d.slice(2, 4), complete: d.length >= 4};
  }

  function err(code, message) {
    return {type: 'validation_error', code: code, message: message};
  }

  /** The error of each field, or null; incomplete fields count only when `strict` (submit) or touched. */
  function fieldErrors(strict) {
    var out = {};
    var n = digits(number.value);
    var brand = brandOf(n);
    var len = lengthFor(brand);
    if (n.length >= len && !luhn(n)) {
      out.number = err('invalid_number', 'Your card number is invalid.');
    } else if (n.length < len && (strict || touched.number)) {
      out.number = err('incomplete_number', 'Your card number is incomplete.');
    }
    var e = parseExpiry();
    if (e.complete) {
      var m = +e.month;
      var y = 2000 + (+e.year);
      var now = new Date();
      if (m < 1 || m > 12) {
        out.expiry = err('invalid_expiry_month', 'Your card\'s expiration month is invalid.');
      } else if (y < now.getFullYear()) {
        out.expiry = err('invalid_expiry_year_past', 'Your card\'s expiration year is in the past.');
      } else if (y === now.getFullYear() && m < now.getMonth() + 1) {
        out.expiry = err('invalid_expiry_month_past', 'Your card\'s expiration date is in the past.');
      } else if (y > now.getFullYear() + 50) {
        out.expiry = err('invalid_expiry_year', 'Your card\'s expiration year is invalid.');
      }
    } else if (strict || touched.expiry) {
      out.expiry = err('incomplete_expiry', 'Your card\'s expiration date is incomplete.');
    }
    var c = digits(cvc.value);
    var cvcLen = brand === 'amex' ? 4 : 3;
    if (c.length < cvcLen && (strict || touched.cvc)) {
      out.cvc = err('incomplete_cvc', 'Your card\'s security code is incomplete.');
    }
    return out;
  }

  function firstError(errors) {
    return errors.number || errors.expiry || errors.cvc || null;
  }

  function show(errors) {
    [['number', number], ['expiry', expiry], ['cvc', cvc]].forEach(function (pair) {
      var e = errors[pair[0]];
      pair[1].classList.toggle('invalid', !!e);
      pair[1].setAttribute('aria-invalid', e ? 'true' : 'false');
      document.getElementById(pair[0] + '-error').textContent = e ? e.message : '';
      shown[pair[0]] = !!e;
    });
    resize();
  }

  function isEmpty() {
    return !number.value && !expiry.value && !cvc.value;
  }

  function isComplete() {
    return !firstError(fieldErrors(true));
  }

  function change() {
    var errors = fieldErrors(false);
    show(errors);
    var e = firstError(errors);
    send({event: 'change', empty: isEmpty(), complete: isComplete(), error: e || null,
      brand: brandOf(digits(number.value))});
  }

  // ------------------------------------------------------------------ typing

  number.addEventListener('input', function () {
    var f = formatNumber(digits(number.value));
    if (f !== number.value) {
      number.value = f;
    }
    change();
  });
  expiry.addEventListener('input', function (ev) {
    var d = digits(expiry.value).slice(0, 4);
    if (d.length === 1 && +d > 1) {
      d = '0' + d;
    }
    var deleting = ev.inputType && ev.inputType.indexOf('delete') === 0;
    var f = d.length > 2 || (d.length === 2 && !deleting) ? d.slice(0, 2) + ' / ' + d.slice(2) : d;
    if (f !== expiry.value) {
      expiry.value = f;
    }
    change();
  });
  cvc.addEventListener('input', function () {
    var d = digits(cvc.value).slice(0, 4);
    if (d !== cvc.value) {
      cvc.value = d;
    }
    change();
  });
  inputs.forEach(function (input) {
    input.addEventListener('blur', function () {
      if (input.value) {
        touched[input.id] = true;
      }
      change();
    });
  });
  var focused = false;
  document.addEventListener('focusin', function () {
    if (!focused) {
      focused = true;
      send({event: 'focus'});
    }
  });
  document.addEventListener('focusout', function (ev) {
    if (!ev.relatedTarget || inputs.indexOf(ev.relatedTarget) < 0) {
      focused = false;
      send({event: 'blur'});
    }
  });
  document.getElementById('form').addEventListener('submit', function (ev) {
    ev.preventDefault();
  });

  function resize() {
    send({event: 'resize', height: Math.ceil(document.documentElement.getBoundingClientRect().height)});
  }

  // ------------------------------------------------------------------ API

  function encode(obj, prefix, out) {
    Object.keys(obj).forEach(function (k) {
      var v = obj[k];
      var key = prefix ? prefix + '[' + k + ']' : k;
      if (v === undefined || v === null || v === '') {
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

  async function api(path, params) {
    try {
      var resp = await fetch(path, {method: 'POST', headers: {'Authorization': 'Bearer ' + KEY,
        'Content-Type': 'application/x-www-form-urlencoded'}, body: encode(params, '', []).join('&')});
      return await resp.json();
    } catch (e) {
      return {error: {type: 'api_connection_error',
        message: 'An error occurred with our connection to Stripe. Request was retried 0 times.'}};
    }
  }

  function validate() {
    touched = {number: true, expiry: true, cvc: true};
    var errors = fieldErrors(true);
    show(errors);
    var e = firstError(errors);
    send({event: 'change', empty: isEmpty(), complete: !e, error: e,
      brand: brandOf(digits(number.value))});
    return e;
  }

  async function createPaymentMethod(billingDetails) {
    var e = validate();
    if (e) {
      return {error: e};
    }
    var exp = parseExpiry();
    var pm = await api('/v1/payment_methods', {type: 'card', card: {number: digits(number.value),
      exp_month: exp.month, exp_year: '20' + exp.year, cvc: digits(cvc.value)}, billing_details: billingDetails});
    return pm.error ? {error: pm.error} : {paymentMethod: pm};
  }

  /** stripe.createToken(cardElement, data): a single-use card token, for the legacy Charges API. */
  async function createToken(data) {
    var e = validate();
    if (e) {
      return {error: e};
    }
    var exp = parseExpiry();
    var card = {number: digits(number.value), exp_month: exp.month, exp_year: '20' + exp.year, cvc: digits(cvc.value)};
    ['name', 'address_line1', 'address_line2', 'address_city', 'address_state', 'address_zip', 'address_country']
      .forEach(function (k) {
        if (data && typeof data[k] === 'string') {
          card[k] = data[k];
        }
      });
    var tok = await api('/v1/tokens', {card: card});
    return tok.error ? {error: tok.error} : {token: tok};
  }

  async function confirm(args) {
    var m = /^(pi_[A-Za-z0-9]+)_secret_/.exec(args.clientSecret || '');
    if (!m) {
      return {error: {type: 'invalid_request_error', message: 'Invalid client secret.'}};
    }
    var pmData = args.paymentMethodData || {};
    var created = await createPaymentMethod(pmData.billing_details || null);
    if (created.error) {
      return created;
    }
    var params = {client_secret: args.clientSecret, payment_method: created.paymentMethod.id,
      return_url: args.returnUrl, receipt_email: args.receiptEmail, shipping: args.shipping, use_stripe_sdk: true};
    var pi = await api('/v1/payment_intents/' + m[1] + '/confirm', params);
    return pi.error ? {error: pi.error} : {paymentIntent: pi};
  }

  function setDisabled(d) {
    disabled = d;
    inputs.forEach(function (i) {
      i.disabled = d;
    });
  }

  var busy = false;

  async function handle(call, args) {
    switch (call) {
      case 'validate':
        var e = validate();
        return e ? {error: e} : {};
      case 'confirm':
      case 'createPaymentMethod':
      case 'createToken':
        if (busy) {
          return {error: {type: 'invalid_request_error', code: 'payment_intent_unexpected_state',
            message: 'A payment is already being confirmed.'}};
        }
        busy = true;
        var was = disabled;
        setDisabled(true);
        try {
          return call === 'confirm' ? await confirm(args) : call === 'createToken' ? await createToken(args.data)
            : await createPaymentMethod(args.billingDetails);
        } finally {
          busy = false;
          setDisabled(was);
        }
      case 'focus':
        number.focus();
        return {};
      case 'blur':
        if (document.activeElement && document.activeElement.blur) {
          document.activeElement.blur();
        }
        return {};
      case 'clear':
        inputs.forEach(function (i) {
          i.value = '';
        });
        touched = {number: false, expiry: false, cvc: false};
        change();
        return {};
      case 'update':
        setDisabled(!!args.disabled);
        return {};
      default:
        return {error: {type: 'invalid_request_error', message: 'Unknown call ' + call}};
    }
  }

  window.addEventListener('message', function (ev) {
    if (ev.origin !== PARENT || ev.source !== window.parent) {
      return;
    }
    var d = ev.data;
    if (!d || d.stripeEmulator !== true || d.frameId !== cfg.frameId || typeof d.call !== 'string') {
      return;
    }
    handle(d.call, d.args || {}).then(function (result) {
      send({reply: d.callId, result: result});
    });
  });

  setDisabled(!!cfg.disabled);
  if (window.ResizeObserver) {
    new ResizeObserver(resize).observe(document.body);
  }
  send({event: 'frame-ready'});
  resize();
})();
