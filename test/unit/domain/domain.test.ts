import { describe, expect, it } from 'vitest';
import {
  canListAccess,
  connectorKindOf,
  durationWords,
  formatDuration,
  parseDuration,
  RISK_LEVELS,
  riskAtMost,
} from '../../../domain/index.js';

describe('durations', () => {
  it('writes the file notation with weeks, and messages without', () => {
    expect(formatDuration(604_800)).toBe('1w');
    expect(formatDuration(604_800, { weeks: false })).toBe('7d');
    expect(formatDuration(5_400, { weeks: false })).toBe('1h30m');
    expect(formatDuration(0)).toBe('0s');
  });

  it('reads what it writes', () => {
    for (const seconds of [45, 1_800, 5_400, 86_400, 694_800]) {
      expect(parseDuration(formatDuration(seconds))).toBe(seconds);
    }
    expect(() => parseDuration('8')).toThrow(RangeError);
    expect(() => parseDuration('0h')).toThrow('must be longer than zero');
  });

  it('says a choice in words', () => {
    expect([3_600, 28_800, 259_200, 5_400].map(durationWords)).toEqual([
      '1 hour',
      '8 hours',
      '3 days',
      '90 minutes',
    ]);
  });
});

describe('risk and connector kinds', () => {
  it('orders risk from low to critical', () => {
    expect(RISK_LEVELS).toEqual(['low', 'medium', 'high', 'critical']);
    expect(riskAtMost('medium', 'high')).toBe(true);
    expect(riskAtMost('critical', 'high')).toBe(false);
    expect(riskAtMost('high', 'high')).toBe(true);
  });

  it('treats an unknown connector kind as manual', () => {
    expect(connectorKindOf('postgres')).toBe('postgres');
    expect(connectorKindOf('ldap')).toBe('ldap');
    expect(connectorKindOf('ftp')).toBe('manual');
  });

  it('lists access for SQL, LDAP and SCIM targets, and for a webhook only with list: true', () => {
    for (const kind of ['postgres', 'mysql', 'ldap', 'scim'])
      expect(canListAccess({ kind }), kind).toBe(true);
    expect(canListAccess({ kind: 'webhook' })).toBe(false);
    expect(canListAccess({ kind: 'webhook', list: false })).toBe(false);
    expect(canListAccess({ kind: 'webhook', list: 'yes' })).toBe(false);
    expect(canListAccess({ kind: 'webhook', list: true })).toBe(true);
    expect(canListAccess({ kind: 'manual', list: true })).toBe(false);
  });
});
