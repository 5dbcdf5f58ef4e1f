import { verifyReceipt, tsaCertificatesOf } from '/assets/tlog.js';
import { el, badge, anchorBadge, getJson } from '/assets/ui.js';

const status = document.getElementById('status');

function row(tbody, name, value) {
  if (value === null || value === undefined || value === '') return;
  tbody.append(el('tr', {}, el('th', { scope: 'row' }, name), el('td', {}, String(value))));
}

// What the badge says a verified receipt proves: when the log's TSA stamped the checkpoint and how many replica
// keys signed it, as the receipt page says it.
function provenBy(checks) {
  const sig = checks.find(c => c.code === 'checkpoint.signature.valid');
  const ts = checks.find(c => c.code === 'timestamp.token.valid');
  return [ts && ts.ok === true ? 'time-stamped ' + ts.genTime : 'no time-stamp checked',
    sig.signed + ' of ' + sig.keys.length + ' replica keys signed'].join(' · ');
}

// Re-checks a step's receipt in this browser (digest, inclusion, every replica's signature, origin, the log's
// RFC 3161 token) and swaps its badge for the result; a verified receipt's canonical record is handed to
// onVerified, so what the page shows comes from the record the proof covers.
function proofBadge(step, trust, onVerified = () => {}) {
  const holder = el('span', { class: 'proof', 'data-proof': 'pending' }, anchorBadge(step.anchor));
  if (step.anchor.state !== 'anchored') return holder;
  (async () => {
    try {
      const receipt = await getJson('/v1/receipts/' + step.recordId);
      const { keys, witnesses } = await trust;
      const checks = await verifyReceipt(receipt, keys.verifierKeys, keys.verifierKeys.length, keys.origin,
        witnesses.witnesses, witnesses.threshold, false, tsaCertificatesOf(keys));
      const ok = checks.every(c => c.ok);
      const details = el('a', { href: '/receipt.html?id=' + step.recordId }, 'details');
      if (ok && receipt.record.canonical) onVerified(JSON.parse(receipt.record.canonical));
      holder.dataset.proof = ok ? 'verified' : 'failed';
      holder.replaceChildren(ok ? badge('ok verified', 'Proof verified') : badge('bad', 'Proof FAILED'), ' ',
        ok ? el('span', { class: 'muted' }, provenBy(checks)) : el('span', { class: 'muted' },
          checks.filter(c => !c.ok).map(c => c.code).join(', ')), ' ', details);
    } catch (e) {
      holder.dataset.proof = 'unavailable';
      holder.replaceChildren(badge('warn', 'Proof unavailable'));
    }
  })();
  return holder;
}

// One timeline entry: business step, event type, time, registrant.
function eventLine(item, e) {
  item.replaceChildren(el('strong', {}, (e.bizStep || 'event').replace(/^.*[/:]/, '')), ' · ', e.eventType || '', ' · ',
    el('time', {}, e.eventTime || ''), ' · registered by ', e.tenant, e.brandOwner === false ? ', not the brand owner' : '',
    e.source ? ' · ' + e.source : '', ' ', e.badge);
}

async function run() {
  let data;
  try {
    data = await getJson(location.pathname);
  } catch (e) {
    status.textContent = e.status === 404 ? 'Nothing is registered under this code.' : 'Could not load: ' + e.message;
    return;
  }
  // Trusted as the receipt page and POST /v1/verify trust: every replica key, the log's TSAs, the witnesses.
  const trust = Promise.all([getJson('/v1/keys'), getJson('/v1/witnesses')])
    .then(([keys, witnesses]) => ({ keys, witnesses }));
  const title = document.getElementById('title');
  const showTitle = q => { title.textContent = (q.description || 'Product') + ' · lot ' + data.lot; };
  showTitle(data.product || {});
  document.title = 'Lot ' + data.lot + ' · Tracemark';
  status.textContent = 'GTIN ' + data.gtin + ', lot ' + data.lot + (data.serial ? ', serial ' + data.serial : '');
  // The server already rendered these sections for readers without JavaScript; redraw them with proof badges.
  const facts = document.getElementById('productFacts');
  const productRows = el('tbody', {});
  const registrationRows = [];
  const showProduct = (q, source) => {
    productRows.replaceChildren();
    row(productRows, 'GTIN', data.gtin);
    row(productRows, 'Lot', data.lot);
    row(productRows, 'Quantity', q.quantity !== undefined ? q.quantity + ' ' + (q.unit || '') : null);
    row(productRows, 'Produced', q.productionDate);
    row(productRows, 'Best before', q.expiryDate);
    row(productRows, 'Facility (GLN)', q.facilityGln);
    row(productRows, 'Origin', q.origin);
    row(productRows, 'Facts from', source);
    facts.replaceChildren(...productRows.children, ...registrationRows);
  };
  for (const reg of data.registrations) {
    // The current registration's verified canonical record (the latest amendment, the brand owner's first)
    // replaces the server's account of the product and its title.
    const b = proofBadge(reg, trust, env => {
      if (reg.current !== true) return;
      showTitle(env.payload || {});
      showProduct(env.payload || {}, 'the verified record ' + reg.recordId);
    });
    registrationRows.push(el('tr', {}, el('th', { scope: 'row' }, reg.label), el('td', { 'data-step': reg.recordId }, b,
      reg.supersededBy ? ', amended by record ' + reg.supersededBy : '')));
  }
  showProduct(data.product || {}, 'the registry (not yet verified in this browser)');
  document.getElementById('qr').src = location.pathname + '?format=qr';
  document.getElementById('product').hidden = false;
  const link = i => el('li', {}, el('a', { href: i.digitalLink }, 'GTIN ' + i.gtin + ' lot ' + i.lot),
    i.registered === false ? ' (not registered)' : '');
  document.getElementById('inputs').replaceChildren(...(data.lineage.inputs.length ? data.lineage.inputs.map(link) : [el('li', {}, 'No inputs recorded')]));
  document.getElementById('outputs').replaceChildren(...(data.lineage.outputs.length ? data.lineage.outputs.map(link) : [el('li', {}, 'Not used in any registered batch')]));
  const events = document.getElementById('events');
  events.replaceChildren();
  if (data.events.length === 0) events.append(el('li', {}, 'No events recorded'));
  for (const ev of data.events) {
    const item = el('li', { 'data-step': ev.recordId });
    // Once verified, the step, type and time are those of the EPCIS event the proof covers, not the server's.
    const b = proofBadge(ev, trust, env => {
      const p = env.payload || {};
      eventLine(item, { bizStep: p.bizStep, eventType: p.type, eventTime: p.eventTime, tenant: env.tenant,
        brandOwner: ev.brandOwner, source: 'from the verified record', badge: b });
    });
    eventLine(item, { ...ev, badge: b });
    events.append(item);
  }
}
run();
