// Building the page. User text only ever becomes a Text node (or an
// attribute value set through the DOM): there is no innerHTML anywhere.
const SVG_NS = 'http://www.w3.org/2000/svg';

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function applyProps(el, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.setAttribute('class', value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key in el && !(el instanceof SVGElement) && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  return el;
}

// h('p', {class: 'x'}, 'text', child, ...)
export function h(tag, props, ...children) {
  return append(applyProps(document.createElement(tag), props), children);
}

export function svg(tag, props, ...children) {
  return append(applyProps(document.createElementNS(SVG_NS, tag), props), children);
}

export function clear(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let idCounter = 0;
export function uid(prefix) {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

// A labelled control: <div class="field"><label for=id>Label</label>control</div>
export function field(label, control, hint) {
  if (!control.id) control.id = uid('f');
  const parts = [h('label', { for: control.id }, label), control];
  if (hint) {
    const hintEl = h('small', { id: uid('hint'), class: 'hint' }, hint);
    control.setAttribute('aria-describedby', hintEl.id);
    parts.push(hintEl);
  }
  return h('div', { class: 'field' }, parts);
}

export function select(options, value, props) {
  const el = h('select', props);
  for (const option of options) {
    const [val, text] = Array.isArray(option) ? option : [option, option];
    el.append(h('option', { value: val, selected: val === value }, text));
  }
  if (value !== undefined && value !== null) el.value = value;
  return el;
}

export function toast(message, kind = 'info') {
  const box = document.getElementById('toast');
  if (!box) return;
  clear(box, h('p', { class: `toast ${kind}` }, message));
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.replaceChildren(), 6000);
}

// Runs one action of a page: toasts `done` (text, or done(result)) when it
// works and the error when it does not, then redraws. Returns the result, or
// null after an error.
export async function attempt(fn, done, redraw) {
  try {
    const result = await fn();
    if (done) toast(typeof done === 'function' ? done(result) : done);
    return result;
  } catch (e) {
    toast(e.message, 'error');
    return null;
  } finally {
    if (redraw) await redraw();
  }
}

export function errorText(error) {
  if (error && error.message) return error.message;
  return String(error);
}

// Names each cell of a row after its column (shown on narrow screens, where rows become cards).
export function labelCells(tr, columns) {
  [...tr.children].forEach((td, i) => td.setAttribute('data-label', columns[i] || ''));
  return tr;
}

// A data table whose rows become labelled cards on narrow screens (app.css
// table.cards): columns are the header texts, rows the <tr> elements.
export function cardTable(columns, rows, props = {}) {
  for (const tr of rows) labelCells(tr, columns);
  return h('div', { class: 'table-wrap' }, h('table', { ...props, class: `cards ${props.class || ''}`.trim() },
    props.caption ? h('caption', { class: 'sr-only' }, props.caption) : null,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows)));
}
