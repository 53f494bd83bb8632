// What a payload must look like before Bolt reads it. Bolt parses the body (JSON, or JSON in a
// form's `payload`) and then reads fields of what it parsed without checking their types, some of
// them outside any handler: `null` for the whole body throws where nothing catches it (the request
// hangs), `channel: null` or `actions: 5` throw in its routing. A payload is signed, so only a
// holder of the signing secret can send one; still, the door refuses it with 400 rather than
// letting Bolt fail on it.
import { parse as parseForm } from 'node:querystring';
import { z } from 'zod';

const object = z.looseObject({});

/** The envelope fields Bolt routes on, when present, with the types Bolt assumes. */
const boltEnvelope = z.looseObject({
  actions: z.array(object).min(1).optional(),
  channel: object.optional(),
  view: object.optional(),
  event: object.optional(),
});

/** True when Bolt can read the body as it will parse it for `contentType`. */
export function isReadableSlackPayload(body: Buffer, contentType: string | undefined): boolean {
  const text = body.toString('utf8');
  let parsed: unknown;
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const { payload } = parseForm(text);
      // A form without one JSON `payload` is a slash command: its fields are strings.
      if (typeof payload !== 'string') return true;
      parsed = JSON.parse(payload);
    } else {
      parsed = JSON.parse(text);
    }
  } catch {
    return false;
  }
  return boltEnvelope.safeParse(parsed).success;
}
