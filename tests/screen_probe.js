// The page's geometry as a reader meets it (tests/test_browser_screen.py, docs/guide.md, "How the pages look"),
// measured from the DOM and Plotly's SVG: one function, evaluated by Playwright, returning plain data.
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const box = e => e.getBoundingClientRect();
  const shown = e => {
    const s = getComputedStyle(e);
    return s.display !== 'none' && s.visibility !== 'hidden' && e.getClientRects().length > 0;
  };
  const ownText = e => [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
  // Text cut by its box: an HTML element holding text whose content is wider than its box, outside the
  // charts (SVG) and the data grid (a canvas). A box that scrolls by design (overflow auto/scroll) is not cut.
  const cut = [];
  for (const e of main.querySelectorAll('*')) {
    if (e.closest('svg, .js-plotly-plot, [data-testid="stDataFrame"]') || !ownText(e) || !shown(e)) continue;
    const s = getComputedStyle(e);
    if (['auto', 'scroll'].includes(s.overflowX)) continue;
    if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1) cut.push({text: ownText(e).slice(0, 60), tag: e.tagName,
      scroll: e.scrollWidth, client: e.clientWidth});
  }
  // ... and a box that hides what does not fit (an ellipsis, overflow hidden) around text that does not fit
  for (const e of main.querySelectorAll('*')) {
    if (e.closest('svg, .js-plotly-plot, [data-testid="stDataFrame"]') || !shown(e)) continue;
    const s = getComputedStyle(e);
    if (!['hidden', 'clip'].includes(s.overflowX) || !(e.innerText || '').trim()) continue;
    if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && e.querySelectorAll('*').length < 12)
      cut.push({text: e.innerText.trim().slice(0, 60), tag: e.tagName, scroll: e.scrollWidth, client: e.clientWidth});
  }
  // Content wider than the main column (a table pushing the page wide, a row running past the edge).
  const mainBox = box(main);
  const wide = [];
  for (const e of main.querySelectorAll('[data-testid="stElementContainer"]')) {
    if (!shown(e) || e.closest('[data-testid="stExpander"] details:not([open])')) continue;
    const r = box(e);
    if (r.width > 0 && r.right > mainBox.right + 1) wide.push({what: (e.innerText || '').slice(0, 60), right: r.right});
  }
  // Words broken inside: a text line that ends mid-word is seen as a text node whose rects split a
  // word across lines. Measured per word with a Range.
  const broken = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('svg, [data-testid="stDataFrame"], script, style') || !shown(el)) continue;
    const text = n.textContent;
    const re = /[^\s\u00a0]+|[^\s]*\u00a0[^\s]*/g;
    for (const m of text.matchAll(/\S+/g)) {
      if (m[0].length < 3) continue;
      const r = document.createRange();
      r.setStart(n, m.index);
      r.setEnd(n, m.index + m[0].length);
      const rects = [...r.getClientRects()].filter(q => q.width > 0);
      const lines = new Set(rects.map(q => Math.round(q.top)));
      if (lines.size > 1 && !/[-\u00ad\u2013\/]/.test(m[0])) broken.push(m[0].slice(0, 40));
    }
  }
  // Section headings with nothing under them before the next heading (st.subheader, h2/h3).
  const bare = [];
  const heads = [...main.querySelectorAll('[data-testid="stHeading"]')].filter(shown);
  for (const h of heads) {
    const level = h.querySelector('h1') ? 1 : 2;
    if (level === 1) continue;
    let c = h.closest('[data-testid="stElementContainer"]');
    let next = c && c.nextElementSibling;
    // the next element that shows something: text, or any element that is not a style, a script or a
    // bare box (a data grid still loading is a box with its own children)
    const content = e => (e.innerText || '').trim() || e.querySelector(':not(style):not(script):not(div):not(span)')
      || e.querySelector('[data-testid="stDataFrame"], [data-testid="stSkeleton"]');
    while (next && (!shown(next) || !content(next))) next = next.nextElementSibling;
    if (!next || next.querySelector('[data-testid="stHeading"]')) bare.push(h.innerText.trim());
  }
  // Charts: text boxes overlapping, their smallest type, where the first one starts.
  const plots = [...main.querySelectorAll('.js-plotly-plot')].filter(shown).map(p => {
    const texts = [...p.querySelectorAll('.main-svg text')].filter(t => {
      if (!t.textContent.trim() || t.closest('.hoverlayer, .menulayer, .modebar')) return false;
      const s = getComputedStyle(t);
      if (s.opacity === '0' || s.display === 'none' || s.visibility === 'hidden') return false;
      const r = box(t);
      return r.width > 0 && r.height > 0;
    });
    // a multi-line text (tspan lines) is measured line by line
    const items = [];
    for (const t of texts) {
      const lines = [...t.querySelectorAll('tspan.line')];
      for (const e of lines.length ? lines : [t]) {
        const r = box(e);
        if (r.width > 0) items.push({text: e.textContent.trim(), r: [r.left, r.top, r.right, r.bottom],
          size: parseFloat(getComputedStyle(t).fontSize), owner: t});
      }
    }
    const overlaps = [];
    for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) {
      const a = items[i].r, b = items[j].r;
      if (items[i].owner === items[j].owner) continue;
      const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]), h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
      if (w > 2 && h > 3) overlaps.push([items[i].text.slice(0, 40), items[j].text.slice(0, 40)]);
    }
    const r = box(p);
    const title = p.querySelector('.gtitle');
    return {title: title ? [...title.querySelectorAll('tspan.line')].map(s => s.textContent).join(' ') || title.textContent : '',
      top: r.top + window.scrollY, smallest: items.length ? Math.min(...items.map(i => i.size)) : null,
      small: items.filter(i => i.size < 16).map(i => i.text.slice(0, 30) + ' @' + i.size).slice(0, 8), overlaps};
  });
  return {cut, wide, broken, bare, plots, pageWidth: document.documentElement.scrollWidth,
          headings: heads.map(h => h.innerText.trim())};
}
