// Small charts of our own, in SVG: a line chart (one or more series over time) and a bar chart.
// Colours and strokes come from styles.css classes (the CSP forbids inline styles, which chart
// libraries inject); every chart has an accessible title and description, and the same numbers as
// a table for screen readers and anyone who would rather read them.
import { type ReactNode, useId } from 'react';

const WIDTH = 640;
const HEIGHT = 240;
const MARGIN = { top: 12, right: 16, bottom: 34, left: 44 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
const Y_TICKS = 4;

/** One line: its name (the legend and the table's column) and its points. */
export type Series = { name: string; points: { x: number; y: number }[] };

/** One bar: its label under it and its value. */
export type Bar = { label: string; value: number; className?: string };

/**
 * A y axis from zero to a round number at or above `max`, whose ticks are whole numbers when the
 * values are (counts of items read badly as "3.8").
 */
function axisTop(values: number[]): number {
  const max = Math.max(0, ...values);
  if (values.every(Number.isInteger)) return niceMax(Math.max(1, Math.ceil(max / Y_TICKS))) * Y_TICKS;
  return niceMax(max);
}

function niceMax(max: number): number {
  if (max <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  for (const factor of [1, 2, 2.5, 5, 10]) {
    if (factor * step >= max) return factor * step;
  }
  return 10 * step;
}

function yTicks(top: number): number[] {
  return Array.from({ length: Y_TICKS + 1 }, (_, i) => (top / Y_TICKS) * i);
}

function formatTick(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function YAxis({ top, label }: { top: number; label: string }) {
  return (
    <g className="y-axis">
      {yTicks(top).map((tick) => {
        const y = MARGIN.top + PLOT_H - (tick / top) * PLOT_H;
        return (
          <g key={tick}>
            <line className="grid" x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y} y2={y} />
            <text x={MARGIN.left - 6} y={y + 3} textAnchor="end">
              {formatTick(tick)}
            </text>
          </g>
        );
      })}
      <text
        className="axis-label"
        transform={`translate(12 ${MARGIN.top + PLOT_H / 2}) rotate(-90)`}
        textAnchor="middle"
      >
        {label}
      </text>
    </g>
  );
}

/** The frame every chart shares: figure, caption, labelled SVG and the table behind the drawing. */
function ChartFrame({
  title,
  description,
  top,
  valueLabel,
  marks,
  table,
  legend,
}: {
  title: string;
  description: string;
  /** The y axis' top value, and what it counts. */
  top: number;
  valueLabel: string;
  /** What the chart draws over its axes: lines, bars, x labels. */
  marks: ReactNode;
  table: ReactNode;
  legend?: ReactNode;
}) {
  const id = useId();
  const ids = { title: `${id}-title`, desc: `${id}-desc` };
  return (
    <figure className="chart">
      <figcaption className="chart-title">{title}</figcaption>
      {legend}
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={ids.title}
        aria-describedby={ids.desc}
      >
        <title id={ids.title}>{title}</title>
        <YAxis top={top} label={valueLabel} />
        <line
          className="axis"
          x1={MARGIN.left}
          x2={WIDTH - MARGIN.right}
          y1={MARGIN.top + PLOT_H}
          y2={MARGIN.top + PLOT_H}
        />
        {marks}
      </svg>
      <details className="chart-data">
        <summary>Show the numbers</summary>
        {table}
      </details>
      <p className="visually-hidden" id={ids.desc}>
        {description}
      </p>
    </figure>
  );
}

/**
 * A line chart of one or more series over a numeric x (epoch milliseconds for time); `formatX`
 * writes an x for the axis and the table.
 */
export function LineChart({
  title,
  description,
  series,
  yLabel,
  formatX,
}: {
  title: string;
  description: string;
  series: Series[];
  yLabel: string;
  formatX: (x: number) => string;
}) {
  const xs = series.flatMap((line) => line.points.map((point) => point.x));
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const top = axisTop(series.flatMap((line) => line.points.map((point) => point.y)));
  const spanX = maxX - minX || 1;
  const px = (x: number) => MARGIN.left + ((x - minX) / spanX) * PLOT_W;
  const py = (y: number) => MARGIN.top + PLOT_H - (y / top) * PLOT_H;
  const xTicks = xs.length === 0 ? [] : [...new Set([minX, minX + spanX / 2, maxX])];
  const rows = [...new Set(xs)].sort((a, b) => a - b);
  return (
    <ChartFrame
      title={title}
      description={description}
      legend={
        series.length > 1 ? (
          <ul className="chart-legend" aria-hidden="true">
            {series.map((line, index) => (
              <li key={line.name} className={`series-${index}`}>
                {line.name}
              </li>
            ))}
          </ul>
        ) : undefined
      }
      top={top}
      valueLabel={yLabel}
      marks={
        <>
          <g>
            {xTicks.map((tick, index) => (
              <text
                key={tick}
                x={px(tick)}
                y={HEIGHT - 12}
                textAnchor={index === 0 ? 'start' : index === xTicks.length - 1 ? 'end' : 'middle'}
              >
                {formatX(tick)}
              </text>
            ))}
          </g>
          {series.map((line, index) => (
            <g key={line.name} className={`series-${index}`}>
              <polyline
                className="line"
                points={line.points.map((point) => `${px(point.x)},${py(point.y)}`).join(' ')}
              />
              {line.points.map((point) => (
                <circle key={point.x} className="dot" cx={px(point.x)} cy={py(point.y)} r={3} />
              ))}
            </g>
          ))}
        </>
      }
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              {series.map((line) => (
                <th scope="col" key={line.name}>
                  {line.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((x) => (
              <tr key={x}>
                <th scope="row">{formatX(x)}</th>
                {series.map((line) => (
                  <td key={line.name}>{line.points.find((point) => point.x === x)?.y ?? '—'}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

/** A bar chart: one bar per label, heights from zero. */
export function BarChart({
  title,
  description,
  bars,
  valueLabel,
}: {
  title: string;
  description: string;
  bars: Bar[];
  valueLabel: string;
}) {
  const top = axisTop(bars.map((bar) => bar.value));
  const slot = PLOT_W / Math.max(1, bars.length);
  const barWidth = Math.min(56, slot * 0.7);
  return (
    <ChartFrame
      title={title}
      description={description}
      top={top}
      valueLabel={valueLabel}
      marks={
        <>
          {bars.map((bar, index) => {
            const height = (bar.value / top) * PLOT_H;
            const x = MARGIN.left + slot * index + (slot - barWidth) / 2;
            return (
              <g key={bar.label}>
                <rect
                  className={`bar ${bar.className ?? ''}`}
                  x={x}
                  y={MARGIN.top + PLOT_H - height}
                  width={barWidth}
                  height={height}
                />
                <text x={x + barWidth / 2} y={MARGIN.top + PLOT_H - height - 4} textAnchor="middle">
                  {bar.value}
                </text>
                <text x={x + barWidth / 2} y={HEIGHT - 12} textAnchor="middle">
                  {bar.label}
                </text>
              </g>
            );
          })}
        </>
      }
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">{valueLabel}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((bar) => (
              <tr key={bar.label}>
                <th scope="row">{bar.label}</th>
                <td>{bar.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}
