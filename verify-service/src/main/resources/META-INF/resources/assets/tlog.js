// Verification in the browser's own code: RFC 9162 inclusion proofs and C2SP signed-note checkpoints
// with Ed25519 from Web Crypto, and RFC 3161 tokens (rfc3161.js). Nothing here trusts the server beyond
// the verifier keys and TSA certificates it is given.
import { verifyTimestampToken } from '/assets/rfc3161.js';

const enc = new TextEncoder();

export function b64decode(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function hex(bytes) {
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(h) {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(2 * i, 2), 16);
  return out;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

// RFC 9162 §2.1.1: leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right).
export const leafHash = data => sha256(concat(Uint8Array.of(0), data));
export const nodeHash = (l, r) => sha256(concat(Uint8Array.of(1), l, r));

// RFC 9162 §2.1.3.2, steps 1-5; returns the computed root.
export async function rootFromInclusionProof(index, size, leaf, proof) {
  if (!(index < size)) throw new Error('leaf index ' + index + ' is not below tree size ' + size);
  let fn = index, sn = size - 1, r = leaf;
  for (const p of proof) {
    if (sn === 0) throw new Error('inclusion proof too long');
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error('inclusion proof too short');
  return r;
}

// C2SP signed-note: text up to and including the blank line's first newline, then "— name base64" lines.
export function parseNote(note) {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new Error('checkpoint has no signature block');
  const text = note.slice(0, split + 1);
  const sigs = note.slice(split + 2).split('\n').filter(l => l.length > 0).map(line => {
    if (!line.startsWith('\u2014 ')) throw new Error('malformed signature line');
    const [name, b64] = line.slice(2).split(' ');
    const raw = b64decode(b64);
    return { name, keyId: hex(raw.slice(0, 4)), sig: raw.slice(4) };
  });
  return { text, sigs };
}

export function parseCheckpoint(text) {
  const lines = text.split('\n');
  return { origin: lines[0], size: Number(lines[1]), root: b64decode(lines[2]) };
}

// Verifier key "name+keyid+base64(0x01 || 32-byte Ed25519 public key)".
export function parseVerifierKey(vkey) {
  const a = vkey.indexOf('+');
  const b = vkey.indexOf('+', a + 1);
  const raw = b64decode(vkey.slice(b + 1));
  if (raw[0] !== 1 || raw.length !== 33) throw new Error('not an Ed25519 verifier key');
  return { name: vkey.slice(0, a), keyId: vkey.slice(a + 1, b), pub: raw.slice(1) };
}

// Checks every trusted key: 'valid', 'invalid', 'absent' or 'wrong key ID'.
export async function verifyNoteSignatures(note, verifierKeys) {
  const { text, sigs } = parseNote(note);
  const msg = enc.encode(text);
  const keys = [];
  for (const vk of verifierKeys) {
    const k = parseVerifierKey(vk);
    const id = hex((await sha256(concat(enc.encode(k.name), Uint8Array.of(0x0a, 0x01), k.pub))).slice(0, 4));
    if (id !== k.keyId) { keys.push({ name: k.name, keyId: k.keyId, status: 'wrong key ID' }); continue; }
    const mine = sigs.filter(s => s.name === k.name && s.keyId === k.keyId);
    if (mine.length === 0) { keys.push({ name: k.name, keyId: k.keyId, status: 'absent' }); continue; }
    const key = await crypto.subtle.importKey('raw', k.pub, { name: 'Ed25519' }, false, ['verify']);
    let ok = true;
    for (const s of mine) ok = ok && await crypto.subtle.verify({ name: 'Ed25519' }, key, s.sig, msg);
    keys.push({ name: k.name, keyId: k.keyId, status: ok ? 'valid' : 'invalid' });
  }
  return { text, keys };
}

// C2SP tlog-cosignature verifier key "name+keyid+base64(0x04 || 32-byte Ed25519 public key)".
export function parseCosignerKey(vkey) {
  const a = vkey.indexOf('+');
  const b = vkey.indexOf('+', a + 1);
  const raw = b64decode(vkey.slice(b + 1));
  if (raw[0] !== 4 || raw.length !== 33) throw new Error('not a cosignature/v1 (type 0x04) witness key');
  return { name: vkey.slice(0, a), keyId: vkey.slice(a + 1, b), pub: raw.slice(1) };
}

// Checks every trusted witness's cosignature/v1 lines (C2SP tlog-cosignature): each is an 8-byte big-endian POSIX
// time then an Ed25519 signature over "cosignature/v1\ntime <t>\n" and the note text. Status 'valid' (with time),
// 'invalid', 'absent' or 'wrong key ID'.
export async function verifyCosignatures(note, witnessKeys) {
  const { text, sigs } = parseNote(note);
  const out = [];
  for (const vk of witnessKeys) {
    const k = parseCosignerKey(vk);
    const id = hex((await sha256(concat(enc.encode(k.name), Uint8Array.of(0x0a, 0x04), k.pub))).slice(0, 4));
    if (id !== k.keyId) { out.push({ name: k.name, keyId: k.keyId, status: 'wrong key ID' }); continue; }
    const mine = sigs.filter(s => s.name === k.name && s.keyId === k.keyId);
    if (mine.length === 0) { out.push({ name: k.name, keyId: k.keyId, status: 'absent' }); continue; }
    const key = await crypto.subtle.importKey('raw', k.pub, { name: 'Ed25519' }, false, ['verify']);
    let ok = true;
    let time = 0;
    for (const s of mine) {
      if (s.sig.length !== 72) { ok = false; continue; }
      const t = new DataView(s.sig.buffer, s.sig.byteOffset, 8).getBigUint64(0);
      const msg = concat(enc.encode('cosignature/v1\ntime ' + t + '\n'), enc.encode(text));
      ok = ok && t < 2n ** 63n && await crypto.subtle.verify({ name: 'Ed25519' }, key, s.sig.slice(8), msg);
      time = Number(t);
    }
    out.push({ name: k.name, keyId: k.keyId, status: ok ? 'valid' : 'invalid',
      time: ok ? new Date(time * 1000).toISOString() : undefined });
  }
  return { text, witnesses: out };
}

// RFC 9162 §2.1.4.2: does the proof show the tree of size first (root firstRoot) is a prefix of size second?
export async function verifyConsistency(first, second, firstRoot, secondRoot, proof) {
  const eq = (a, b) => hex(a) === hex(b);
  if (first > second) throw new Error('consistency.size.invalid: size ' + first + ' is above ' + second);
  if (first === second) {
    if (proof.length !== 0 || !eq(firstRoot, secondRoot)) throw new Error('consistency.root.mismatch: equal sizes, different roots');
    return;
  }
  if (first === 0) { if (proof.length !== 0) throw new Error('consistency.proof.length'); return; }
  let c = proof;
  if ((first & (first - 1)) === 0) c = [firstRoot, ...proof];
  if (c.length === 0) throw new Error('consistency.proof.length: empty proof');
  let fn = first - 1, sn = second - 1;
  while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
  let fr = c[0], sr = c[0];
  for (const p of c.slice(1)) {
    if (sn === 0) throw new Error('consistency.proof.length: proof too long');
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(p, fr);
      sr = await nodeHash(p, sr);
      while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      sr = await nodeHash(sr, p);
    }
    fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
  }
  if (sn !== 0 || !eq(fr, firstRoot) || !eq(sr, secondRoot)) {
    throw new Error('consistency.root.mismatch: the witnessed checkpoint does not extend the receipt\'s');
  }
}

// checkpoint.witnessed, as proofs' WitnessCheck: the receipt's witnessed checkpoint is signed by a trusted log
// key, cosigned by k of the trusted witnesses, and extends the receipt's checkpoint. Names who cosigned and who
// is missing; 'skip' without trusted witnesses, or without evidence when it is not required.
async function witnessCheck(receipt, cp, verifierKeys, witnesses, k, required) {
  const code = 'checkpoint.witnessed';
  const ev = receipt.witnessing;
  const carried = ev && ev.status === 'witnessed' && ev.checkpoint;
  if (witnesses.length === 0) {
    return check(code, 'skip', carried ? 'no witnesses are trusted, so the receipt\'s witnessed checkpoint was not checked'
      : 'no witnesses are trusted, and the receipt carries no witnessed checkpoint', { cosignedBy: [], missing: [] });
  }
  const names = witnesses.map(w => parseCosignerKey(w).name);
  if (!carried) {
    const why = !ev ? 'the receipt predates witnessing' : ev.reason || 'no reason given';
    return check(code, required && k > 0 ? false : 'skip', (required && k > 0 ? 'witness.evidence.missing: ' : '')
      + 'the receipt carries no witnessed checkpoint (' + why + ')' + (required && k > 0 ? '; missing: ' + names.join(', ') : ''),
      { cosignedBy: [], missing: names, threshold: k });
  }
  const co = await verifyCosignatures(ev.checkpoint, witnesses);
  const cosignedBy = co.witnesses.filter(w => w.status === 'valid');
  const missing = co.witnesses.filter(w => w.status !== 'valid').map(w => w.name);
  const facts = { cosignedBy: cosignedBy.map(w => w.name), missing, threshold: k, witnesses: co.witnesses };
  if (co.witnesses.some(w => w.status === 'invalid')) return check(code, false, 'signature.invalid: a trusted witness\'s cosignature does not verify', facts);
  const log = await verifyNoteSignatures(ev.checkpoint, verifierKeys);
  if (!log.keys.some(x => x.status === 'valid') || log.keys.some(x => x.status === 'invalid')) {
    return check(code, false, 'the witnessed checkpoint is not signed by a trusted log key', facts);
  }
  const wcp = parseCheckpoint(co.text);
  if (wcp.origin !== cp.origin) return check(code, false, 'checkpoint.origin.mismatch: witnessed checkpoint of ' + wcp.origin, facts);
  if (cosignedBy.length < k) {
    return check(code, false, 'witness.threshold: cosigned by ' + cosignedBy.length + ' of ' + names.length + ' trusted witnesses'
      + (cosignedBy.length ? ' (' + facts.cosignedBy.join(', ') + ')' : '') + ', ' + k + ' required; missing: ' + missing.join(', '), facts);
  }
  try {
    await verifyConsistency(cp.size, wcp.size, cp.root, wcp.root, (ev.consistencyProof || []).map(b64decode));
  } catch (e) {
    return check(code, false, e.message, facts);
  }
  return check(code, true, 'cosigned by ' + facts.cosignedBy.join(', ') + ' (' + cosignedBy.length + ' of ' + names.length
    + ' trusted witnesses, ' + k + ' required) at tree size ' + wcp.size + ', which extends the receipt\'s checkpoint of size '
    + cp.size, { ...facts, treeSize: wcp.size });
}

// RFC 8785 for what JSON.parse returns: keys sorted by UTF-16 code units, ES number and string forms.
export function canonicalJson(v) {
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  if (v !== null && typeof v === 'object') {
    return '{' + Object.keys(v).sort().map(k => JSON.stringify(k) + ':' + canonicalJson(v[k])).join(',') + '}';
  }
  return JSON.stringify(v);
}

// C2SP tlog-proof: "c2sp.org/tlog-proof@v1", optional "extra", "index N", proof hashes, blank line, signed note.
export function parseTlogProof(text) {
  const lines = text.split('\n');
  if (lines[0] !== 'c2sp.org/tlog-proof@v1') throw new Error('tlog-proof: first line must be c2sp.org/tlog-proof@v1');
  let i = 1;
  if (lines[i] && lines[i].startsWith('extra ')) i++;
  if (!lines[i] || !/^index (0|[1-9][0-9]*)$/.test(lines[i])) throw new Error('tlog-proof: missing index line');
  const index = Number(lines[i].slice(6));
  const hashes = [];
  for (i++; i < lines.length && lines[i] !== ''; i++) hashes.push(b64decode(lines[i]));
  if (i >= lines.length) throw new Error('tlog-proof: missing blank line before checkpoint');
  return { index, hashes, note: lines.slice(i + 1).join('\n') };
}

// The block header bytes proofs' BlockHeader.encode() hashes: "TMBLOCK1", then fields big-endian.
function blockHeaderBytes(b) {
  const buf = new DataView(new ArrayBuffer(112));
  const out = new Uint8Array(buf.buffer);
  out.set(enc.encode('TMBLOCK1'), 0);
  buf.setBigUint64(8, BigInt(b.height));
  out.set(fromHex(b.previousHash), 16);
  buf.setBigUint64(48, BigInt(b.firstLeafIndex));
  buf.setBigUint64(56, BigInt(b.leafCount));
  buf.setBigUint64(64, BigInt(b.treeSize));
  out.set(fromHex(b.root), 72);
  buf.setBigUint64(104, BigInt(b.timeMillis));
  return out;
}

// The TSA certificates /v1/keys publishes, the trust input for the log's and external authorities' tokens: every
// replica's TSA and each configured authority's, as POST /v1/verify trusts them.
export function tsaCertificatesOf(keys) {
  const replicas = keys.tsaCertificates || (keys.tsaCertificate ? [keys.tsaCertificate] : []);
  return [...replicas, ...(keys.timestampAuthorities || []).map(a => a.certificate)].filter(Boolean);
}

function check(code, ok, detail, extra = {}) {
  return { code, ok, detail, ...extra };
}

// Verifies a tracemark.dev/receipt@v1 receipt with the rules and check codes of proofs' ReceiptVerifier;
// returns [{code, ok, detail}] ('skip' when a check cannot run here). Every trusted key must sign unless a
// lower threshold is given; witnesses (cosigner vkeys) must have cosigned k of them, every one by default, and a
// receipt without witness evidence fails that when witnessRequired. The log's and external authorities' RFC 3161
// tokens are checked against the trusted TSA certificates (PEM) when they are given.
export async function verifyReceipt(receipt, verifierKeys, threshold = verifierKeys.length, origin = null,
                                    witnesses = [], witnessThreshold = witnesses.length, witnessRequired = true,
                                    tsaCertificates = null) {
  const checks = [];
  checks.push(check('receipt.format.valid', receipt.format === 'tracemark.dev/receipt@v1',
    'format ' + receipt.format));
  const rec = receipt.record || {};
  if (rec.canonical == null) {
    checks.push(check('record.digest.match', 'skip', 'the record content is not in the receipt (erased, or private to its registrant); only the digest is proven'));
    checks.push(check('record.fields.match', 'skip', 'the record content is not in the receipt (erased, or private to its registrant)'));
  } else {
    const digest = hex(await sha256(enc.encode(rec.canonical)));
    let env = null;
    try { env = JSON.parse(rec.canonical); } catch (e) { /* reported below */ }
    const canonical = env !== null && canonicalJson(env) === rec.canonical;
    checks.push(check('record.digest.match', digest === rec.digest && canonical,
      digest !== rec.digest ? 'expected ' + rec.digest + ', computed ' + digest
        : canonical ? 'SHA-256 of the record is ' + digest : 'the record bytes are not in RFC 8785 canonical form'));
    const want = [rec.id, rec.tenant, rec.type, rec.salt].join('|');
    const got = env ? [env.id, env.tenant, env.type, env.salt].join('|') : '';
    checks.push(check('record.fields.match', want === got,
      want === got ? 'id, tenant, type and salt match the record' : 'expected ' + want + ', computed ' + got));
  }
  let proof;
  try {
    proof = parseTlogProof(receipt.tlogProof);
  } catch (e) {
    for (const code of ['leaf.index.match', 'checkpoint.signature.valid', 'inclusion.proof.valid', 'block.header.valid',
      'timestamp.token.valid', 'checkpoint.witnessed', 'timestamp.authorities.valid']) {
      checks.push(check(code, false, e.message));
    }
    return checks;
  }
  checks.push(check('leaf.index.match', proof.index === receipt.leafIndex,
    'the tlog-proof proves leaf ' + proof.index + ', the receipt names ' + receipt.leafIndex));
  let cp;
  try {
    const sig = await verifyNoteSignatures(proof.note, verifierKeys);
    cp = parseCheckpoint(sig.text);
    const valid = sig.keys.filter(k => k.status === 'valid');
    const originOk = origin === null || cp.origin === origin;
    const ok = valid.length >= threshold && !sig.keys.some(k => k.status === 'invalid') && originOk;
    checks.push(check('checkpoint.signature.valid', ok,
      valid.length + ' of ' + sig.keys.length + ' trusted keys signed (' + (valid.map(k => k.name).join(', ') || 'none')
        + '), ' + threshold + ' required' + (originOk ? '' : '; origin ' + cp.origin + ' is not ' + origin),
      { keys: sig.keys, signed: valid.length, threshold }));
  } catch (e) {
    checks.push(check('checkpoint.signature.valid', false, e.message));
    return checks;
  }
  try {
    const leaf = await leafHash(fromHex(rec.digest));
    const root = await rootFromInclusionProof(proof.index, cp.size, leaf, proof.hashes);
    const ok = hex(root) === hex(cp.root);
    checks.push(check('inclusion.proof.valid', ok, ok ? 'leaf ' + proof.index + ' is in the tree of ' + cp.size + ' records'
      : 'expected root ' + hex(cp.root) + ', computed ' + hex(root)));
  } catch (e) {
    checks.push(check('inclusion.proof.valid', false, e.message));
  }
  try {
    const b = receipt.block;
    const h = hex(await sha256(blockHeaderBytes(b)));
    const ok = h === b.hash && b.root === hex(cp.root) && b.treeSize === cp.size
      && receipt.leafIndex >= b.firstLeafIndex && receipt.leafIndex < b.treeSize;
    checks.push(check('block.header.valid', ok, ok ? 'block ' + b.height + ' sealed this leaf under this checkpoint'
      : 'expected ' + b.hash + ' over root ' + b.root + '@' + b.treeSize + ', computed ' + h + ' over ' + hex(cp.root) + '@' + cp.size));
  } catch (e) {
    checks.push(check('block.header.valid', false, e.message));
  }
  const stamped = enc.encode(proof.note.slice(0, proof.note.lastIndexOf('\n\n') + 1));
  checks.push(await tokenCheck(receipt, stamped, tsaCertificates));
  try {
    checks.push(await witnessCheck(receipt, cp, verifierKeys, witnesses, witnessThreshold, witnessRequired));
  } catch (e) {
    checks.push(check('checkpoint.witnessed', false, e.message));
  }
  checks.push(await authoritiesCheck(receipt, stamped, tsaCertificates));
  return checks;
}

// timestamp.token.valid, as proofs' ReceiptVerifier: the log's own RFC 3161 token stamps the receipt's checkpoint
// note text and is signed by one of the trusted TSA certificates (every replica's, as /v1/keys publishes them; the
// receipt's own certificate is only a hint, never trusted). Skipped when no certificates are given.
async function tokenCheck(receipt, stamped, tsaCertificates) {
  const code = 'timestamp.token.valid';
  const ts = receipt.timestamp;
  if (!ts || !ts.token) return check(code, 'skip', 'the receipt carries no RFC 3161 token');
  if (tsaCertificates === null) {
    return check(code, 'skip', 'no TSA certificates are trusted here, so the log\'s RFC 3161 token was not checked');
  }
  try {
    const v = await verifyTimestampToken(b64decode(ts.token), stamped, tsaCertificates);
    return check(code, true, 'the checkpoint was time-stamped at ' + v.genTime + ' by trusted TSA \'' + v.tsa + '\'',
      { genTime: v.genTime, tsa: v.tsa, serialNumber: v.serialNumber });
  } catch (e) {
    return check(code, false, e.message);
  }
}

async function authoritiesCheck(receipt, stamped, tsaCertificates) {
  if (tsaCertificates === null) {
    return check('timestamp.authorities.valid', 'skip',
      'external authorities\' tokens are checked by POST /v1/verify and the offline verifier, not on this page');
  }
  const a = receipt.authorities || { tokens: [], missing: [] };
  const tokens = a.tokens || [];
  const missing = a.missing || [];
  const authorities = [];
  let failure = null;
  for (const t of tokens) {
    try {
      const v = await verifyTimestampToken(b64decode(t.token), stamped, tsaCertificates);
      authorities.push({ name: t.name, status: 'valid', genTime: v.genTime, tsa: v.tsa });
    } catch (e) {
      authorities.push({ name: t.name, status: 'invalid', reason: e.message });
      const colon = e.message.indexOf(': ');
      failure = failure || (colon < 0 ? e.message
        : e.message.slice(0, colon) + ': authority \'' + t.name + '\': ' + e.message.slice(colon + 2));
    }
  }
  const lacking = missing.length ? '; no token from ' + missing.join(', ') : '';
  const valid = authorities.filter(x => x.status === 'valid');
  const extra = { authorities, missing };
  if (failure) {
    return check('timestamp.authorities.valid', false, failure + lacking, extra);
  }
  if (valid.length === 0) {
    return check('timestamp.authorities.valid', 'skip', (tokens.length || missing.length
      ? 'no external authority\'s token' : 'the receipt carries no external authority\'s token') + lacking, extra);
  }
  return check('timestamp.authorities.valid', true, valid.length + ' external authorit' + (valid.length === 1 ? 'y' : 'ies')
    + ' time-stamped the checkpoint: ' + valid.map(x => x.name + ' at ' + x.genTime + ' (\'' + x.tsa + '\')').join(', ')
    + lacking, extra);
}
