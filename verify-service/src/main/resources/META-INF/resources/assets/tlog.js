// Verification in the browser's own code: RFC 9162 inclusion proofs and C2SP signed-note checkpoints
// with Ed25519 from Web Crypto. Nothing here trusts the server beyond the verifier keys it is given.
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

// Verifies a Tracemark receipt; returns [{code, ok, detail}] in the server's check vocabulary.
export async function verifyReceipt(receipt, verifierKeys, threshold = 1) {
  const checks = [];
  const canonical = enc.encode(receipt.canonical);
  const digest = hex(await sha256(canonical));
  checks.push({ code: 'record.digest.match', ok: digest === receipt.digest,
    detail: digest === receipt.digest ? 'SHA-256 of the record is ' + digest
      : 'expected ' + receipt.digest + ', computed ' + digest });
  let sig;
  try {
    sig = await verifyNoteSignatures(receipt.checkpoint, verifierKeys);
    const valid = sig.keys.filter(k => k.status === 'valid');
    const ok = valid.length >= threshold && !sig.keys.some(k => k.status === 'invalid');
    checks.push({ code: 'checkpoint.signature.valid', ok, keys: sig.keys,
      detail: valid.length + ' of ' + sig.keys.length + ' trusted keys signed: '
        + (valid.map(k => k.name).join(', ') || 'none') });
  } catch (e) {
    checks.push({ code: 'checkpoint.signature.valid', ok: false, detail: e.message });
    return checks;
  }
  try {
    const cp = parseCheckpoint(sig.text);
    const leaf = await leafHash(fromHex(receipt.digest));
    const root = await rootFromInclusionProof(receipt.leafIndex, cp.size, leaf, receipt.inclusionProof.map(b64decode));
    const ok = hex(root) === hex(cp.root) && cp.size === receipt.treeSize;
    checks.push({ code: 'inclusion.proof.valid', ok,
      detail: ok ? 'leaf ' + receipt.leafIndex + ' is in the tree of ' + cp.size + ' records'
        : 'expected root ' + hex(cp.root) + ', computed ' + hex(root) });
  } catch (e) {
    checks.push({ code: 'inclusion.proof.valid', ok: false, detail: e.message });
  }
  return checks;
}
