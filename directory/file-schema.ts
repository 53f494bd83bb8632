// The directory file: people, groups, approval policies, the catalog, separation-of-duties rules,
// birthright rules and access already held, in one YAML document. The file is the whole truth for what it lists, so the schema is strict: an unknown
// or misspelt field is an error rather than something silently ignored.
// The sections' own schemas are in file-sections.ts, the checks across entries in file-references.ts.
import type { z } from 'zod';
import { checkReferences } from './file-references.js';
import { sectionSchema } from './file-sections.js';

// The format's pieces that other layers read: approver references and the policy schemas.
export { parseApproverRef } from './file-fields.js';
export {
  type PolicyDefinition,
  policyDefinitionSchema,
  storedPolicyDefinitionSchema,
} from './policy-schema.js';

/** The sections of a directory file, in the order the file presents them. */
export const DIRECTORY_SECTIONS = Object.keys(sectionSchema.shape) as (keyof typeof sectionSchema.shape)[];

/** The whole directory file: shape first, then every cross-reference (only once the shape is valid). */
export const directoryFileSchema = sectionSchema.superRefine((file, ctx) => {
  for (const issue of checkReferences(file)) ctx.addIssue({ code: 'custom', ...issue });
});
/** A validated directory file. */
export type DirectoryFile = z.output<typeof directoryFileSchema>;
/** One policy (its key plus its definition) as parsed from the file. */
export type DirectoryPolicy = DirectoryFile['policies'][number];
/** One resource with its entitlements as parsed from the file. */
export type DirectoryResource = DirectoryFile['resources'][number];

/** One line of the `access` section. */
export type DirectoryAccess = DirectoryFile['access'][number];
/** One rule of the `birthright` section. */
export type DirectoryBirthrightRule = DirectoryFile['birthright'][number];
