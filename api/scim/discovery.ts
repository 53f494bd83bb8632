// The discovery endpoints (RFC 7644 §4, RFC 7643 §5–7): ServiceProviderConfig, ResourceTypes and
// Schemas, describing exactly the attributes this service provider maps.
import type { ApiServer } from '../api-server.js';
import { ScimError } from './errors.js';
import { scimRoute } from './route-options.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** Most resources one list answer holds (`count` above it is lowered to it). */
export const MAX_RESULTS = 200;

type Attribute = Record<string, unknown>;
const attr = (name: string, extra: Attribute = {}): Attribute => ({
  name,
  type: 'string',
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...extra,
});

const SCHEMAS = [
  {
    id: USER_SCHEMA,
    name: 'User',
    description: 'A person in the directory; DELETE deactivates (the record stays, active false).',
    attributes: [
      attr('userName', { required: true, uniqueness: 'server', description: "The person's email address." }),
      attr('name', {
        type: 'complex',
        subAttributes: [attr('formatted'), attr('givenName'), attr('familyName')],
      }),
      attr('displayName'),
      attr('emails', {
        type: 'complex',
        multiValued: true,
        subAttributes: [attr('value'), attr('type'), attr('primary', { type: 'boolean' })],
      }),
      attr('active', { type: 'boolean' }),
      attr('title'),
      attr('externalId', { caseExact: true }),
    ],
  },
  {
    id: ENTERPRISE_SCHEMA,
    name: 'EnterpriseUser',
    description: 'Enterprise User: department, employee number and manager.',
    attributes: [
      attr('department'),
      attr('employeeNumber', { caseExact: true }),
      attr('manager', {
        type: 'complex',
        subAttributes: [attr('value', { caseExact: true }), attr('$ref', { type: 'reference' })],
      }),
    ],
  },
  {
    id: GROUP_SCHEMA,
    name: 'Group',
    description: 'A named set of people; its key is derived from displayName at creation.',
    attributes: [
      attr('displayName', { required: true }),
      attr('members', {
        type: 'complex',
        multiValued: true,
        subAttributes: [
          attr('value', { caseExact: true, mutability: 'immutable' }),
          attr('display', { mutability: 'readOnly' }),
          attr('$ref', { type: 'reference', mutability: 'immutable' }),
        ],
      }),
      attr('externalId', { caseExact: true }),
    ],
  },
];

const RESOURCE_TYPES = [
  {
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    schema: USER_SCHEMA,
    schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }],
  },
  { id: 'Group', name: 'Group', endpoint: '/Groups', schema: GROUP_SCHEMA },
];

const meta = (base: string, resourceType: string, path: string) => ({
  resourceType,
  location: `${base}/${path}`,
});

/** The discovery routes, relative to /scim/v2. */
export function discoveryRoutes(
  app: ApiServer,
  baseOf: (request: { protocol: string; host: string }) => string,
) {
  app.get('/ServiceProviderConfig', scimRoute('getScimServiceProviderConfig'), async (request) => ({
    schemas: [CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'The token of a SCIM connection (grantflow scim token create --name <idp>).',
        primary: true,
      },
    ],
    meta: meta(baseOf(request), 'ServiceProviderConfig', 'ServiceProviderConfig'),
  }));
  const list = (resources: unknown[]) => ({
    schemas: [LIST_SCHEMA],
    totalResults: resources.length,
    itemsPerPage: resources.length,
    startIndex: 1,
    Resources: resources,
  });
  const resourceType = (base: string, type: (typeof RESOURCE_TYPES)[number]) => ({
    schemas: [RESOURCE_TYPE_SCHEMA],
    ...type,
    meta: meta(base, 'ResourceType', `ResourceTypes/${type.id}`),
  });
  const schema = (base: string, s: (typeof SCHEMAS)[number]) => ({
    schemas: [SCHEMA_SCHEMA],
    ...s,
    meta: meta(base, 'Schema', `Schemas/${s.id}`),
  });
  app.get('/ResourceTypes', scimRoute('listScimResourceTypes'), async (request) =>
    list(RESOURCE_TYPES.map((type) => resourceType(baseOf(request), type))),
  );
  app.get<{ Params: { id: string } }>(
    '/ResourceTypes/:id',
    scimRoute('getScimResourceType'),
    async (request) => {
      const found = RESOURCE_TYPES.find((type) => type.id === request.params.id);
      if (!found) throw new ScimError(404, `No resource type ${request.params.id}`);
      return resourceType(baseOf(request), found);
    },
  );
  app.get('/Schemas', scimRoute('listScimSchemas'), async (request) =>
    list(SCHEMAS.map((s) => schema(baseOf(request), s))),
  );
  app.get<{ Params: { id: string } }>('/Schemas/:id', scimRoute('getScimSchema'), async (request) => {
    const found = SCHEMAS.find((s) => s.id === request.params.id);
    if (!found) throw new ScimError(404, `No schema ${request.params.id}`);
    return schema(baseOf(request), found);
  });
}
