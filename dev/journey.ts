// The first journey `grantflow dev` prints: an employee of the example company asks for access
// and their manager approves. Tokens for both are created once and kept in the data directory.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../db/client.js';
import { isTokenActive } from '../db/queries/api-tokens.js';
import { getManagerOf, getPersonByEmail } from '../db/queries/people.js';
import { issueApiToken } from '../directory/tokens.js';

/** Who asks in the example journey. */
const REQUESTER = 'tom.becker@acme.test';

/** The two people of the journey, each with an employee token. */
export type Journey = { requester: JourneyPerson; approver: JourneyPerson };
type JourneyPerson = { email: string; name: string; token: string };

/** The journey's tokens, or undefined when the directory is not the example company. */
export async function ensureJourney(db: Database, dataDir: string): Promise<Journey | undefined> {
  const file = path.join(dataDir, 'journey-tokens.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Journey;
    if ((await isTokenActive(db, saved.requester.token)) && (await isTokenActive(db, saved.approver.token))) {
      return saved;
    }
  }
  const requester = await getPersonByEmail(db, REQUESTER);
  const manager = requester && (await getManagerOf(db, requester.id));
  if (!requester || !manager || requester.status !== 'active' || manager.status !== 'active')
    return undefined;
  const issue = async (person: { id: string; email: string; name: string }): Promise<JourneyPerson> => ({
    email: person.email,
    name: person.name,
    token: await issueApiToken(db, {
      personId: person.id,
      email: person.email,
      role: 'employee',
      description: 'grantflow dev: first-journey token',
      issuedBy: 'grantflow dev',
    }),
  });
  const journey = { requester: await issue(requester), approver: await issue(manager) };
  writeFileSync(file, `${JSON.stringify(journey)}\n`, { mode: 0o600 });
  return journey;
}

/** The journey as shell lines that work exactly as printed (inside the checkout). */
export function journeyLines(journey: Journey): string[] {
  const { requester, approver } = journey;
  return [
    `Try: ${requester.name} asks for the payments database, ${approver.name} (his manager and its owner) approves.`,
    `  export ASKER=${requester.token} APPROVER=${approver.token}`,
    `  REQ=$(npx grantflow request create --resource payments-db --entitlement payments_read --duration 4h --reason "INC-4711" --token $ASKER --quiet)`,
    `  npx grantflow request show $REQ --token $ASKER        # who must approve`,
    `  npx grantflow request approve $REQ --token $APPROVER  # once: it counts for both steps, manager and owner`,
    `  npx grantflow request show $REQ --token $ASKER        # granted`,
    `  npx grantflow grants list --token $ASKER              # "verified at the target": grants show <id>`,
    `  npx grantflow request release $REQ --token $ASKER     # gives it back; the removal is read back`,
    `  npx grantflow audit verify`,
  ];
}
