// What every SCIM route is registered with.

/**
 * A SCIM route's options: its operationId, and out of /api/v1/openapi.json, since SCIM clients
 * read the service's own discovery endpoints (/ServiceProviderConfig, /Schemas) instead.
 */
export const scimRoute = (operationId: string) => ({ schema: { hide: true, operationId } });
