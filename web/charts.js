// Small SVG charts drawn by hand: vertical grouped bars over days and
// horizontal bars for categories. Each chart has a <title> and a text
// table fallback for screen readers is left to the caller.
import { svg } from './dom.js';

const W = 480;

function niceMax(max) {
  if (max <= 5) return 5;
  const p = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / p) * p;
}

// series: [{name, cls, values: [n per label]}]
export function columns(title, labels, series, { height = 200 } = {}) {
  const pad = { l: 32, r: 8, t: 8, b: 36 };
  const innerW = W - pad.l - pad.r;
  const innerH = height - pad.t - pad.b;
  const max = niceMax(Math.max(1, ...series.flatMap((s) => s.values)));
  const slot = innerW / Math.max(1, labels.length);
  const barW = Math.max(1, (slot * 0.8) / series.length);
  const nodes = [svg('title', {}, title)];
  for (let i = 0; i <= 4; i += 1) {
    const y = pad.t + innerH - (innerH * i) / 4;
    nodes.push(svg('line', { x1: pad.l, x2: W - pad.r, y1: y, y2: y, stroke: '#e4e8ee' }));
    nodes.push(svg('text', { x: pad.l - 4, y: y + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#5b6570' }, String((max * i) / 4)));
  }
  labels.forEach((labelText, i) => {
    series.forEach((s, j) => {
      const v = s.values[i] || 0;
      const hgt = (innerH * v) / max;
      const x = pad.l + i * slot + slot * 0.1 + j * barW;
      nodes.push(svg('rect', { class: `bar ${s.cls}`, x, y: pad.t + innerH - hgt, width: barW, height: hgt },
        svg('title', {}, `${labelText}: ${s.name} ${v}`)));
    });
    const every = Math.ceil(labels.length / 8);
    if (i % every === 0) {
      nodes.push(svg('text', { x: pad.l + i * slot + slot / 2, y: height - pad.b + 14, 'text-anchor': 'middle', 'font-size': 10, fill: '#5b6570' }, labelText));
    }
  });
  return svg('svg', { viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': title }, nodes);
}

// items: [{label, value}], one horizontal bar each
export function bars(title, items, { cls = 'a', unit = '' } = {}) {
  const rowH = 24;
  const labelW = 150;
  const height = Math.max(1, items.length) * rowH + 8;
  const max = Math.max(1, ...items.map((i) => i.value));
  const nodes = [svg('title', {}, title)];
  items.forEach((item, i) => {
    const y = 4 + i * rowH;
    const w = ((W - labelW - 60) * item.value) / max;
    const text = item.label.length > 22 ? `${item.label.slice(0, 21)}…` : item.label;
    nodes.push(svg('text', { x: labelW - 6, y: y + 15, 'text-anchor': 'end', 'font-size': 12, fill: '#1b1f24' }, text));
    nodes.push(svg('rect', { class: `bar ${cls}`, x: labelW, y: y + 3, width: Math.max(1, w), height: rowH - 8 },
      svg('title', {}, `${item.label}: ${item.value}${unit}`)));
    nodes.push(svg('text', { x: labelW + w + 6, y: y + 15, 'font-size': 12, fill: '#5b6570' }, `${item.value}${unit}`));
  });
  return svg('svg', { viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': title }, nodes);
}
