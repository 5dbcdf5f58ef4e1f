import { verifyReceipt, tsaCertificatesOf } from '/assets/tlog.js';
import { el, getJson, getText } from '/assets/ui.js';

const id = new URLSearchParams(location.search).get('id');
const verdict = document.getElementById('verdict');

function fact(name, value) {
  document.getElementById('facts').append(el('tr', {}, el('th', { scope: 'row' }, name), el('td', { class: 'mono' }, value)));
}

function result(c) {
  return c.ok === 'skip' ? 'skip' : c.ok ? 'pass' : 'fail';
}

// Which trusted witnesses cosigned a checkpoint extending the receipt's, and when.
function showWitnesses(checks, trusted) {
  const wit = checks.find(c => c.code === 'checkpoint.witnessed');
  document.getElementById('witnessed').textContent = trusted.witnesses.length === 0
    ? 'This service trusts no witnesses, so none were checked.'
    : (wit.cosignedBy || []).length + ' of ' + trusted.witnesses.length + ' trusted witnesses cosigned a checkpoint '
      + 'extending this receipt\'s (' + trusted.threshold + ' required)'
      + ((wit.missing || []).length ? '; missing: ' + wit.missing.join(', ') : '') + '.';
  document.getElementById('witnesses').replaceChildren(...((wit && wit.witnesses) || []).map(w =>
    el('li', { 'data-status': w.status }, el('code', {}, w.name + '+' + w.keyId), ': ', w.status,
      w.time ? ' at ' + w.time : '')));
}

// Which clocks vouch for the checkpoint: the log's own TSA and each external authority, by name.
function showTime(checks, receipt) {
  const ext = checks.find(c => c.code === 'timestamp.authorities.valid');
  const own = checks.find(c => c.code === 'timestamp.token.valid');
  const items = [];
  if (receipt.timestamp) {
    const status = own.ok === 'skip' ? 'not checked' : own.ok ? 'valid' : 'invalid';
    items.push(el('li', { 'data-authority': 'log', 'data-status': status }, 'The log\'s own TSA',
      own.ok === true ? ': ' + own.genTime + ' (' + own.tsa + ')' : ': ' + status + ', ' + own.detail));
  }
  for (const a of (ext && ext.authorities) || []) {
    items.push(el('li', { 'data-authority': a.name, 'data-status': a.status }, el('code', {}, a.name),
      a.status === 'valid' ? ': ' + a.genTime + ' (' + a.tsa + ')' : ': not trusted or invalid, ' + a.reason));
  }
  for (const name of (ext && ext.missing) || []) {
    items.push(el('li', { 'data-authority': name, 'data-status': 'missing' }, el('code', {}, name),
      ': no time-stamp for this checkpoint in the receipt'));
  }
  document.getElementById('authorities').replaceChildren(...items);
}

async function run() {
  if (!id || !/^[0-9A-Z]{26}$/.test(id)) {
    verdict.textContent = 'Give a record id, e.g. /receipt.html?id=01J…';
    return;
  }
  try {
    const [text, keys, trusted] = await Promise.all([getText('/v1/receipts/' + id), getJson('/v1/keys'),
      getJson('/v1/witnesses')]);
    const receipt = JSON.parse(text);
    fact('Record', receipt.record.id);
    fact('Type', receipt.record.type);
    fact('Registrant', receipt.record.tenant);
    fact('Accepted', receipt.record.acceptedAt || '');
    fact('Sealed in block', receipt.block.height + ' at ' + new Date(receipt.block.timeMillis).toISOString());
    fact('SHA-256 digest', receipt.record.digest);
    fact('Leaf index', receipt.leafIndex + ' of ' + receipt.block.treeSize);
    // Every replica key the log publishes must have signed, as for the public verdict.
    // Witnesses as the public verdict trusts them; a receipt not witnessed yet is not failed for it (as there).
    // The log's and external authorities' RFC 3161 tokens against every replica's and authority's certificate.
    const tsa = tsaCertificatesOf(keys);
    const checks = await verifyReceipt(receipt, keys.verifierKeys, keys.verifierKeys.length, keys.origin,
      trusted.witnesses, trusted.threshold, false, tsa);
    const ok = checks.every(c => c.ok);
    verdict.textContent = ok ? 'Verified: this record is in the log, unchanged.' : 'Not verified: a check failed.';
    verdict.className = 'verdict ' + (ok ? 'ok' : 'bad');
    document.getElementById('checks').replaceChildren(...checks.map(c =>
      el('li', { 'data-code': c.code, 'data-result': result(c) },
        el('span', { class: 'badge ' + (c.ok === 'skip' ? 'pending' : c.ok ? 'ok' : 'bad') }, result(c)),
        ' ', el('code', {}, c.code), ': ', c.detail)));
    const sig = checks.find(c => c.code === 'checkpoint.signature.valid');
    document.getElementById('signed').textContent = sig && sig.keys
      ? sig.signed + ' of ' + sig.keys.length + ' replica keys signed the checkpoint (' + sig.threshold + ' required).'
      : '';
    document.getElementById('signers').replaceChildren(...((sig && sig.keys) || []).map(k =>
      el('li', { 'data-status': k.status }, el('code', {}, k.name + '+' + k.keyId), ': ', k.status)));
    showWitnesses(checks, trusted);
    showTime(checks, receipt);
    const dl = document.getElementById('download');
    dl.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    dl.download = id + '.receipt.json';
    document.getElementById('tlog').href = '/v1/receipts/' + id + '/tlog-proof';
  } catch (e) {
    verdict.textContent = e.status === 404 ? 'No anchored record with this id (yet).' : 'Could not verify: ' + e.message;
    verdict.className = 'verdict bad';
  }
}
run();
