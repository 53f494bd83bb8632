import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../core/errors.js';
import { EVIDENCE_TEST_IDS, POPULATION_IDS } from '../../../domain/evidence.js';
import { loadControls, SAMPLE_SIZES, selectControls } from '../../../evidence/controls.js';

const SHIPPED = new URL('../../../evidence/controls/', import.meta.url);
const CC6_2 = readFileSync(new URL('soc2-CC6.2.yaml', SHIPPED), 'utf8');

/** Replaces exactly one occurrence, so a test edit can never silently miss. */
function edit(text: string, from: string, to: string): string {
  const first = text.indexOf(from);
  if (first < 0 || text.indexOf(from, first + 1) >= 0) throw new Error(`expected exactly one "${from}"`);
  return text.replace(from, to);
}

/** The 1-based line where `needle` starts. */
function lineOf(text: string, needle: string): number {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`no "${needle}"`);
  return text.slice(0, offset).split('\n').length;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary controls directory holding `files` (name → YAML text). */
function controlsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'grantflow-controls-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The ValidationError loading `dir` throws. */
function loadError(dir: string): ValidationError {
  try {
    loadControls(dir);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected the controls to be refused');
}

describe('the shipped controls', () => {
  const controls = loadControls();

  it('are the four SOC 2 criteria and five ISO 27001 Annex A controls', () => {
    expect(controls.map((c) => `${c.framework} ${c.id}`)).toEqual([
      'soc2 CC6.1',
      'soc2 CC6.2',
      'soc2 CC6.3',
      'soc2 CC7.2',
      'iso27001 A.5.15',
      'iso27001 A.5.16',
      'iso27001 A.5.18',
      'iso27001 A.8.2',
      'iso27001 A.8.15',
    ]);
  });

  it('draw on known populations and tests, and sample one of their own populations at the table size', () => {
    for (const control of controls) {
      expect(POPULATION_IDS, control.id).toEqual(expect.arrayContaining(control.populations));
      expect(EVIDENCE_TEST_IDS, control.id).toEqual(expect.arrayContaining(control.tests));
      expect(control.populations, control.id).toContain(control.sample.population);
      expect(control.sample.size, control.id).toBe(SAMPLE_SIZES[control.sample.frequency]);
      expect(control.title.length, control.id).toBeGreaterThan(0);
      expect(control.objective, control.id).toMatch(/We (test|show|inspect)/);
    }
  });

  it('sample access reviews as a quarterly control', () => {
    const [cc63] = selectControls(controls, 'soc2', 'CC6.3');
    expect(cc63?.sample).toEqual({ population: 'campaign_items', frequency: 'quarterly', size: 2 });
  });
});

describe('selectControls', () => {
  const controls = loadControls();

  it('gives a framework’s controls, or the one named, matching case and the optional "A."', () => {
    expect(selectControls(controls, 'soc2').map((c) => c.id)).toEqual(['CC6.1', 'CC6.2', 'CC6.3', 'CC7.2']);
    expect(selectControls(controls, 'SOC2', 'cc6.2').map((c) => c.id)).toEqual(['CC6.2']);
    expect(selectControls(controls, 'iso27001', '5.15').map((c) => c.id)).toEqual(['A.5.15']);
    expect(selectControls(controls, 'iso27001', 'a.8.2').map((c) => c.id)).toEqual(['A.8.2']);
  });

  it('names an unknown framework and lists the known ones', () => {
    expect(() => selectControls(controls, 'pci-dss')).toThrow(
      'unknown framework "pci-dss"; known frameworks: soc2, iso27001',
    );
  });

  it('names an unknown control and lists its framework’s controls', () => {
    expect(() => selectControls(controls, 'iso27001', 'CC6.1')).toThrow(
      'unknown control "CC6.1" in iso27001; its controls: A.5.15, A.5.16, A.5.18, A.8.2, A.8.15',
    );
    expect(() => selectControls(controls, 'soc2', '9.9')).toThrow(
      expect.objectContaining({ code: 'validation_failed', status: 400, details: expect.anything() }),
    );
  });
});

describe('loadControls refuses', () => {
  it('malformed YAML, naming the file, line and column', () => {
    // Setup: a colon inside unquoted text, the usual slip when rewording a title.
    const broken = edit(CC6_2, 'title: Registration', 'title: Registration: new users');
    const dir = controlsDir({ 'soc2-CC6.2.yaml': broken });

    const error = loadError(dir);

    expect(error.message).toContain(
      `${join(dir, 'soc2-CC6.2.yaml')}:${lineOf(broken, 'title:')}:8 YAML syntax error: `,
    );
  });

  it('a sample population the control does not draw on, at its line and column', () => {
    const text = edit(CC6_2, '  population: grants_provisioned', '  population: privileged_grants');
    const dir = controlsDir({ 'soc2-CC6.2.yaml': text });

    const error = loadError(dir);

    expect(error.message).toBe(
      `${join(dir, 'soc2-CC6.2.yaml')}:${lineOf(text, '  population: privileged_grants')}:15 sample.population: ` +
        '"privileged_grants" is not one of the control\'s populations ' +
        '(grants_provisioned, requests_decisions, leavers, revocations)',
    );
  });

  it('unknown ids and fields, every one of them at once', () => {
    const text = edit(
      edit(CC6_2, '  - leavers', '  - joiners'),
      '  frequency: many_per_day',
      '  frequency: hourly\n  seed: 42',
    );
    const dir = controlsDir({ 'soc2-CC6.2.yaml': text });

    const { details } = loadError(dir);

    expect(details?.problems).toEqual([
      expect.objectContaining({
        file: join(dir, 'soc2-CC6.2.yaml'),
        line: lineOf(text, '  - joiners'),
        column: 5,
        field: 'populations[2]',
        message: expect.stringMatching(/^must be one of grants_provisioned, .*; found "joiners"$/),
      }),
      expect.objectContaining({ line: lineOf(text, 'hourly'), field: 'sample.frequency' }),
      expect.objectContaining({
        line: lineOf(text, 'seed'),
        field: 'sample.seed',
        message: 'is not a field of a control',
      }),
    ]);
  });

  it('the same control id twice in a framework, whatever its case', () => {
    const dir = controlsDir({
      'soc2-CC6.2.yaml': CC6_2,
      'soc2-cc6.2-copy.yaml': edit(CC6_2, 'id: CC6.2', 'id: cc6.2'),
    });

    const error = loadError(dir);

    expect(error.message).toBe(
      `${join(dir, 'soc2-cc6.2-copy.yaml')}:${lineOf(CC6_2, 'id:')}:5 id: soc2 cc6.2 is already defined in ${join(dir, 'soc2-CC6.2.yaml')}`,
    );
  });

  it('an empty directory', () => {
    const dir = controlsDir({});
    expect(() => loadControls(dir)).toThrow(`no control files (*.yaml) in ${dir}`);
  });
});

describe('loadControls', () => {
  it('takes the sample size from the frequency when the file gives none', () => {
    const text = edit(edit(CC6_2, '  frequency: many_per_day', '  frequency: weekly'), '  size: 25\n', '');
    const [control] = loadControls(controlsDir({ 'soc2-CC6.2.yaml': text }));
    expect(control?.sample).toEqual({ population: 'grants_provisioned', frequency: 'weekly', size: 5 });
  });
});
