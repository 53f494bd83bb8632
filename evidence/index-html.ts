// index.html: the pack's front page for a person, one self-contained file (no scripts, no fetches;
// the CSP says so to the browser too). Reasons and names come from people, so every value is escaped.
import {
  headerLines,
  indexTitle,
  KEY_OUT_OF_BAND,
  listedExceptions,
  moreExceptionsLine,
  packHref,
  populationFigure,
  sampleFigure,
  statusLabel,
  testFigure,
  verifyChecks,
  verifyCommand,
} from './index-content.js';
import type { CheckpointRef, ControlResult, PackModel, TestException, TestResult } from './model.js';

const CSS = `
body { font: 15px/1.45 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; } h3 { margin-bottom: .3rem; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
code, pre { font: 13px ui-monospace, monospace; } pre { background: #f4f4f4; padding: .6rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.satisfied { color: #176b2c; } .not-satisfied { color: #a11; font-weight: bold; }
.note { border-left: 3px solid #999; padding-left: .6rem; margin: .3rem 0; }
ul.plain { list-style: none; padding-left: 0; }
`;

/** Renders the pack's index.html; the same model gives the same string. */
export function renderIndexHtml(model: PackModel): string {
  const title = indexTitle(model);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${esc(title)}</h1>`,
    `<ul class="plain">${headerLines(model).map(li).join('')}</ul>`,
    howToVerify(model),
    ledger(model),
    summary(model),
    ...model.controls.map(controlSection),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function howToVerify(model: PackModel): string {
  return [
    '<h2 id="verify">How to verify this pack</h2>',
    '<p>Offline, with grantflow installed:</p>',
    `<pre>${esc(verifyCommand(model))}</pre>`,
    `<p>It checks:</p><ul>${verifyChecks(model).map(li).join('')}</ul>`,
    `<p class="note">${esc(KEY_OUT_OF_BAND)}</p>`,
  ].join('\n');
}

function ledger(model: PackModel): string {
  const { origin, start, end, consistency, startNote } = model.ledger;
  const startText = start
    ? checkpoint('Start checkpoint', start)
    : `<p>Start checkpoint: none. ${esc(startNote ?? '')}</p>`;
  return [
    '<h2 id="ledger">Ledger</h2>',
    `<p>Origin: <code>${esc(origin)}</code></p>`,
    startText,
    checkpoint('End checkpoint', end),
    consistency ? `<p>Consistency proof: ${link(consistency)}</p>` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

function checkpoint(label: string, ref: CheckpointRef): string {
  return [
    `<h3>${label}</h3>`,
    `<p>Size ${ref.treeSize}, root <code>${esc(ref.rootHash)}</code></p>`,
    `<pre>${esc(ref.note)}</pre>`,
  ].join('\n');
}

function summary(model: PackModel): string {
  const rows = model.controls.map(
    (result) =>
      `<tr><td><a href="#${esc(encodeURIComponent(anchor(result)))}">${esc(result.control.id)}</a></td>` +
      `<td>${esc(result.control.title)}</td>` +
      `<td class="${esc(result.status)}">${statusLabel(result.status)}</td>` +
      `<td>${result.populations.map((p) => esc(populationFigure(p))).join('<br>')}</td>` +
      `<td>${result.tests.map((t) => esc(testFigure(t))).join('<br>')}</td>` +
      `<td>${result.sample ? result.sample.size : 'none'}</td></tr>`,
  );
  return [
    '<h2 id="summary">Controls</h2>',
    '<table><thead><tr><th>Control</th><th>Title</th><th>Status</th><th>Populations</th>' +
      '<th>Tests</th><th>Sample</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody></table>`,
  ].join('\n');
}

function controlSection(result: ControlResult): string {
  const { control, sample } = result;
  const populations = result.populations.map(
    (p) =>
      `<li>${esc(populationFigure(p))}: ${link(p.csv)}, ${link(p.json)}, SHA-256 <code>${esc(p.sha256)}</code>` +
      `${p.noDataSource ? `<br>no data source: ${esc(p.noDataSource)}` : ''}</li>`,
  );
  const sampleText = sample
    ? `<p>${esc(sampleFigure(result))}, drawn in this order (${link(sample.file)}):</p>` +
      `<p>${sample.picked.map((key) => `<code>${esc(key)}</code>`).join(', ')}</p>`
    : '<p>No sample drawn.</p>';
  return [
    `<h2 id="${esc(anchor(result))}">${esc(control.id)}: ${esc(control.title)}</h2>`,
    `<p>Status: <span class="${esc(result.status)}">${statusLabel(result.status)}</span></p>`,
    `<p>${esc(control.objective)}</p>`,
    '<h3>Populations</h3>',
    `<ul>${populations.join('\n')}</ul>`,
    '<h3>Tests</h3>',
    ...result.tests.map(testSection),
    '<h3>Sample</h3>',
    sampleText,
  ].join('\n');
}

function testSection(test: TestResult): string {
  const { listed, more } = listedExceptions(test);
  const head = `<h4>${esc(test.title)}</h4><p>${esc(testFigure(test))} over ${test.populationRows} rows, ${link(test.file)}</p>`;
  if (test.noDataSource) return `${head}\n<p>no data source: ${esc(test.noDataSource)}</p>`;
  const items = listed.map(exceptionItem);
  if (more > 0) items.push(li(moreExceptionsLine(more, test)));
  return items.length > 0 ? `${head}\n<ul>${items.join('\n')}</ul>` : head;
}

function exceptionItem(exception: TestException): string {
  const { annotation } = exception;
  const note = annotation
    ? `<div class="note">Root cause: ${esc(annotation.rootCause)}<br>Corrective action: ` +
      `${esc(annotation.correctiveAction)}<br>Annotated by ${esc(annotation.by)} at ${esc(annotation.at)}</div>`
    : '';
  return (
    `<li><code>${esc(exception.key)}</code>: ${esc(exception.summary)}` +
    `<br>Ledger events: ${esc(exception.evidence.join(', ') || 'none')}${note}</li>`
  );
}

function link(path: string): string {
  return `<a href="${esc(packHref(path))}">${esc(path)}</a>`;
}

function li(text: string): string {
  return `<li>${esc(text)}</li>`;
}

function anchor(result: ControlResult): string {
  return `control-${result.control.id}`;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

// Escapes for element content and quoted attribute values alike.
function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}
