// A refused write, under the form that sent it: the server's own words, and each field it named.
import { ApiError } from '../api/client';

/** The error of a mutation, or nothing while there is none. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  const fields =
    error instanceof ApiError
      ? Object.entries(error.fieldErrors()).map(([field, problem]) => ({ field, message: problem }))
      : [];
  return (
    <div className="form-error" role="alert">
      <p>{fields.length > 0 ? 'The request was refused:' : message}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((field) => (
            <li key={field.field}>
              <strong>{fieldLabel(field.field)}</strong> {field.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** `body.durationSeconds` → "Duration": the names people saw on the form. */
function fieldLabel(field: string): string {
  const name = field.split('.').pop() ?? field;
  const labels: Record<string, string> = {
    durationSeconds: 'Duration',
    reason: 'Reason',
    entitlement: 'Entitlement',
    resource: 'Resource',
    comment: 'Reason',
    seconds: 'Extension',
    to: 'Delegate to',
  };
  return labels[name] ?? name;
}
