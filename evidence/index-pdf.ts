// index.pdf: the same content as index.html, drawn by pdfkit without a browser. The pack's manifest
// hashes this file, so rebuilding a pack from the same model must give the same bytes: pdfkit's only
// clock read is the info dictionary's CreationDate, and the trailer's document ID is an MD5 of that
// dictionary, so pinning the dates to the request's recording time pins both. Only the standard
// Helvetica and Courier are used: nothing is embedded, so no font subset (or subset tag) varies.
// (The bytes are pinned for one pdfkit and one zlib: upgrading either may change them, not the text.)
import type PDFDocumentType from 'pdfkit';
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

/** Options for tests: `compress: false` leaves the content streams readable. */
export type IndexPdfOptions = { compress?: boolean };

const MARGIN = 50;
const BODY = 9.5;

/** Renders the pack's index.pdf; the same model gives the same bytes. */
export async function renderIndexPdf(model: PackModel, options: IndexPdfOptions = {}): Promise<Buffer> {
  const asOf = new Date(model.request.recordedAt);
  if (Number.isNaN(asOf.getTime()))
    throw new RangeError(`recordedAt is not a date: ${model.request.recordedAt}`);
  // Loaded when a pack is built, not with the worker that may build one: it is about 25 MB idle.
  const { default: PDFDocument } = (await import('pdfkit')) as { default: typeof PDFDocumentType };
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    compress: options.compress ?? true,
    font: 'Helvetica',
    info: {
      Title: indexTitle(model),
      Author: model.request.requestedBy,
      Subject: `Evidence pack index, as of ${model.request.recordedAt}`,
      Creator: 'grantflow',
      Producer: 'grantflow (PDFKit)',
      CreationDate: asOf,
      ModDate: asOf,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const pdf = new Writer(doc);
  pdf.heading(indexTitle(model), 18);
  for (const line of headerLines(model)) pdf.para(line);
  howToVerify(pdf, model);
  ledger(pdf, model);
  summary(pdf, model);
  for (const result of model.controls) controlSection(pdf, result);
  pdf.footers(indexTitle(model));
  doc.end();
  return done;
}

function howToVerify(pdf: Writer, model: PackModel): void {
  pdf.heading('How to verify this pack', 14);
  pdf.para('Offline, with grantflow installed:');
  // One line would wrap at a hyphen in the key; a shell continuation keeps it copyable.
  pdf.mono(verifyCommand(model).replace(' --key ', ' \\\n  --key '));
  pdf.para('It checks:');
  for (const check of verifyChecks(model)) pdf.bullet(check, 1);
  pdf.para(KEY_OUT_OF_BAND, { bold: true });
}

function ledger(pdf: Writer, model: PackModel): void {
  const { origin, start, end, consistency, startNote } = model.ledger;
  pdf.heading('Ledger', 14);
  pdf.para(`Origin: ${origin}`);
  if (start) checkpoint(pdf, 'Start checkpoint', start);
  else pdf.para(`Start checkpoint: none. ${startNote ?? ''}`);
  checkpoint(pdf, 'End checkpoint', end);
  if (consistency) pdf.link('Consistency proof: ', consistency);
}

function checkpoint(pdf: Writer, label: string, ref: CheckpointRef): void {
  pdf.heading(label, 11);
  pdf.para(`Size ${ref.treeSize}, root:`);
  pdf.mono(ref.rootHash);
  pdf.mono(ref.note);
}

function summary(pdf: Writer, model: PackModel): void {
  pdf.heading('Controls', 14);
  pdf.table(
    ['Control', 'Title', 'Status', 'Populations', 'Tests', 'Sample'],
    model.controls.map((result) => [
      result.control.id,
      result.control.title,
      statusLabel(result.status),
      result.populations.map(populationFigure).join('\n'),
      result.tests.map(testFigure).join('\n'),
      result.sample ? String(result.sample.size) : 'none',
    ]),
    [50, 85, 50, 115, 150, 45],
  );
}

function controlSection(pdf: Writer, result: ControlResult): void {
  const { control, sample } = result;
  pdf.newPage();
  pdf.outline(`${control.id}: ${control.title}`);
  pdf.heading(`${control.id}: ${control.title}`, 14);
  pdf.para(`Status: ${statusLabel(result.status)}`, { bold: true });
  pdf.para(control.objective);
  pdf.heading('Populations', 11);
  for (const population of result.populations) {
    pdf.bullet(populationFigure(population), 1);
    pdf.link('CSV: ', population.csv, 2);
    pdf.link('Description: ', population.json, 2);
    pdf.para(`SHA-256: ${population.sha256}`, { indent: 2 });
    if (population.noDataSource) pdf.para(`no data source: ${population.noDataSource}`, { indent: 2 });
  }
  pdf.heading('Tests', 11);
  for (const test of result.tests) testSection(pdf, test);
  pdf.heading('Sample', 11);
  if (!sample) {
    pdf.para('No sample drawn.');
    return;
  }
  pdf.para(`${sampleFigure(result)}, drawn in this order:`);
  pdf.link('File: ', sample.file, 1);
  pdf.para(sample.picked.join(', '), { indent: 1 });
}

function testSection(pdf: Writer, test: TestResult): void {
  pdf.para(test.title, { bold: true });
  pdf.para(`${testFigure(test)} over ${test.populationRows} rows`, { indent: 1 });
  pdf.link('File: ', test.file, 1);
  if (test.noDataSource) {
    pdf.para(`no data source: ${test.noDataSource}`, { indent: 1 });
    return;
  }
  const { listed, more } = listedExceptions(test);
  for (const exception of listed) exceptionItem(pdf, exception);
  if (more > 0) pdf.bullet(moreExceptionsLine(more, test), 1);
}

function exceptionItem(pdf: Writer, exception: TestException): void {
  pdf.bullet(`${exception.key}: ${exception.summary}`, 1);
  pdf.para(`Ledger events: ${exception.evidence.join(', ') || 'none'}`, { indent: 2 });
  const { annotation } = exception;
  if (!annotation) return;
  pdf.para(`Root cause: ${annotation.rootCause}`, { indent: 2 });
  pdf.para(`Corrective action: ${annotation.correctiveAction}`, { indent: 2 });
  pdf.para(`Annotated by ${annotation.by} at ${annotation.at}`, { indent: 2 });
}

/** Lays text out on the page; every string passes through winAnsi on its way in. */
class Writer {
  constructor(private readonly doc: PDFKit.PDFDocument) {}

  heading(text: string, size: number): void {
    // A heading on a page's last lines would be parted from what it heads.
    if (this.doc.y > this.doc.page.height - this.doc.page.margins.bottom - 5 * size) this.doc.addPage();
    else this.doc.moveDown(size > 12 ? 0.8 : 0.5);
    this.doc.font('Helvetica-Bold').fontSize(size).text(winAnsi(text), MARGIN);
    this.doc.moveDown(0.2);
  }

  para(text: string, options: { bold?: boolean; indent?: number } = {}): void {
    const x = MARGIN + 14 * (options.indent ?? 0);
    this.doc.font(options.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(BODY);
    this.doc.text(winAnsi(text), x, undefined, { width: this.width(x) });
  }

  bullet(text: string, indent: number): void {
    this.para(`\u2022 ${text}`, { indent });
  }

  mono(text: string): void {
    const x = MARGIN + 14;
    this.doc
      .font('Courier')
      .fontSize(8)
      .text(winAnsi(text), x, undefined, { width: this.width(x) });
    this.doc.moveDown(0.3);
  }

  /** A label and a pack path, the path a relative link as in index.html. */
  link(label: string, path: string, indent = 0): void {
    const x = MARGIN + 14 * indent;
    const width = this.width(x);
    this.doc.font('Helvetica').fontSize(BODY).text(winAnsi(label), x, undefined, { width, continued: true });
    this.doc.fillColor('#1a4f9c').text(winAnsi(path), { link: packHref(path), underline: true });
    this.doc.fillColor('black');
  }

  table(header: string[], rows: string[][], widths: number[]): void {
    this.doc.font('Helvetica').fontSize(8);
    this.doc.table({
      position: { x: MARGIN },
      columnStyles: widths,
      data: [
        header.map((text) => ({ text: winAnsi(text), font: { src: 'Helvetica-Bold' } })),
        ...rows.map((row) => row.map(winAnsi)),
      ],
    });
  }

  outline(title: string): void {
    this.doc.outline.addItem(winAnsi(title));
  }

  newPage(): void {
    this.doc.addPage();
  }

  /** Numbers every page at the bottom, inside the margin (so writing there adds no page). */
  footers(title: string): void {
    const { start, count } = this.doc.bufferedPageRange();
    for (let i = start; i < start + count; i++) {
      this.doc.switchToPage(i);
      const { page } = this.doc;
      const bottom = page.margins.bottom;
      page.margins.bottom = 0;
      this.doc
        .font('Helvetica')
        .fontSize(7.5)
        .fillColor('#555')
        .text(winAnsi(`${title}, page ${i + 1} of ${count}`), MARGIN, page.height - MARGIN / 2, {
          width: page.width - 2 * MARGIN,
          align: 'center',
          lineBreak: false,
        });
      page.margins.bottom = bottom;
    }
    this.doc.fillColor('black');
  }

  private width(x: number): number {
    return this.doc.page.width - MARGIN - x;
  }
}

// Code points outside Latin-1 that WinAnsiEncoding still has (0x80-0x9F), per pdfkit's own map.
const WIN_ANSI_EXTRAS = new Set([
  0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019,
  0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);

/**
 * Makes text drawable with the standard fonts, which encode only WinAnsi: pdfkit would write a
 * CJK character or an emoji as a bogus code, so each becomes '?' (composed first, so an accent
 * typed as a combining mark survives as the accented letter).
 */
export function winAnsi(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC').replace(/\r\n?/g, '\n')) {
    const code = char.codePointAt(0)!;
    if (char === '\n' || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) out += char;
    else if (char === '\t') out += ' ';
    else out += WIN_ANSI_EXTRAS.has(code) ? char : '?';
  }
  return out;
}
