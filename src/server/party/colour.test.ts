import { describe, expect, it } from 'vitest';
import { DEFAULT_COLOUR_SCHEME } from '../../contracts/party-states.ts';
import { ageOn, suggestColour, yearsBefore } from './colour.ts';

const TODAY = '2026-11-26';
const m = (
  over: Partial<{ ledger: 'direct' | 'retired' | 'inService' | 'mobile'; frail: boolean; birthDate: string }>,
) => ({
  ledger: 'direct' as const,
  frail: false,
  birthDate: '1970-01-01',
  ...over,
});

describe('five colours (浑源 scheme by default)', () => {
  it('suggests by priority: mobile, frail, 80 and over, in service, everyone else', () => {
    const s = (x: Parameters<typeof m>[0]) => suggestColour(DEFAULT_COLOUR_SCHEME, m(x), TODAY);
    expect(s({ ledger: 'mobile', frail: true, birthDate: '1930-01-01' })).toBe('green');
    expect(s({ frail: true, birthDate: '1930-01-01' })).toBe('blue');
    expect(s({ ledger: 'inService', birthDate: '1930-01-01' })).toBe('purple');
    expect(s({ ledger: 'inService' })).toBe('red');
    expect(s({ ledger: 'retired' })).toBe('orange');
  });

  it('counts age in whole years: 80 on the birthday, not the day before', () => {
    expect(ageOn('1946-11-26', TODAY)).toBe(80);
    expect(ageOn('1946-11-27', TODAY)).toBe(79);
    expect(suggestColour(DEFAULT_COLOUR_SCHEME, m({ birthDate: '1946-11-26' }), TODAY)).toBe('purple');
    expect(suggestColour(DEFAULT_COLOUR_SCHEME, m({ birthDate: '1946-11-27' }), TODAY)).toBe('orange');
    expect(yearsBefore(TODAY, 80)).toBe('1946-11-26');
    expect(yearsBefore('2028-02-29', 80)).toBe('1948-02-29');
    expect(yearsBefore('2028-02-29', 81)).toBe('1947-02-28');
  });
});
