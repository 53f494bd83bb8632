/** A campaign's items counted by decision and by how their revocation went. */
export type CampaignCounts = {
  total: number;
  decided: number;
  undecided: number;
  kept: number;
  revoked: number;
  revocationPending: number;
  revocationVerified: number;
  revocationUnverified: number;
  revocationFailed: number;
  revocationNotNeeded: number;
};
