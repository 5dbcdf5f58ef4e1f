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

export async function getJson(url, init = {}) {
  const r = await fetch(url, { ...init, headers: { Accept: 'application/json', ...(init.headers || {}) } });
  const body = await r.json().catch(() => null);
  if (!r.ok) {
    const err = new Error((body && (body.detail || body.title)) || 'HTTP ' + r.status);
    err.status = r.status;
    throw err;
  }
  return body;
}

export function setStatus(node, text) {
  node.textContent = text;
}
