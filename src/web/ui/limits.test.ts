import { describe, expect, it } from 'vitest';
import {
  describeLimits,
  formatLimit,
  isLimitCode,
  limitCode,
  limitPhrase,
  parseLimit,
  unitLabel,
} from './limits.ts';

describe('limits', () => {
  it('reads the compact syntax the contract accepts', () => {
    expect(parseLimit('2wh')).toEqual({ amount: 2, unit: 'wh' });
    expect(parseLimit(' 30m ')).toEqual({ amount: 30, unit: 'm' });
    expect(parseLimit('1wd')).toEqual({ amount: 1, unit: 'wd' });
    expect(parseLimit('24h')).toEqual({ amount: 24, unit: 'h' });
    expect(parseLimit('9999d')).toEqual({ amount: 9999, unit: 'd' });
    expect(parseLimit('90wm')).toEqual({ amount: 90, unit: 'wm' });
    for (const bad of ['', '0d', '07d', '10000d', '2 wh', '2w', 'wh', '1.5h', '2H', '-1d', null, undefined])
      expect(parseLimit(bad), String(bad)).toBeNull();
    expect(isLimitCode('15d')).toBe(true);
    expect(isLimitCode(15)).toBe(false);
    expect(limitCode({ amount: 15, unit: 'wd' })).toBe('15wd');
  });

  it('says a limit in words, as the server does', () => {
    expect(formatLimit('2wh', 'zh-CN')).toBe('2 个工作小时');
    expect(formatLimit('1wd', 'zh-CN')).toBe('1 个工作日');
    expect(formatLimit('7d', 'zh-CN')).toBe('7 天');
    expect(formatLimit('30m', 'zh-CN')).toBe('30 分钟');
    expect(formatLimit('24h', 'zh-CN')).toBe('24 小时');
    expect(formatLimit('90wm', 'zh-CN')).toBe('90 个工作分钟');
    expect(formatLimit('1wd', 'en')).toBe('1 working day');
    expect(formatLimit('2wh', 'en')).toBe('2 working hours');
    expect(formatLimit('1h', 'en')).toBe('1 hour');
    expect(formatLimit('15d', 'en')).toBe('15 days');
    // Shown as it is rather than hidden.
    expect(formatLimit('2x', 'zh-CN')).toBe('2x');
    expect(unitLabel('wd', 'zh-CN')).toBe('工作日');
    expect(unitLabel('wh', 'en')).toBe('working hours');
  });

  it('names each limit and all four together', () => {
    expect(limitPhrase('accept', '2wh', 'zh-CN')).toBe('受理 2 个工作小时');
    expect(limitPhrase('extension', null, 'zh-CN')).toBe('不可延期');
    expect(limitPhrase('extension', '15d', 'en')).toBe('extendable by 15 days');
    expect(describeLimits({ accept: '2wh', checkIn: '1wd', resolve: '7d', extension: '15d' }, 'zh-CN')).toBe(
      '受理 2 个工作小时，报到 1 个工作日，办结 7 天，可延期 15 天',
    );
    expect(describeLimits({ accept: '30m', checkIn: '30m', resolve: '2h', extension: null }, 'en')).toBe(
      'accept within 30 minutes, check in within 30 minutes, resolve within 2 hours, not extendable',
    );
  });
});
