import { describe, expect, it } from 'vitest';
import type { PlaceCompound } from '../../api/index.ts';
import { workerGridIds } from '../../ui/roles.ts';
import { byDistance, matchPlaces, nearestWithin } from './places.ts';

const place = (id: number, name: string, at: { lat: number; lng: number } | null, address = '') =>
  ({
    id,
    name,
    communityCode: '140213066004',
    regionLabel: '平城区 水泊寺街道 文兴社区',
    address,
    lat: at?.lat ?? null,
    lng: at?.lng ?? null,
  }) satisfies PlaceCompound;

// About 1.1 km apart north–south.
const lvdi = place(1, '绿地璀璨天城小区', { lat: 40.0945, lng: 113.2741 }, '民生大街250号');
const north = place(2, '文兴北苑', { lat: 40.1045, lng: 113.2741 });
const unknown = place(3, '文兴老院', null);

describe('places offered to a patrol report', () => {
  it('lists the nearest first, places without a location last', () => {
    expect(byDistance([unknown, north, lvdi], { lat: 40.0946, lng: 113.2741 }).map((p) => p.id)).toEqual([
      1, 2, 3,
    ]);
    expect(byDistance([unknown, lvdi, north], { lat: 40.105, lng: 113.2741 }).map((p) => p.id)).toEqual([
      2, 1, 3,
    ]);
  });

  it('names a compound only when one is close enough', () => {
    expect(nearestWithin([lvdi, north], { lat: 40.0947, lng: 113.2742 })?.id).toBe(1);
    expect(nearestWithin([lvdi, north], { lat: 40.2, lng: 113.5 })).toBeNull();
    expect(nearestWithin([unknown], { lat: 40.0947, lng: 113.2742 })).toBeNull();
  });

  it('filters by every word typed, in name, address or region', () => {
    expect(matchPlaces([lvdi, north, unknown], '老院').map((p) => p.id)).toEqual([3]);
    expect(matchPlaces([lvdi, north, unknown], '水泊寺').map((p) => p.id)).toEqual([1, 2, 3]);
    expect(matchPlaces([lvdi, north, unknown], ' 民生 250 ').map((p) => p.id)).toEqual([1]);
    expect(matchPlaces([lvdi, north, unknown], '').map((p) => p.id)).toEqual([1, 2, 3]);
    expect(matchPlaces([lvdi, north], '不存在')).toEqual([]);
  });

  it('takes the grids from a worker’s gridWorker grants only, each once', () => {
    expect(
      workerGridIds([
        { role: 'gridWorker', nodeKind: 'grid', nodeRef: '903' },
        { role: 'gridWorker', nodeKind: 'grid', nodeRef: '903' },
        { role: 'gridWorker', nodeKind: 'grid', nodeRef: '17' },
        { role: 'resident', nodeKind: 'compound', nodeRef: '659' },
        { role: 'gridWorker', nodeKind: 'grid', nodeRef: 'x' },
      ]),
    ).toEqual([903, 17]);
  });
});
