// Who grantflow is to a passkey: the WebAuthn relying party, derived from the console's public URL
// (GRANTFLOW_PUBLIC_URL), so the passkeys people register work where they sign in, and nowhere else.

/** The relying party: its id (the host name), the one origin assertions may come from, its name. */
export type RelyingParty = { id: string; origin: string; name: string };

/** The relying party of the console served at `publicUrl`. */
export function relyingPartyOf(publicUrl: string): RelyingParty {
  const url = new URL(publicUrl);
  return { id: url.hostname, origin: url.origin, name: 'grantflow' };
}
