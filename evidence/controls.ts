// Controls as data: each evidence/controls/<framework>-<id>.yaml says what one control's evidence is
// (its populations, automated tests and sample). The files are the customer's to edit, so a mistake
// is reported as file:line:column with the field, every problem of every file at once.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Document, isCollection, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import {
  CONTROL_FREQUENCIES,
  type ControlFrequency,
  EVIDENCE_TEST_IDS,
  FRAMEWORKS,
  type Framework,
  POPULATION_IDS,
} from '../domain/evidence.js';
import type { Control } from './model.js';

/** Sample size per control frequency, used when a file gives none (docs/evidence.md "Controls"). */
export const SAMPLE_SIZES: Record<ControlFrequency, number> = {
  many_per_day: 25,
  daily: 25,
  weekly: 5,
  monthly: 2,
  quarterly: 2,
  annually: 1,
};

const SHIPPED_DIR = fileURLToPath(new URL('./controls/', import.meta.url));

const text = z.string().trim().min(1, 'must not be empty');

function noRepeats(list: string[], ctx: z.RefinementCtx): void {
  list.forEach((value, i) => {
    if (list.indexOf(value) !== i)
      ctx.addIssue({ code: 'custom', path: [i], message: `"${value}" is listed twice` });
  });
}

// The id names the pack's files (samples/CC6.2.json), so it keeps to characters safe in a path.
const controlFileSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be the framework\'s id, like "CC6.1" or "A.5.15"'),
    framework: z.enum(FRAMEWORKS),
    title: text,
    objective: text,
    populations: z
      .array(z.enum(POPULATION_IDS))
      .min(1, 'must list at least one population')
      .superRefine(noRepeats),
    tests: z.array(z.enum(EVIDENCE_TEST_IDS)).min(1, 'must list at least one test').superRefine(noRepeats),
    sample: z.strictObject({
      population: z.enum(POPULATION_IDS),
      frequency: z.enum(CONTROL_FREQUENCIES),
      size: z.int('must be a whole number').min(1, 'must be at least 1').optional(),
    }),
  })
  .superRefine((control, ctx) => {
    if (!control.populations.includes(control.sample.population)) {
      ctx.addIssue({
        code: 'custom',
        path: ['sample', 'population'],
        message: `"${control.sample.population}" is not one of the control's populations (${control.populations.join(', ')})`,
      });
    }
  });

/** One thing wrong with a control file, where the YAML shows it. */
type ControlProblem = { file: string; line: number; column: number; field: string; message: string };

/**
 * Reads every control file (`*.yaml`, `*.yml`) in `dir`, by default the shipped `evidence/controls/`.
 * Throws one ValidationError listing every problem: YAML syntax, shape, a sample population the control
 * does not draw on, and a control id defined twice in a framework.
 */
export function loadControls(dir: string = SHIPPED_DIR): Control[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
  } catch (error) {
    const message = `cannot read the controls directory ${dir}: ${(error as Error).message}`;
    throw new ValidationError(message, { dir });
  }
  if (names.length === 0) throw new ValidationError(`no control files (*.yaml) in ${dir}`, { dir });

  const problems: ControlProblem[] = [];
  const controls: Control[] = [];
  const defined = new Map<string, string>();
  for (const name of names.sort()) {
    const file = join(dir, name);
    const parsed = parseControl(readFileSync(file, 'utf8'), file);
    if ('problems' in parsed) {
      problems.push(...parsed.problems);
      continue;
    }
    const key = `${parsed.control.framework}:${parsed.control.id.toUpperCase()}`;
    const first = defined.get(key);
    if (first) {
      problems.push({
        ...parsed.at(['id']),
        message: `${parsed.control.framework} ${parsed.control.id} is already defined in ${first}`,
      });
      continue;
    }
    defined.set(key, file);
    controls.push(parsed.control);
  }
  if (problems.length > 0) {
    throw new ValidationError(problems.map(formatProblem).join('\n'), { problems });
  }
  return controls.sort(
    (a, b) =>
      FRAMEWORKS.indexOf(a.framework) - FRAMEWORKS.indexOf(b.framework) ||
      a.id.localeCompare(b.id, 'en', { numeric: true }),
  );
}

/**
 * The controls of `framework`, or the one `controlId` names. Both are matched case-insensitively, and an
 * ISO 27001 Annex A id may leave out its `A.` (`5.15` for `A.5.15`). Throws a ValidationError naming
 * what is unknown and listing what is known.
 */
export function selectControls(controls: Control[], framework: string, controlId?: string): Control[] {
  const wanted = FRAMEWORKS.find((known) => known === framework.trim().toLowerCase());
  if (!wanted) {
    const known = [...FRAMEWORKS];
    throw new ValidationError(`unknown framework "${framework}"; known frameworks: ${known.join(', ')}`, {
      framework,
      known,
    });
  }
  const ofFramework = controls.filter((control) => control.framework === wanted);
  if (ofFramework.length === 0) {
    throw new ValidationError(`no controls are defined for ${wanted}`, { framework: wanted });
  }
  if (controlId === undefined) return ofFramework;
  const control = findControl(ofFramework, wanted, controlId);
  if (!control) {
    const known = ofFramework.map((c) => c.id);
    const message = `unknown control "${controlId}" in ${wanted}; its controls: ${known.join(', ')}`;
    throw new ValidationError(message, { framework: wanted, control: controlId, known });
  }
  return [control];
}

function findControl(controls: Control[], framework: Framework, controlId: string): Control | undefined {
  const wanted = controlId.trim().toUpperCase();
  const exact = controls.find((control) => control.id.toUpperCase() === wanted);
  if (exact || framework !== 'iso27001') return exact;
  // An exact id wins, so a clause (8.2, risk assessment) and an Annex A control (A.8.2) can both be kept.
  const other = wanted.startsWith('A.') ? wanted.slice(2) : `A.${wanted}`;
  return controls.find((control) => control.id.toUpperCase() === other);
}

type Located = Omit<ControlProblem, 'message'>;
type ParsedControl =
  | { control: Control; at: (path: readonly PropertyKey[]) => Located }
  | { problems: ControlProblem[] };

function parseControl(source: string, file: string): ParsedControl {
  const lineCounter = new LineCounter();
  // prettyErrors would put "at line N" and an excerpt into messages; positions are reported separately.
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const atOffset = (offset: number, field = '') => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line: Math.max(line, 1), column: Math.max(col, 1), field };
  };
  const at = (path: readonly PropertyKey[]) => atOffset(offsetOf(doc, path), formatPath(path));

  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((error) => ({
        ...atOffset(error.pos[0]),
        message: `YAML syntax error: ${error.message}`,
      })),
    };
  }
  let value: unknown;
  try {
    // The default alias limit stops "billion laughs" expansion.
    value = doc.toJS();
  } catch (error) {
    return { problems: [{ ...atOffset(0), message: `YAML error: ${(error as Error).message}` }] };
  }
  const result = controlFileSchema.safeParse(value, { reportInput: true });
  if (!result.success) {
    return {
      problems: result.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => ({ ...at([...issue.path, key]), message: 'is not a field of a control' }))
          : [{ ...at(issue.path), message: messageOf(issue, writtenAt(doc, source, issue.path)) }],
      ),
    };
  }
  const { sample, ...rest } = result.data;
  return {
    control: { ...rest, sample: { ...sample, size: sample.size ?? SAMPLE_SIZES[sample.frequency] } },
    at,
  };
}

/** `soc2-CC6.1.yaml:12:15 sample.population: ...`. */
function formatProblem(problem: ControlProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return problem.field ? `${where} ${problem.field}: ${problem.message}` : `${where} ${problem.message}`;
}

function messageOf(issue: z.core.$ZodIssue, written: string): string {
  const found = issue.input === undefined || issue.input === null ? 'nothing' : JSON.stringify(issue.input);
  if (issue.path.length === 0) {
    return `a control file is a mapping with id, framework, title, objective, populations, tests and sample; found ${found}`;
  }
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.join(', ')}; found ${found}`;
  if (issue.code === 'invalid_type' && issue.path[0] === 'id' && typeof issue.input === 'number') {
    return `must be text: write it in quotes (id: "${written}"), or YAML reads it as a number`;
  }
  if (issue.code === 'invalid_type') {
    return issue.input === undefined
      ? 'is required'
      : `must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}; found ${found}`;
  }
  return issue.message;
}

/** `['sample', 'population']` → `sample.population`, `['tests', 2]` → `tests[2]`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, i) =>
      typeof segment === 'number' ? `[${segment}]` : `${i === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

/**
 * Where `path` shows in the source: a value where it is, a block list or mapping at its key (it starts on
 * the next line), the deepest existing parent when the field is missing.
 */
function offsetOf(doc: Document, path: readonly PropertyKey[]): number {
  let node: unknown = doc.contents;
  let offset = startOf(node) ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === segment);
      if (!pair) break;
      const keyStart = startOf(pair.key);
      node = pair.value;
      const block = isCollection(node) && !node.flow;
      offset = (block ? keyStart : (startOf(node) ?? keyStart)) ?? offset;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      offset = startOf(node) ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

/** The source text of the value at `path` (what the customer wrote, before YAML read it). */
function writtenAt(doc: Document, source: string, path: readonly PropertyKey[]): string {
  const range = (doc.getIn(path, true) as { range?: [number, number, number] } | undefined)?.range;
  return range ? source.slice(range[0], range[1]) : '';
}

function startOf(node: unknown): number | undefined {
  return (node as { range?: [number, number, number] | null } | null | undefined)?.range?.[0];
}
