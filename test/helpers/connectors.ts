import { ConnectorError } from '../../connectors/index.js';

/** The ConnectorError `promise` fails with; any other outcome fails the test. */
export async function connectorFailure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
