import { verifyReceipt } from '/assets/tlog.js';
import { el, getJson } from '/assets/ui.js';

const id = new URLSearchParams(location.search).get('id');
const verdict = document.getElementById('verdict');

function fact(name, value) {
  document.getElementById('facts').append(el('tr', {}, el('th', { scope: 'row' }, name), el('td', { class: 'mono' }, value)));
}

async function run() {
  if (!id || !/^[0-9A-Z]{26}$/.test(id)) {
    verdict.textContent = 'Give a record id, e.g. /receipt.html?id=01J…';
    return;
  }
  try {
    const [receipt, keys, record] = await Promise.all([
      getJson('/v1/receipts/' + id), getJson('/v1/keys'), getJson('/v1/records/' + id)]);
    fact('Record', receipt.recordId);
    fact('Type', receipt.type);
    fact('Registrant', record.tenant);
    fact('Anchored', record.anchor.anchoredAt || '');
    fact('SHA-256 digest', receipt.digest);
    fact('Leaf index', receipt.leafIndex + ' of ' + receipt.treeSize);
    const checks = await verifyReceipt(receipt, keys.verifierKeys, 1);
    const ok = checks.every(c => c.ok);
    verdict.textContent = ok ? 'Verified: this record is in the log, unchanged.' : 'Not verified: a check failed.';
    verdict.className = 'verdict ' + (ok ? 'ok' : 'bad');
    document.getElementById('checks').replaceChildren(...checks.map(c =>
      el('li', { 'data-code': c.code }, el('span', { class: 'badge ' + (c.ok ? 'ok' : 'bad') }, c.ok ? 'pass' : 'fail'),
        ' ', el('code', {}, c.code), ': ', c.detail)));
    const sig = checks.find(c => c.code === 'checkpoint.signature.valid');
    document.getElementById('signers').replaceChildren(...(sig.keys || []).map(k =>
      el('li', { 'data-status': k.status }, el('code', {}, k.name + '+' + k.keyId), ': ', k.status)));
    const blob = new Blob([JSON.stringify(receipt, null, 2)], { type: 'application/json' });
    const dl = document.getElementById('download');
    dl.href = URL.createObjectURL(blob);
    dl.download = id + '.receipt.json';
    document.getElementById('tlog').href = '/v1/receipts/' + id + '/tlog-proof';
  } catch (e) {
    verdict.textContent = e.status === 404 ? 'No anchored record with this id (yet).' : 'Could not verify: ' + e.message;
    verdict.className = 'verdict bad';
  }
}
run();
