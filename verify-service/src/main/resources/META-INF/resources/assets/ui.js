// Tiny DOM helpers: every piece of data is set as text, never parsed as HTML.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v; else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function badge(kind, text) {
  return el('span', { class: 'badge ' + kind }, text);
}

export function anchorBadge(anchor) {
  return anchor && anchor.state === 'anchored'
    ? badge('ok', 'Anchored ' + (anchor.anchoredAt || '').replace('T', ' ').replace(/\.\d+Z$/, 'Z'))
    : badge('pending', 'Not anchored yet');
}

// The body as served, byte for byte (a receipt is downloaded exactly as the server signed off on it).
export async function getText(url, init = {}) {
  const r = await fetch(url, { ...init, headers: { Accept: 'application/json', ...(init.headers || {}) } });
  const text = await r.text();
  if (!r.ok) {
    let body = null;
    try { body = JSON.parse(text); } catch (e) { /* not a problem document */ }
    const err = new Error((body && (body.detail || body.title)) || 'HTTP ' + r.status);
    err.status = r.status;
    throw err;
  }
  return text;
}

export async function getJson(url, init = {}) {
  return JSON.parse(await getText(url, init));
}

export function setStatus(node, text) {
  node.textContent = text;
}
