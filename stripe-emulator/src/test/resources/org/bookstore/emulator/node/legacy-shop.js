// A shop written against the legacy card API with stripe-node, unchanged: Tokens -> Customer -> Charges, and a
// token from the card form charged on the server. Prints one JSON line of what it saw; the test reads it.
const Stripe = require('stripe');
const stripe = new Stripe('sk_test_node_shop', {host: 'localhost', port: Number(process.argv[2]), protocol: 'http'});
const seen = {};

async function refusal(call) {
  try {
    await call();
    return {accepted: true};
  } catch (e) {
    return {type: e.type, code: e.code || null, charge: (e.raw && e.raw.charge) || null, status: e.statusCode};
  }
}

(async () => {
  const token = await stripe.tokens.create({card: {number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123'}});
  const customer = await stripe.customers.create({source: token.id, email: 'reader@example.com'});
  seen.defaultSource = customer.default_source;
  const charge = await stripe.charges.create({customer: customer.id, amount: 2800, currency: 'usd', description: 'Order 1',
      expand: ['balance_transaction']});
  seen.charge = {status: charge.status, paid: charge.paid, amount: charge.amount, source: charge.source && charge.source.id,
      fee: charge.balance_transaction.fee, net: charge.balance_transaction.net};
  seen.reusedToken = await refusal(() => stripe.customers.create({source: token.id}));
  seen.declined = await refusal(() => stripe.charges.create({source: 'tok_chargeDeclined', amount: 1000, currency: 'usd'}));
  const held = await stripe.charges.create({source: 'tok_visa', amount: 1500, currency: 'usd', capture: false});
  const captured = await stripe.charges.capture(held.id);
  seen.capture = {before: held.captured, after: captured.captured};
  const refund = await stripe.refunds.create({charge: captured.id});
  seen.refund = {status: refund.status, amount: refund.amount};
  seen.unknownParameter = await refusal(() => stripe.charges.create({source: 'tok_visa', amount: 100, currency: 'usd', colour: 'red'}));
  seen.notAnInteger = await refusal(() => stripe.charges.create({source: 'tok_visa', amount: 'abc', currency: 'usd'}));
  const sources = await stripe.customers.listSources(customer.id, {object: 'card'});
  seen.cards = sources.data.map(card => card.last4);
  console.log(JSON.stringify(seen));
})().catch(e => {
  console.error('the shop failed: ' + e.message);
  process.exit(1);
});
