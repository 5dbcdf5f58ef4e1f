// RFC 3161 time-stamp tokens checked in the browser with Web Crypto, by the rules of proofs' TimestampTokens:
// the token (CMS SignedData, RFC 5652) must be signed by one of the trusted TSA certificates given, its
// signed attributes must carry SHA-256 of its TSTInfo, and the TSTInfo must stamp SHA-256 of the checkpoint
// text. A certificate the token carries is never trusted for being there. Only what these checks need of
// DER is read here: tag, length and content of each element.

function readDer(bytes, at = 0) {
  const tag = bytes[at];
  let len = bytes[at + 1];
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 4) throw new Error('timestamp.malformed: unsupported DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[at + 2 + i];
    head = 2 + n;
  }
  const end = at + head + len;
  if (end > bytes.length) throw new Error('timestamp.malformed: DER element runs past the end');
  return { tag, start: at, body: at + head, end, bytes };
}

function children(el) {
  const out = [];
  for (let at = el.body; at < el.end;) {
    const c = readDer(el.bytes, at);
    out.push(c);
    at = c.end;
  }
  return out;
}

const content = el => el.bytes.subarray(el.body, el.end);
const whole = el => el.bytes.subarray(el.start, el.end);

function oid(el) {
  const b = content(el);
  const parts = [Math.floor(b[0] / 40), b[0] % 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if (!(b[i] & 0x80)) { parts.push(v); v = 0; }
  }
  return parts.join('.');
}

const SHA256 = '2.16.840.1.101.3.4.2.1';
const MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const EC_KEY = '1.2.840.10045.2.1';
const RSA_KEY = '1.2.840.113549.1.1.1';
const CURVES = { '1.2.840.10045.3.1.7': ['P-256', 32], '1.3.132.0.34': ['P-384', 48] };

function hex(bytes) {
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

function pemToDer(pem) {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// The certificate's subject public key as a Web Crypto verification key, and the name to report.
async function certificateKey(pem) {
  const cert = readDer(pemToDer(pem));
  const tbs = children(children(cert)[0]);
  const i = tbs[0].tag === 0xa0 ? 1 : 0;   // optional [0] version
  const spki = tbs[i + 5];
  const alg = children(children(spki)[0]);
  const keyType = oid(alg[0]);
  let algorithm;
  if (keyType === EC_KEY) {
    const curve = CURVES[oid(alg[1])];
    if (!curve) throw new Error('unsupported TSA key curve');
    algorithm = { import: { name: 'ECDSA', namedCurve: curve[0] }, verify: { name: 'ECDSA', hash: 'SHA-256' }, size: curve[1] };
  } else if (keyType === RSA_KEY) {
    algorithm = { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, verify: { name: 'RSASSA-PKCS1-v1_5' } };
  } else {
    throw new Error('unsupported TSA key type ' + keyType);
  }
  const key = await crypto.subtle.importKey('spki', whole(spki), algorithm.import, false, ['verify']);
  return { key, algorithm, subject: distinguishedName(tbs[i + 4]) };
}

// "CN=…,O=…" of a Name, enough to tell authorities apart.
function distinguishedName(name) {
  const short = { '2.5.4.3': 'CN', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST' };
  return children(name).map(rdn => children(rdn).map(atv => {
    const [type, value] = children(atv);
    return (short[oid(type)] || oid(type)) + '=' + new TextDecoder().decode(content(value));
  }).join('+')).join(',');
}

// ECDSA-Sig-Value (SEQUENCE of two INTEGERs) to the fixed-width r || s Web Crypto expects.
function rawEcdsa(der, size) {
  const [r, s] = children(readDer(der));
  const fix = v => {
    let b = content(v);
    while (b.length > size && b[0] === 0) b = b.subarray(1);
    const out = new Uint8Array(size);
    out.set(b, size - b.length);
    return out;
  };
  const out = new Uint8Array(2 * size);
  out.set(fix(r), 0);
  out.set(fix(s), size);
  return out;
}

function generalizedTime(el) {
  const t = new TextDecoder().decode(content(el));
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(t);
  if (!m) throw new Error('timestamp.malformed: genTime ' + t);
  return m[1] + '-' + m[2] + '-' + m[3] + 'T' + m[4] + ':' + m[5] + ':' + m[6] + (m[7] || '') + 'Z';
}

const sha256 = async bytes => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));

// Verifies a DER token over SHA-256 of `stamped` against the trusted PEM certificates. Returns
// { genTime, tsa } or throws an Error whose message starts with a stable code, as proofs' verifier does.
export async function verifyTimestampToken(token, stamped, trustedPems) {
  let signed, tst, signer;
  try {
    const ci = children(readDer(token));
    const sd = children(children(ci[1])[0]);
    const encap = children(sd[2]);
    tst = readDer(content(children(encap[1])[0]));
    const infos = children(sd[sd.length - 1]);
    if (infos.length !== 1) throw new Error('the token must have exactly one signer');
    signer = children(infos[0]);
    signed = signer.find(e => e.tag === 0xa0);
    if (!signed) throw new Error('the token has no signed attributes');
  } catch (e) {
    throw new Error(e.message.startsWith('timestamp.') ? e.message : 'timestamp.malformed: ' + e.message);
  }
  const info = children(tst);
  const imprint = children(info[2]);
  if (oid(children(imprint[0])[0]) !== SHA256) throw new Error('timestamp.imprint.algorithm: the imprint is not SHA-256');
  const expected = hex(await sha256(stamped));
  if (hex(content(imprint[1])) !== expected) {
    throw new Error('timestamp.imprint.mismatch: token stamps ' + hex(content(imprint[1])) + ', checkpoint hashes to ' + expected);
  }
  const digestAttr = children(signed).map(children).find(a => oid(a[0]) === MESSAGE_DIGEST);
  if (!digestAttr || hex(content(children(digestAttr[1])[0])) !== hex(await sha256(whole(tst)))) {
    throw new Error('timestamp.signature.invalid: the signed attributes do not carry the digest of the TSTInfo');
  }
  // The signature covers the signed attributes re-tagged as a SET (RFC 5652 §5.4).
  const attrs = whole(signed).slice();
  attrs[0] = 0x31;
  const sigIndex = signer.indexOf(signed) + 2;
  const signature = content(signer[sigIndex]);
  for (const pem of trustedPems) {
    let k, ok = false;
    try {
      k = await certificateKey(pem);
      const sig = k.algorithm.size ? rawEcdsa(signature, k.algorithm.size) : signature;
      ok = await crypto.subtle.verify(k.algorithm.verify, k.key, sig, attrs);
    } catch (e) {
      // A certificate of another key type, or unreadable: not this token's signer.
    }
    if (ok) {
      return { genTime: generalizedTime(info[4]), tsa: k.subject, serialNumber: BigInt('0x' + hex(content(info[3]))).toString() };
    }
  }
  throw new Error('timestamp.signer.untrusted: the token is signed by a certificate that is not among the '
    + trustedPems.length + ' trusted TSA certificate(s)');
}
