// Messages of a text plus facts as fields: the security alert for the configured channel, and the
// plain notice DM (reminders without buttons, outcomes).
import {
  type Block,
  esc,
  fallback,
  fieldsSection,
  header,
  LIMIT,
  more,
  NAME_MAX,
  SHOWN,
  type SlackPayload,
  section,
} from './kit.js';

/** A security alert for the configured channel. */
export type SecurityAlert = {
  title: string;
  severity: 'high' | 'critical' | 'warning';
  text: string;
  facts?: Record<string, string>;
};

// Facts as fields, ten per section (Slack's limit), at most SHOWN.facts before "…and N more".
function factBlocks(facts: Record<string, string> | undefined): Block[] {
  const entries = Object.entries(facts ?? {});
  const shown = entries.slice(0, SHOWN.facts);
  const blocks: Block[] = [];
  for (let i = 0; i < shown.length; i += LIMIT.fields) {
    const chunk = shown.slice(i, i + LIMIT.fields);
    blocks.push(
      fieldsSection(chunk.map(([key, value]) => [esc(key, NAME_MAX), esc(value, LIMIT.fieldText)])),
    );
  }
  if (entries.length > shown.length) blocks.push(more(entries.length - shown.length, 'facts'));
  return blocks;
}

/** A plain notice DM (reminders without buttons, outcomes): the text as a section, optional facts as fields. */
export function noticeMessage(text: string, facts?: Record<string, string>): SlackPayload {
  return { text: fallback(text), blocks: [section(esc(text)), ...factBlocks(facts)] };
}

const SEVERITY_MARKER: Record<SecurityAlert['severity'], string> = {
  critical: ':rotating_light: CRITICAL',
  high: ':red_circle: HIGH',
  warning: ':warning: WARNING',
};

/** The alert as a message (header with a severity marker, text, facts as fields). */
export function securityAlertMessage(alert: SecurityAlert): SlackPayload {
  return {
    text: fallback(`${alert.severity.toUpperCase()}: ${alert.title}`),
    blocks: [
      header(`${SEVERITY_MARKER[alert.severity]} ${alert.title}`),
      section(esc(alert.text)),
      ...factBlocks(alert.facts),
    ],
  };
}
