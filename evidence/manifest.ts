// What the pack's manifest is called and what its signature says: the builder writes them, the
// verifier expects exactly them.

/** The pack's format, named in its manifest. */
export const PACK_FORMAT = 'grantflow-evidence-pack/1';

/** The signed statement over the manifest: the ledger's origin, then the manifest's SHA-256. */
export function manifestNoteBody(origin: string, manifestSha256: string): string {
  return `${origin}/evidence-pack\nmanifest.json sha256 ${manifestSha256}\n`;
}
