// The search attributes grantflow's workflows set: without them a workflow start fails.
import type { Connection } from '@temporalio/client';
import { missingSearchAttributes } from '../../temporal/search-attributes.js';
import { type CheckOutcome, failed, passed } from '../check.js';

/** Lists the namespace's search attributes and names the missing ones with the command that adds each. */
export async function checkSearchAttributes(
  connection: Connection,
  namespace: string,
): Promise<CheckOutcome> {
  const missing = await missingSearchAttributes(connection, namespace);
  if (missing.length === 0) return passed(`namespace ${namespace} defines every Grantflow* search attribute`);
  const commands = missing.map(
    (name) =>
      `temporal operator search-attribute create --namespace ${namespace} --name ${name} --type Keyword`,
  );
  return failed(
    `namespace ${namespace} lacks the search attribute${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
    `${commands.join(' && ')} (\`grantflow dev\` creates them for a local server)`,
  );
}
