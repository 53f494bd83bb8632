// The shapes an evidence pack is made of: controls as the customer writes them (evidence/controls/),
// and the pack model the renderers (OSCAL document, index.html / index.pdf) turn into files. The
// model holds only what is also in the pack's own files, so each rendering can be re-derived.
import type { ControlFrequency, EvidenceTestId, Framework, PopulationId } from '../domain/evidence.js';

/** One control, as `evidence/controls/<framework>-<id>.yaml` describes it. */
export type Control = {
  /** The framework's own id: `CC6.1`, `A.5.15`. */
  id: string;
  framework: Framework;
  /** The control's title in the framework. */
  title: string;
  /** What is tested, in the auditor's words. */
  objective: string;
  /** The populations its evidence draws on. */
  populations: PopulationId[];
  /** The automated tests run over those populations. */
  tests: EvidenceTestId[];
  /** What is sampled and how often the control operates, which sets the sample size. */
  sample: { population: PopulationId; frequency: ControlFrequency; size: number };
};

/** The period a pack covers, inclusive start and exclusive end, as ISO-8601 UTC. */
export type PackPeriod = { label: string; start: string; end: string };

/** A sealed checkpoint the pack cites: its size, root and the signed note itself. */
export type CheckpointRef = { treeSize: number; rootHash: string; note: string };

/** One population's file pair and the figures an auditor checks first. */
export type PopulationResult = {
  id: PopulationId;
  /** Path of the CSV inside the pack (`populations/grants_provisioned.csv`). */
  csv: string;
  /** Path of its description (query, parameters, snapshot, count, SHA-256). */
  json: string;
  rowCount: number;
  sha256: string;
  /** Set when the population has no source in this installation; the files then say why. */
  noDataSource?: string;
};

/** An admin's note on an exception: why it happened and what was done. */
export type ExceptionAnnotation = {
  rootCause: string;
  correctiveAction: string;
  by: string;
  at: string;
};

/** One exception an automated test found, with the ledger events that show it. */
export type TestException = {
  test: EvidenceTestId;
  /** The population row it concerns (a grant id, a campaign item id, a person's email, ...). */
  key: string;
  summary: string;
  /** Ledger positions of the events that evidence it; each has an inclusion proof in the pack. */
  evidence: number[];
  annotation?: ExceptionAnnotation;
};

/** One automated test's outcome over its whole population. */
export type TestResult = {
  id: EvidenceTestId;
  title: string;
  /** Path of its file inside the pack (`tests/grant_without_prior_approval.json`). */
  file: string;
  populationRows: number;
  exceptions: TestException[];
  noDataSource?: string;
};

/** A sample drawn from one population by the documented rule, seeded by a checkpoint's root. */
export type SampleResult = {
  population: PopulationId;
  size: number;
  /** Path of its file inside the pack (`samples/CC6.2.json`): rule, seed, picks and their chains. */
  file: string;
  /** The population keys drawn, in draw order. */
  picked: string[];
};

/** What one control's evidence amounts to. */
export type ControlResult = {
  control: Control;
  populations: PopulationResult[];
  tests: TestResult[];
  sample: SampleResult | null;
  /** `satisfied` when every test ran and found no unannotated exception. */
  status: 'satisfied' | 'not-satisfied';
};

/** Everything the renderers need: the pack's contents, already computed and written. */
export type PackModel = {
  framework: Framework;
  period: PackPeriod;
  /** The ledger event that requested the pack (its recording time is the pack's "as of"). */
  request: { seq: number; eventId: string; recordedAt: string; requestedBy: string };
  ledger: {
    origin: string;
    /** Verifier key of the checkpoint and manifest signatures. */
    verifierKey: string;
    start: CheckpointRef | null;
    end: CheckpointRef;
    /** Path of the consistency proof between start and end, or null without a start checkpoint. */
    consistency: string | null;
    /** Said when the period's start cannot be proven (no checkpoint at or before it). */
    startNote?: string;
  };
  controls: ControlResult[];
};
