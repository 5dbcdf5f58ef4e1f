import { hex, sha256 } from '/assets/tlog.js';
import { el, anchorBadge, getJson, setStatus } from '/assets/ui.js';

const drop = document.getElementById('drop');
const input = document.getElementById('file');
const status = document.getElementById('status');
let current = null;

function registrationItem(r, extra) {
  return el('li', {},
    el('strong', {}, r.tenant), ' registered ', el('code', {}, r.recordId), ' ', anchorBadge(r.anchor), ' ',
    extra || '', ' ',
    r.anchor && r.anchor.state === 'anchored' ? el('a', { href: '/receipt.html?id=' + r.recordId }, 'Verify receipt') : '');
}

async function handle(file) {
  current = file;
  setStatus(status, 'Hashing ' + file.name + ' in your browser…');
  const digest = hex(await sha256(new Uint8Array(await file.arrayBuffer())));
  document.getElementById('sha256').textContent = digest;
  const box = document.getElementById('exact');
  box.replaceChildren();
  document.getElementById('nearResults').replaceChildren();
  try {
    const found = await getJson('/v1/records?sha256=' + digest);
    const regs = found.registrations;
    setStatus(status, regs.length === 0 ? 'This exact file is not registered.'
      : 'This exact file is registered ' + regs.length + ' time(s); the first anchored registration has priority.');
    box.append(el('ol', {}, regs.map(r => registrationItem(r))));
  } catch (e) {
    setStatus(status, 'Lookup failed: ' + e.message);
  }
  document.getElementById('results').hidden = false;
}

async function nearSearch() {
  if (!current) return;
  const out = document.getElementById('nearResults');
  out.replaceChildren(el('p', {}, 'Uploading and searching…'));
  try {
    const res = await getJson('/v1/claims/verify', { method: 'POST', body: current,
      headers: { 'Content-Type': 'application/octet-stream' } });
    const items = res.nearDuplicates.map(r => registrationItem(r, '(differs in ' + r.distance + ' of 64 bits)'));
    out.replaceChildren(
      el('p', {}, res.nearDuplicates.length + ' near-duplicate(s) within ' + res.query.threshold + ' bits.'),
      el('ol', {}, items),
      res.priority ? el('p', {}, 'Priority: ', el('strong', {}, res.priority.tenant), ' (', el('code', {}, res.priority.recordId), ')',
        res.priorityProven ? ', proven by the log.' : ', not anchored yet.') : el('p', {}, 'Nobody registered this work.'));
  } catch (e) {
    out.replaceChildren(el('p', {}, 'Search failed: ' + e.message));
  }
}

input.addEventListener('change', () => input.files[0] && handle(input.files[0]));
drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', e => {
  e.preventDefault();
  drop.classList.remove('over');
  if (e.dataTransfer.files[0]) handle(e.dataTransfer.files[0]);
});
document.getElementById('near').addEventListener('click', nearSearch);
