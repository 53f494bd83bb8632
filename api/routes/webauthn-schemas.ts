// The WebAuthn JSON shapes the console exchanges with the API (as @simplewebauthn/browser builds
// and reads them): creation and request options out, registration and authentication responses in.
import { z } from 'zod';

/** A binary value as WebAuthn JSON carries it. */
const base64url = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]*$/, 'must be base64url');

/** How a browser can reach an authenticator (`AuthenticatorTransportFuture`). */
const transport = z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);

const credentialDescriptor = z.object({
  id: base64url,
  type: z.literal('public-key'),
  transports: z.array(transport).optional(),
});

// Extensions as the options carry them: grantflow asks for none but credProps.
const extensionInputs = z.object({ credProps: z.boolean().optional() }).optional();

const extensionResults = z.record(z.string(), z.unknown()).default({});

/** What `navigator.credentials.create()` answered (`RegistrationResponseJSON`). */
export const registrationResponse = z.object({
  id: base64url,
  rawId: base64url,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: base64url,
    attestationObject: base64url,
    authenticatorData: base64url.optional(),
    transports: z.array(transport).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url.optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: extensionResults,
});

/** What `navigator.credentials.get()` answered (`AuthenticationResponseJSON`). */
export const authenticationResponse = z.object({
  id: base64url,
  rawId: base64url,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: extensionResults,
});

/** `PublicKeyCredentialCreationOptionsJSON`, for `startRegistration({ optionsJSON })`. */
export const creationOptions = z.object({
  challenge: z.string(),
  rp: z.object({ name: z.string(), id: z.string().optional() }),
  user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
  pubKeyCredParams: z.array(z.object({ type: z.literal('public-key'), alg: z.number().int() })),
  timeout: z.number().int().optional(),
  excludeCredentials: z.array(credentialDescriptor).optional(),
  authenticatorSelection: z
    .object({
      authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
      residentKey: z.enum(['discouraged', 'preferred', 'required']).optional(),
      requireResidentKey: z.boolean().optional(),
      userVerification: z.enum(['discouraged', 'preferred', 'required']).optional(),
    })
    .optional(),
  attestation: z.string().optional(),
  extensions: extensionInputs,
  hints: z.array(z.string()).optional(),
});

/** `PublicKeyCredentialRequestOptionsJSON`, for `startAuthentication({ optionsJSON })`. */
export const requestOptions = z.object({
  challenge: z.string(),
  rpId: z.string().optional(),
  timeout: z.number().int().optional(),
  allowCredentials: z.array(credentialDescriptor).optional(),
  userVerification: z.enum(['discouraged', 'preferred', 'required']).optional(),
  extensions: extensionInputs,
  hints: z.array(z.string()).optional(),
});
