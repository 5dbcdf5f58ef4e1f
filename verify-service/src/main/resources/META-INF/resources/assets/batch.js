import { verifyReceipt } from '/assets/tlog.js';
import { el, badge, anchorBadge, getJson } from '/assets/ui.js';

const status = document.getElementById('status');

function row(tbody, name, value) {
  if (value === null || value === undefined || value === '') return;
  tbody.append(el('tr', {}, el('th', { scope: 'row' }, name), el('td', {}, String(value))));
}

// Re-checks a step's receipt in this browser and swaps its badge for the result; a verified receipt is
// handed to onVerified, so what the page shows can come from the record the proof covers.
async function proofBadge(step, keys, onVerified = () => {}) {
  const holder = el('span', {}, anchorBadge(step.anchor));
  if (step.anchor.state !== 'anchored') return holder;
  (async () => {
    try {
      const receipt = await getJson('/v1/receipts/' + step.recordId);
      const checks = await verifyReceipt(receipt, keys);
      const ok = checks.every(c => c.ok);
      holder.replaceChildren(ok ? badge('ok', 'Proof verified') : badge('bad', 'Proof FAILED'), ' ',
        el('a', { href: '/receipt.html?id=' + step.recordId }, 'details'));
      if (ok) onVerified(receipt);
    } catch (e) {
      holder.replaceChildren(badge('warn', 'Proof unavailable'));
    }
  })();
  return holder;
}

async function run() {
  let data;
  try {
    data = await getJson(location.pathname);
  } catch (e) {
    status.textContent = e.status === 404 ? 'Nothing is registered under this code.' : 'Could not load: ' + e.message;
    return;
  }
  const keys = (await getJson('/v1/keys')).verifierKeys;
  const p = data.product || {};
  document.getElementById('title').textContent = (p.description || 'Product') + ' · lot ' + data.lot;
  document.title = 'Lot ' + data.lot + ' · Tracemark';
  status.textContent = 'GTIN ' + data.gtin + ', lot ' + data.lot + (data.serial ? ', serial ' + data.serial : '');
  // The server already rendered these sections for readers without JavaScript; redraw them with proof badges.
  const facts = document.getElementById('productFacts');
  const productRows = el('tbody', {});
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
  const registrationRows = [];
  for (const reg of data.registrations) {
    // The current registration's verified canonical record (the latest amendment, the brand owner's first)
    // replaces the server's account of the product.
    const current = reg.current === true;
    const b = await proofBadge(reg, keys, receipt => current && receipt.record.canonical
      && showProduct(JSON.parse(receipt.record.canonical).payload || {}, 'the verified record ' + reg.recordId));
    registrationRows.push(el('tr', {}, el('th', { scope: 'row' }, reg.label), el('td', { 'data-step': reg.recordId }, b,
      reg.supersededBy ? ', amended by record ' + reg.supersededBy : '')));
  }
  showProduct(p, 'the registry (not yet verified in this browser)');
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
    const b = await proofBadge(ev, keys);
    events.append(el('li', { 'data-step': ev.recordId },
      el('strong', {}, (ev.bizStep || 'event').replace(/^.*[/:]/, '')), ' · ', ev.eventType || '', ' · ',
      el('time', {}, ev.eventTime || ''), ' · registered by ', ev.tenant,
      ev.brandOwner === false ? ', not the brand owner' : '', ' ', b));
  }
}
run();
