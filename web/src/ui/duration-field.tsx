// A duration input: a number and a unit, bounded by a maximum the field states.
import { useId } from 'react';
import { DURATION_UNITS, type DurationUnit, formatDuration } from './duration';

/** A duration chosen as `amount` × `unit`; the caller keeps both and computes the seconds. */
export function DurationField(props: {
  label: string;
  amount: number;
  unit: DurationUnit;
  maxSeconds?: number;
  onChange: (amount: number, unit: DurationUnit) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={`${id}-amount`}>{props.label}</label>
      <div className="inline-fields">
        <input
          id={`${id}-amount`}
          type="number"
          min={1}
          step={1}
          required
          value={props.amount}
          aria-describedby={props.maxSeconds ? `${id}-hint` : undefined}
          onChange={(event) => props.onChange(Number(event.target.value), props.unit)}
        />
        <select
          aria-label={`${props.label}: unit`}
          value={props.unit}
          onChange={(event) => props.onChange(props.amount, event.target.value as DurationUnit)}
        >
          {DURATION_UNITS.map(({ unit }) => (
            <option key={unit} value={unit}>
              {unit}
            </option>
          ))}
        </select>
      </div>
      {props.maxSeconds !== undefined && (
        <span id={`${id}-hint`} className="hint">
          At most {formatDuration(props.maxSeconds)}.
        </span>
      )}
    </div>
  );
}
