import { describe, expect, it } from 'vitest';
import { idCheckChar, makeIdNumber, maskIdNumber, parseIdNumber } from './id-number.ts';

const TODAY = '2026-11-26';

describe('resident ID numbers (GB 11643)', () => {
  it('accepts the standard’s own examples and reads birth date and sex', () => {
    // GB 11643-1999, appendix: 北京朝阳 1949-12-31, female (sequence 002), check character X.
    expect(parseIdNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      value: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
    });
    // 广东汕头 1880-01-01 male: its check character is 4 (born before 1900, so refused as a member's).
    expect(idCheckChar('44052418800101001')).toBe('4');
    expect(parseIdNumber('440524188001010014', TODAY)).toEqual({ ok: false, problem: 'birthDate' });
  });

  it('takes a lower-case x and spaces as typed', () => {
    const r = parseIdNumber(' 110105 19491231 002x ', TODAY);
    expect(r).toMatchObject({ ok: true, value: '11010519491231002X' });
  });

  it('names what is wrong', () => {
    expect(parseIdNumber('110105194912310021', TODAY)).toEqual({ ok: false, problem: 'checksum' });
    expect(parseIdNumber('11010519491231002', TODAY)).toEqual({ ok: false, problem: 'length' });
    expect(parseIdNumber('110105491231002', TODAY)).toEqual({ ok: false, problem: 'legacy15' });
    expect(parseIdNumber('1101051949123100AX', TODAY)).toEqual({ ok: false, problem: 'chars' });
    // 99 is no province.
    const noProvince = `99010519491231002`;
    expect(parseIdNumber(noProvince + idCheckChar(noProvince), TODAY)).toEqual({
      ok: false,
      problem: 'region',
    });
    // 30 February, and a birth date tomorrow.
    const feb30 = '14020219800230001';
    expect(parseIdNumber(feb30 + idCheckChar(feb30), TODAY)).toEqual({ ok: false, problem: 'birthDate' });
    const tomorrow = '14020220261127001';
    expect(parseIdNumber(tomorrow + idCheckChar(tomorrow), TODAY)).toEqual({
      ok: false,
      problem: 'birthDate',
    });
    const today = '14020220261126001';
    expect(parseIdNumber(today + idCheckChar(today), TODAY).ok).toBe(true);
  });

  it('makes valid numbers for invented people, with the sex in the sequence', () => {
    for (let i = 0; i < 50; i++) {
      const sex = i % 2 ? 'male' : 'female';
      const v = makeIdNumber('140202', '1975-03-09', i * 7, sex);
      expect(parseIdNumber(v, TODAY)).toMatchObject({ ok: true, birthDate: '1975-03-09', sex });
    }
  });

  it('masks all but the place and the last four', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
  });
});
