import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../core/errors.js';
import { parseDuration } from '../../../directory/file-fields.js';
import { formatDuration } from '../../../domain/index.js';

describe('parseDuration', () => {
  it.each([
    ['45s', 45],
    ['30m', 1800],
    ['4h', 14_400],
    ['2d', 172_800],
    ['1w', 604_800],
    ['1h30m', 5400],
    ['1d12h', 129_600],
    [' 8h ', 28_800],
  ])('reads %j as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '0', '8', 'h', '4 h', '1.5h', '-1h', '4H', '4hours', 'P1D', '1h 30m', '1y'])(
    'refuses %j and says how to write a duration',
    (text) => {
      expect(() => parseDuration(text)).toThrow(ValidationError);
      expect(() => parseDuration(text)).toThrow(
        `invalid duration "${text}": must be a duration: a whole number and a unit (s, m, h, d or w)`,
      );
    },
  );

  it.each(['0s', '0m', '0h0m'])('refuses the zero duration %j', (text) => {
    expect(() => parseDuration(text)).toThrow(`invalid duration "${text}": must be longer than zero`);
  });

  it('refuses durations the database cannot store', () => {
    expect(parseDuration('3550w')).toBe(3550 * 604_800);
    expect(() => parseDuration('3551w')).toThrow(/must be at most/);
  });
});

describe('formatDuration', () => {
  it.each([
    [45, '45s'],
    [1800, '30m'],
    [14_400, '4h'],
    [5400, '1h30m'],
    [604_800, '1w'],
    [691_200, '1w1d'],
  ])('writes %i seconds as %j', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
    expect(parseDuration(text)).toBe(seconds);
  });
});
