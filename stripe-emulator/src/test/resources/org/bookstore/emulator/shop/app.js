// A merchant's payment page, as the store would write it against Stripe.js.
(function () {
  'use strict';
  var d = document.body.dataset;
  var result = document.getElementById('result');

  document.addEventListener('securitypolicyviolation', function (e) {
    document.getElementById('csp').textContent += e.violatedDirective + ' ' + e.blockedURI + '\n';
  });

  function summary(r) {
    var o = {};
    if (r.error) {
      var e = r.error;
      o.error = {type: e.type, code: e.code || null, decline_code: e.decline_code || null, message: e.message,
        payment_intent: e.payment_intent ? e.payment_intent.id : null,
        payment_intent_status: e.payment_intent ? e.payment_intent.status : null};
    }
    if (r.paymentIntent) {
      var pi = r.paymentIntent;
      o.paymentIntent = {id: pi.id, status: pi.status, amount: pi.amount, latest_charge: pi.latest_charge};
    }
    if (r.charge) {
      o.charge = r.charge;
    }
    if (r.selectedPaymentMethod) {
      o.selectedPaymentMethod = r.selectedPaymentMethod;
    }
    return o;
  }

  function show(o) {
    result.textContent = JSON.stringify(o);
    result.setAttribute('data-done', 'true');
  }

  var stripe = Stripe(d.pk);
  var elements;
  var element;
  if (d.flow === 'card' || d.flow === 'token') {
    elements = stripe.elements();
    element = elements.create('card');
  } else if (d.flow === 'deferred') {
    elements = stripe.elements({mode: 'payment', amount: Number(d.amount), currency: 'usd'});
    element = elements.create('payment');
  } else {
    elements = stripe.elements({clientSecret: d.secret});
    element = elements.create('payment');
  }
  var events = [];
  ['ready', 'focus', 'blur'].forEach(function (name) {
    element.on(name, function () {
      events.push(name);
      document.getElementById('events').textContent = events.join(' ');
    });
  });
  element.on('change', function (e) {
    document.getElementById('change').textContent = JSON.stringify(e);
  });
  element.mount('#element');

  async function pay() {
    if (d.flow === 'next-action') {
      var handled = await stripe.handleNextAction({clientSecret: d.secret});
      if (handled.error) {
        return handled;
      }
      return stripe.retrievePaymentIntent(d.secret);
    }
    if (d.flow === 'token') {
      // the legacy integration: a token from the card Element, charged by the shop's server
      var t = await stripe.createToken(element, {name: 'Ann Reader'});
      if (t.error) {
        return t;
      }
      var charged = await fetch('/charge?token=' + encodeURIComponent(t.token.id), {method: 'POST'});
      return charged.json();
    }
    if (d.flow === 'card') {
      return stripe.confirmCardPayment(d.secret, {payment_method: {card: element,
        billing_details: {name: 'Ann Reader'}}});
    }
    if (d.flow === 'deferred') {
      var submitted = await elements.submit();
      if (submitted.error) {
        return submitted;
      }
      var resp = await fetch('/intent?amount=' + encodeURIComponent(d.amount), {method: 'POST'});
      var created = await resp.json();
      return stripe.confirmPayment({elements: elements, clientSecret: created.clientSecret,
        confirmParams: {return_url: d.returnUrl}, redirect: 'if_required'});
    }
    return stripe.confirmPayment({elements: elements, confirmParams: {return_url: d.returnUrl,
      payment_method_data: {billing_details: {name: 'Ann Reader', email: 'ann@example.com'}}},
      redirect: d.flow === 'redirect' ? 'always' : 'if_required'});
  }

  function run(action) {
    result.removeAttribute('data-done');
    result.textContent = '';
    action().then(function (r) {
      show(summary(r));
    }, function (e) {
      show({exception: e.name + ': ' + e.message});
    });
  }

  document.getElementById('pay').addEventListener('click', function () {
    run(pay);
  });
  document.getElementById('check').addEventListener('click', function () {
    run(function () {
      return elements.submit();
    });
  });
})();
