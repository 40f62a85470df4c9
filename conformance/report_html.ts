// report.html: one self-contained file an auditor opens offline. The matrix
// by FR is rendered as static HTML (readable without script); a small inline
// script adds filters (FR, verdict, scope, text) and opens each row's
// evidence: its checks, measured figures, and the check logs, embedded.

import { FR_NAMES } from './catalogue/index.js';
import { VERDICT_TEXT, pct, sl } from './_format.js';
import type { Report } from './report_types.js';

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch]!));

const CSS = `
:root{--pass:#1a7f37;--fail:#cf222e;--na:#6e7781;--int:#9a6700;--acc:#8250df;--bg:#fff;--line:#d0d7de}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;padding:24px;color:#1f2328;background:var(--bg)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}th,td{border:1px solid var(--line);padding:4px 7px;text-align:left;vertical-align:top}th{background:#f6f8fa}
td.num,th.num{text-align:right}.meta td:first-child{white-space:nowrap;font-weight:600;width:1%}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;white-space:nowrap}
.v-pass{background:var(--pass)}.v-fail{background:var(--fail)}.v-not-applicable{background:var(--na)}.v-needs-integrator-evidence{background:var(--int)}.v-accepted{background:var(--acc)}
tr.item{cursor:pointer}tr.item:hover{background:#f6f8fa}tr.item:focus{outline:2px solid #0969da}tr.evidence td{background:#fbfcfd}
tr.evidence pre{white-space:pre-wrap;font:12px/1.35 ui-monospace,monospace;background:#f6f8fa;padding:6px;max-height:320px;overflow:auto;margin:4px 0}
.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin:8px 0;padding:8px;background:#f6f8fa;border:1px solid var(--line)}
.filters label{white-space:nowrap}.big{font-size:18px;font-weight:600}.met{color:var(--pass)}.notmet{color:var(--fail)}
.hidden{display:none}code{font:12px ui-monospace,monospace}.muted{color:#6e7781}
`;

const SCRIPT = `
(function(){
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var fr = document.getElementById('f-fr'), verdict = document.getElementById('f-verdict'), scope = document.getElementById('f-scope'), text = document.getElementById('f-text');
  function apply(){
    var rows = document.querySelectorAll('tr.item'), shown = 0;
    rows.forEach(function(r){
      var ok = (!fr.value || r.dataset.fr === fr.value) && (!verdict.value || r.dataset.verdict === verdict.value)
        && (!scope.value || r.dataset.scope === scope.value)
        && (!text.value || r.textContent.toLowerCase().indexOf(text.value.toLowerCase()) >= 0);
      r.classList.toggle('hidden', !ok);
      var ev = document.getElementById('ev-' + r.dataset.idx);
      if (!ok && ev) ev.classList.add('hidden');
      if (ok) shown++;
    });
    document.querySelectorAll('section.fr').forEach(function(s){
      s.classList.toggle('hidden', !s.querySelector('tr.item:not(.hidden)') && !!s.querySelector('tr.item'));
    });
    document.getElementById('f-count').textContent = shown + ' of ' + rows.length + ' items';
  }
  [fr, verdict, scope].forEach(function(e){ e.addEventListener('change', apply); });
  text.addEventListener('input', apply);
  function toggle(r){
    var ev = document.getElementById('ev-' + r.dataset.idx);
    if (ev) { ev.classList.toggle('hidden'); r.setAttribute('aria-expanded', ev.classList.contains('hidden') ? 'false' : 'true'); }
  }
  document.querySelectorAll('tr.item').forEach(function(r){
    r.addEventListener('click', function(){ toggle(r); });
    r.addEventListener('keydown', function(e){ if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(r); } });
  });
  document.getElementById('expand-all').addEventListener('click', function(){
    document.querySelectorAll('tr.item:not(.hidden)').forEach(function(r){ var ev = document.getElementById('ev-' + r.dataset.idx); if (ev) ev.classList.remove('hidden'); });
  });
  document.getElementById('collapse-all').addEventListener('click', function(){
    document.querySelectorAll('tr.evidence').forEach(function(ev){ ev.classList.add('hidden'); });
  });
  apply();
  document.body.dataset.ready = String(data.items.length);
})();
`;

/** logs: evidence path -> text of the check logs (embedded so the file stands alone). */
export function reportHtml(r: Report, logs: ReadonlyMap<string, string>): string {
  const s = r.summary;
  const checkById = new Map(r.checks.map((c) => [c.id, c]));
  const badge = (v: string, text: string) => `<span class="badge v-${esc(v)}">${esc(text)}</span>`;
  const h: string[] = [];
  h.push(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`);
  h.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`);
  h.push(`<title>iacsec conformance report: SL-T ${s.slTarget} ${s.met ? 'met' : 'not met'}</title><style>${CSS}</style></head><body>`);
  h.push(`<h1>iacsec conformance report (IEC 62443-4-2)</h1>`);
  h.push(`<p class="big">SL-T ${s.slTarget}: <span id="sl-t-status" class="${s.met ? 'met' : 'notmet'}">${s.met ? 'met' : 'not met'}</span> · score ${esc(pct(s.score))} (${s.metItems} of ${s.applicable} applicable module and host items) · SL-C ${esc(sl(s.slC))} · SL-A ${esc(sl(s.slA))}</p>`);
  h.push(`<table class="meta"><tbody>`);
  const meta: [string, string][] = [
    ['generated', r.generatedAt],
    ['module', `${r.module.source}, ${r.module.size} bytes, SHA-256 ${r.module.sha256}`],
    ['ABI, capabilities', `ABI ${r.module.abiVersion}; 0x${r.module.caps.toString(16)}: ${r.module.capabilities.join(' ')}`],
    ['parts', r.module.parts.map((p) => `${p.id}: ${p.present ? 'present' : 'absent'}`).join(', ')],
    ['profile', `${r.profile.name} (${r.profile.source}), SHA-256 ${r.profile.sha256}`],
    ['accepted gaps', r.accept.source ? `${r.accept.source}: ${r.accept.entries} entries, SHA-256 ${r.accept.sha256}` : 'none given'],
    ['native (wasm2c) self-test', `${r.native.status}: ${r.native.detail}`],
    ['tool', `${r.tool.name} ${r.tool.version}; ${r.tool.runtime}; ${r.tool.platform}; AssemblyScript ${r.tool.assemblyscript}; ${Object.entries(r.tool.dependencies).map(([k, v]) => `${k} ${v}`).join(', ')}`],
    ['checks', `${s.checks.pass} of ${s.checks.total} passed, ${s.checks.fail} failed, ${s.checks.error} errors, ${s.checks.notImplemented} not implemented`],
  ];
  for (const [k, v] of meta) h.push(`<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`);
  h.push(`</tbody></table>`);

  h.push(`<h2>By foundational requirement</h2><table id="fr-summary"><thead><tr><th>FR</th><th>name</th><th class="num">applicable</th><th class="num">met</th><th class="num">score</th><th class="num">SL-C</th><th class="num">SL-A</th></tr></thead><tbody>`);
  for (const f of r.frs) {
    h.push(`<tr><td>${f.fr}</td><td>${esc(f.name)}</td><td class="num">${f.applicable}</td><td class="num">${f.met}</td><td class="num">${esc(pct(f.score))}</td><td class="num">${esc(sl(f.slC))}</td><td class="num">${esc(sl(f.slA))}</td></tr>`);
  }
  h.push(`</tbody></table>`);

  h.push(`<h2>Control assessment matrix</h2>`);
  h.push(`<div class="filters"><label>FR <select id="f-fr"><option value="">all</option>${r.frs.map((f) => `<option value="${f.fr}">${f.fr}</option>`).join('')}</select></label>`);
  h.push(`<label>verdict <select id="f-verdict"><option value="">all</option>${Object.entries(VERDICT_TEXT).map(([k, v]) => `<option value="${k}">${esc(v)}</option>`).join('')}</select></label>`);
  h.push(`<label>scope <select id="f-scope"><option value="">all</option><option>module</option><option>host</option><option>integrator</option></select></label>`);
  h.push(`<label>text <input id="f-text" type="search" placeholder="id, title, reason"></label><span id="f-count" class="muted"></span>`);
  h.push(`<button id="expand-all" type="button">open all evidence</button><button id="collapse-all" type="button">close all</button></div>`);
  h.push(`<p class="muted">Click a row (or press Enter on it) to open its evidence.</p>`);
  let idx = 0;
  for (const f of r.frs) {
    const rows = r.items.filter((i) => i.fr === f.fr);
    h.push(`<section class="fr" id="sec-${f.fr}"><h3>${f.fr} ${esc(FR_NAMES[f.fr])}</h3>`);
    if (!rows.length) { h.push(`<p class="muted">No requirement of this family is in scope.</p></section>`); continue; }
    h.push(`<table class="matrix"><thead><tr><th>id</th><th>title</th><th class="num">SL</th><th>scope</th><th>verdict</th><th class="num">SL-C</th><th class="num">SL-A</th><th>reason</th></tr></thead><tbody>`);
    for (const i of rows) {
      idx++;
      const v = badge(i.verdict, VERDICT_TEXT[i.verdict]) + (i.accepted ? ` ${badge('accepted', 'gap accepted')}` : '');
      h.push(`<tr class="item" tabindex="0" aria-expanded="false" data-idx="${idx}" data-id="${esc(i.id)}" data-fr="${i.fr}" data-verdict="${i.verdict}" data-scope="${i.scope}">`
        + `<td>${esc(i.id)}</td><td>${esc(i.title)}</td><td class="num">${i.sl}</td><td>${i.scope}</td><td>${v}</td><td class="num">${esc(sl(i.slC))}</td><td class="num">${esc(sl(i.slA))}</td><td>${esc(i.reason)}</td></tr>`);
      const ev: string[] = [];
      if (i.vendorEvidence) ev.push(`<p><b>The vendor must supply:</b> ${esc(i.vendorEvidence)}</p>`);
      if (i.accepted) ev.push(`<p><b>Accepted</b> by ${esc(i.accepted.owner)}: ${esc(i.accepted.justification)}${i.accepted.expires ? ` (until ${esc(i.accepted.expires)})` : ''}</p>`);
      if (i.shownBy.length) ev.push(`<p><b>Also shown by the host tests:</b> ${i.shownBy.map((t) => `<code>${esc(t)}</code>`).join(', ')}</p>`);
      if (!i.checks.length) ev.push(`<p class="muted">No conformance check names this item.</p>`);
      for (const id of i.checks) {
        const c = checkById.get(id)!;
        const measured = Object.entries(c.measured).map(([k, v2]) => `${esc(k)} = ${esc(v2)}`).join(', ');
        ev.push(`<div class="check"><p>${badge(c.result === 'pass' ? 'pass' : 'fail', c.result)} <b>${esc(c.id)}</b> (${c.kind}): ${esc(c.title)}<br>${esc(c.summary)}${measured ? `<br><span class="muted">measured: ${measured}</span>` : ''}</p>`);
        for (const e of c.evidence) {
          const log = logs.get(e);
          ev.push(log !== undefined ? `<pre data-evidence="${esc(e)}">${esc(log)}</pre>` : `<p class="muted">input: <a href="${esc(e)}">${esc(e)}</a></p>`);
        }
        ev.push(`</div>`);
      }
      h.push(`<tr class="evidence hidden" id="ev-${idx}"><td colspan="8">${ev.join('')}</td></tr>`);
    }
    h.push(`</tbody></table></section>`);
  }

  h.push(`<h2>Gap register</h2>`);
  if (!r.gaps.length) h.push(`<p id="gap-register">No gaps.</p>`);
  else {
    h.push(`<table id="gap-register"><thead><tr><th>id</th><th>title</th><th class="num">blocks SL</th><th>severity</th><th>status</th><th>reason</th><th>what would close it</th></tr></thead><tbody>`);
    for (const g of r.gaps) {
      const st = g.accepted ? `${badge('accepted', 'accepted')} ${esc(g.accepted.owner)}: ${esc(g.accepted.justification)}` : esc(g.status);
      h.push(`<tr data-id="${esc(g.id)}" data-severity="${g.severity}"><td>${esc(g.id)}</td><td>${esc(g.title)}</td><td class="num">${g.blocksSl}</td><td>${g.severity}</td><td>${st}</td><td>${esc(g.reason)}</td><td>${esc(g.closes)}</td></tr>`);
    }
    h.push(`</tbody></table>`);
  }
  // The data for the script; "<" escaped so that no string can close the element.
  h.push(`<script type="application/json" id="report-data">${JSON.stringify({ items: r.items.map((i) => ({ id: i.id, verdict: i.verdict })) }).replace(/</g, '\\u003c')}</script>`);
  h.push(`<script>${SCRIPT}</script></body></html>`);
  return `${h.join('\n')}\n`;
}
