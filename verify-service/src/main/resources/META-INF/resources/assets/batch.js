import { verifyReceipt } from '/assets/tlog.js';
import { el, badge, anchorBadge, getJson } from '/assets/ui.js';

const status = document.getElementById('status');

function row(tbody, name, value) {
  if (value === null || value === undefined || value === '') return;
  tbody.append(el('tr', {}, el('th', { scope: 'row' }, name), el('td', {}, String(value))));
}

// Re-checks a step's receipt in this browser and swaps its badge for the result.
async function proofBadge(step, keys) {
  const holder = el('span', {}, anchorBadge(step.anchor));
  if (step.anchor.state !== 'anchored') return holder;
  (async () => {
    try {
      const receipt = await getJson('/v1/receipts/' + step.recordId);
      const checks = await verifyReceipt(receipt, keys);
      const ok = checks.every(c => c.ok);
      holder.replaceChildren(ok ? badge('ok', 'Proof verified') : badge('bad', 'Proof FAILED'), ' ',
        el('a', { href: '/receipt.html?id=' + step.recordId }, 'details'));
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
  facts.replaceChildren();
  row(facts, 'GTIN', data.gtin);
  row(facts, 'Lot', data.lot);
  row(facts, 'Quantity', p.quantity !== undefined ? p.quantity + ' ' + (p.unit || '') : null);
  row(facts, 'Produced', p.productionDate);
  row(facts, 'Best before', p.expiryDate);
  row(facts, 'Facility (GLN)', p.facilityGln);
  row(facts, 'Origin', p.origin);
  for (const reg of data.registrations) {
    const b = await proofBadge(reg, keys);
    facts.append(el('tr', {}, el('th', { scope: 'row' }, 'Registered by ' + reg.tenant), el('td', { 'data-step': reg.recordId }, b)));
  }
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
      el('time', {}, ev.eventTime || ''), ' · registered by ', ev.tenant, ' ', b));
  }
}
run();
