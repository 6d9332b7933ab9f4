// The store's own payment page: Stripe's Payment Element, with the PaymentIntent made on the server when the
// buyer presses "Pay" (the deferred-intent flow). The amount charged always comes from the server.
(function () {
  'use strict';
  var form = document.getElementById('payment-form');
  if (!form) {
    return;
  }
  var data = form.dataset;
  var button = document.getElementById('pay');
  var spinner = document.getElementById('pay-spinner');
  var message = document.getElementById('payment-message');
  // Read out by screen readers: "Paying" while the spinner turns, the error when there is one.
  var status = document.getElementById('pay-status');
  var unavailable = document.getElementById('payment-unavailable');
  // How long the card form may take to appear before the buyer is told payments are unavailable.
  var READY_WITHIN_MS = 15000;

  document.getElementById('payment-retry').addEventListener('click', function () { window.location.reload(); });

  function paymentsUnavailable() {
    button.disabled = true;
    unavailable.classList.remove('d-none');
    document.getElementById('payment-retry').focus();
  }

  if (typeof Stripe !== 'function') {
    // Stripe.js did not load (blocked, offline, or Stripe unreachable): say so instead of a dead "Pay" button.
    paymentsUnavailable();
    return;
  }

  var stripe = Stripe(data.publishableKey);
  var elements = stripe.elements({ mode: 'payment', amount: Number(data.amount), currency: data.currency });
  var paymentElement = elements.create('payment');
  var ready = false;
  paymentElement.on('ready', function () {
    ready = true;
    button.disabled = false;
  });
  paymentElement.on('loaderror', paymentsUnavailable);
  paymentElement.mount('#payment-element');
  window.setTimeout(function () {
    if (!ready) {
      paymentsUnavailable();
    }
  }, READY_WITHIN_MS);

  function paying(on) {
    button.disabled = on;
    button.setAttribute('aria-busy', on ? 'true' : 'false');
    spinner.classList.toggle('d-none', !on);
    status.textContent = on ? 'Paying, please wait.' : '';
  }

  function showError(text) {
    message.classList.remove('d-none');
    message.textContent = text;
    form.setAttribute('aria-describedby', 'payment-message');
    button.setAttribute('aria-describedby', 'payment-message');
  }

  function clearError() {
    message.classList.add('d-none');
    message.textContent = '';
    form.removeAttribute('aria-describedby');
    button.removeAttribute('aria-describedby');
  }

  function friendly(error) {
    if (error.code === 'payment_intent_unexpected_state') {
      return 'Your cart changed in another window, so this payment was cancelled. Reload the page to pay the new total.';
    }
    return error.message || 'The payment did not go through. Please try again.';
  }

  async function clientSecret() {
    var headers = { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/json' };
    headers[data.csrfHeader] = data.csrfToken;
    var response = await fetch(data.intentUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: headers,
      body: new URLSearchParams({ orderId: data.orderId, cartDigest: data.cartDigest })
    });
    var body = await response.json();
    if (!response.ok) {
      return { error: body.error, redirect: body.redirect, reload: body.reload };
    }
    return { clientSecret: body.clientSecret };
  }

  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    if (button.disabled) {
      return;
    }
    clearError();
    paying(true);
    try {
      var submitted = await elements.submit();
      if (submitted.error) {
        showError(submitted.error.message);
        paying(false);
        return;
      }
      var prepared = await clientSecret();
      if (prepared.error) {
        showError(prepared.error);
        if (prepared.redirect) {
          window.setTimeout(function () { window.location.assign(prepared.redirect); }, 2500);
        } else {
          paying(false);
        }
        return;
      }
      var result = await stripe.confirmPayment({
        elements: elements,
        clientSecret: prepared.clientSecret,
        confirmParams: { return_url: new URL(data.returnUrl, window.location.href).href },
        redirect: 'if_required'
      });
      if (result.error) {
        showError(friendly(result.error));
        paying(false);
        return;
      }
      window.location.assign(data.returnUrl + '?payment_intent=' + encodeURIComponent(result.paymentIntent.id));
    } catch (failure) {
      showError('Payments are unavailable right now. Your cart is safe; please try again in a moment.');
      paying(false);
    }
  });
})();
