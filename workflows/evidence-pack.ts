// Builds one evidence pack: wait until the request is in the ledger, make sure a checkpoint sealed
// after it exists (its root is the samples' seed), build the pack (one long activity that
// heartbeats its progress), then record it. A worker that dies mid-build loses only that attempt:
// the build starts over and, being a function of the request, writes the same bytes.
import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const { locateEvidenceRequest, sealEvidenceSeed, finishEvidencePack, failEvidencePack } =
  proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  });

const { buildEvidencePack } = proxyActivities<Activities>({
  startToCloseTimeout: '4 hours',
  // The build beats at every step and every slice of a population's rows.
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/** Builds the pack `packId` (a row of evidence_packs) and records it in the ledger. */
export async function evidencePack(input: { packId: string }): Promise<{ sha256: string; bytes: number }> {
  try {
    const request = await locateEvidenceRequest(input);
    await sealEvidenceSeed({ seq: request.seq });
    const built = await buildEvidencePack({ packId: input.packId, request });
    await finishEvidencePack({ packId: input.packId, ...built });
    return { sha256: built.sha256, bytes: built.bytes };
  } catch (error) {
    const cause = error instanceof ActivityFailure ? (error.cause?.message ?? error.message) : String(error);
    await failEvidencePack({ packId: input.packId, error: cause });
    throw error;
  }
}
