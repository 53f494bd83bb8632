// Launching a campaign, or setting up the quarterly one, from the same form. The API validates
// (the same rules as the CLI and Slack); the form sends what was typed and shows each problem the
// API names beside its field, so nothing is refused here that the API would accept or vice versa.
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId } from 'react';
import { ApiError, api, must } from '../../api/client';

const RISKS = ['low', 'medium', 'high', 'critical'] as const;

/** Now: one campaign with a due date. Quarterly: the schedule's template, due N days after each run. */
type Mode = 'now' | 'quarterly';

/** Comma or newline separated text as a list; empty stays absent, as the API wants. */
function listOf(text: FormDataEntryValue | null): string[] | undefined {
  const items = String(text ?? '')
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

/** The launch input exactly as the API takes it, from the form's fields. */
function launchInputOf(form: FormData, mode: Mode): Record<string, unknown> {
  const scope = {
    resources: listOf(form.get('resources')),
    entitlements: listOf(form.get('entitlements')),
    departments: listOf(form.get('departments')),
    riskLevels: form.getAll('riskLevels').length ? form.getAll('riskLevels').map(String) : undefined,
  };
  const rule = String(form.get('reviewerRule') ?? 'manager');
  const person = String(form.get('reviewerPerson') ?? '').trim();
  const due = String(form.get('due') ?? '').trim();
  const dueDays = Number(form.get('dueDays'));
  const defaultAction = String(form.get('defaultAction') ?? '');
  return {
    name: String(form.get('name') ?? ''),
    scope: Object.fromEntries(Object.entries(scope).filter(([, value]) => value !== undefined)),
    reviewer: { rule, ...(person ? { person } : {}) },
    ...(mode === 'now'
      ? due
        ? { dueAt: new Date(due).toISOString() }
        : {}
      : { dueInSeconds: Number.isFinite(dueDays) ? Math.round(dueDays * 86_400) : dueDays }),
    ...(defaultAction ? { defaultAction } : {}),
    allowChanges: form.get('allowChanges') === 'on',
  };
}

/** The API's problems for `field` and anything under it (`scope.resources` takes `scope.resources[1]`). */
function problemsFor(errors: Record<string, string>, field: string): string | undefined {
  const found = Object.entries(errors)
    .filter(([path]) => path === field || path.startsWith(`${field}[`) || path.startsWith(`${field}.`))
    .map(([path, message]) => (path === field ? message : `${path.slice(field.length)} ${message}`));
  return found.length ? found.join('; ') : undefined;
}

function Field({
  name,
  label,
  hint,
  errors,
  children,
}: {
  name: string;
  label: string;
  hint?: string;
  errors: Record<string, string>;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}) {
  const id = useId();
  const problem = problemsFor(errors, name);
  const described = [hint ? `${id}-hint` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(described ? { 'aria-describedby': described } : {}),
        ...(problem ? { 'aria-invalid': true } : {}),
      })}
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {problem && (
        <span className="error-text" id={`${id}-error`}>
          {problem}
        </span>
      )}
    </div>
  );
}

/** The launch (or schedule) form; `launched` gets the new campaign's id or the schedule's id. */
export function LaunchForm({ mode, launched }: { mode: Mode; launched: (id: string) => void }) {
  const launch = useMutation({
    mutationFn: async (input: Record<string, unknown>) =>
      mode === 'now'
        ? must(await api.POST('/api/v1/campaigns', { body: input })).campaignId
        : must(await api.POST('/api/v1/campaigns/schedules', { body: input })).scheduleId,
    onSuccess: launched,
  });
  const errors = launch.error instanceof ApiError ? launch.error.fieldErrors() : {};
  const unplaced = Object.keys(errors).filter(
    (field) =>
      !['name', 'scope', 'reviewer', 'dueAt', 'dueInSeconds', 'defaultAction', 'allowChanges'].some(
        (known) => field === known || field.startsWith(`${known}.`) || field.startsWith(`${known}[`),
      ),
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    launch.mutate(launchInputOf(new FormData(event.currentTarget), mode));
  };
  const dueField = mode === 'now' ? 'dueAt' : 'dueInSeconds';
  return (
    <form
      className="panel"
      onSubmit={submit}
      noValidate
      aria-label={mode === 'now' ? 'Launch a campaign' : 'Schedule a quarterly campaign'}
    >
      <Field name="name" label="Name" errors={errors}>
        {(props) => <input {...props} name="name" type="text" maxLength={200} required />}
      </Field>
      {mode === 'now' ? (
        <Field name={dueField} label="Due" hint="When reviewers must have decided." errors={errors}>
          {(props) => <input {...props} name="due" type="datetime-local" required />}
        </Field>
      ) : (
        <Field name={dueField} label="Due after each run (days)" errors={errors}>
          {(props) => <input {...props} name="dueDays" type="number" min={1} defaultValue={14} />}
        </Field>
      )}
      <Field
        name="defaultAction"
        label="If a reviewer does not answer by the due date"
        hint="grantflow never picks this for you."
        errors={errors}
      >
        {(props) => (
          <select {...props} name="defaultAction" defaultValue="" required>
            <option value="">Choose…</option>
            <option value="revoke">Revoke the access</option>
            <option value="keep">Keep the access</option>
            <option value="escalate">Escalate to the reviewer's manager</option>
          </select>
        )}
      </Field>
      <Field name="reviewer.rule" label="Who reviews" errors={errors}>
        {(props) => (
          <select {...props} name="reviewerRule" defaultValue="manager">
            <option value="manager">Each holder's manager</option>
            <option value="resource_owner">Each resource's owner</option>
            <option value="person">One person</option>
          </select>
        )}
      </Field>
      <Field
        name="reviewer.person"
        label="Reviewer's email"
        hint="Only when one person reviews everything."
        errors={errors}
      >
        {(props) => <input {...props} name="reviewerPerson" type="email" autoComplete="off" />}
      </Field>
      <fieldset className="scope">
        <legend>Scope (leave everything empty to review all access)</legend>
        <Field name="scope.resources" label="Resources" hint="Keys, separated by commas." errors={errors}>
          {(props) => <input {...props} name="resources" type="text" autoComplete="off" />}
        </Field>
        <Field
          name="scope.entitlements"
          label="Entitlements"
          hint='"resource/entitlement" keys, separated by commas.'
          errors={errors}
        >
          {(props) => <input {...props} name="entitlements" type="text" autoComplete="off" />}
        </Field>
        <Field name="scope.departments" label="Departments" hint="Separated by commas." errors={errors}>
          {(props) => <input {...props} name="departments" type="text" autoComplete="off" />}
        </Field>
        <fieldset className="checks">
          <legend>Risk levels</legend>
          {RISKS.map((risk) => (
            <label key={risk} className="check">
              <input type="checkbox" name="riskLevels" value={risk} /> {risk}
            </label>
          ))}
          {problemsFor(errors, 'scope.riskLevels') && (
            <span className="error-text">{problemsFor(errors, 'scope.riskLevels')}</span>
          )}
        </fieldset>
      </fieldset>
      <label className="check">
        <input type="checkbox" name="allowChanges" /> Reviewers may change their decisions until the due date
      </label>
      {launch.isError && (
        <div className="error-text" role="alert">
          <p>{launch.error.message}</p>
          {unplaced.map((field) => (
            <p key={field}>
              {field}: {errors[field]}
            </p>
          ))}
        </div>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={launch.isPending}>
          {launch.isPending ? 'Sending…' : mode === 'now' ? 'Launch campaign' : 'Schedule every quarter'}
        </button>
      </div>
    </form>
  );
}
