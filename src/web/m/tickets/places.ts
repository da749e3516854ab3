import type { CompoundView, PlaceCompound } from '../../api/index.ts';

/** Where a report is about, and helpers for the places a reporter is offered first. */

export type Coords = { lat: number; lng: number };

/** A photo taken (or a phone located) this close to a compound suggests the report is about it. */
export const NEAR_METRES = 1500;

export function metresBetween(a: Coords, b: Coords): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/** A compound as the report form names a place. */
export function toPlace(c: CompoundView): PlaceCompound {
  return {
    id: c.id,
    name: c.name,
    communityCode: c.communityCode,
    regionLabel: c.regionLabel,
    address: c.address,
    lat: c.lat,
    lng: c.lng,
  };
}

const located = (p: PlaceCompound): Coords | null =>
  p.lat !== null && p.lng !== null ? { lat: p.lat, lng: p.lng } : null;

/** The places nearest to `at` first (places without a location last, in their order). */
export function byDistance(places: readonly PlaceCompound[], at: Coords): PlaceCompound[] {
  const d = (p: PlaceCompound) => {
    const c = located(p);
    return c ? metresBetween(at, c) : Number.POSITIVE_INFINITY;
  };
  return places
    .map((p, i) => ({ p, i, d: d(p) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((x) => x.p);
}

/** The nearest of `places` to `at`, if one is within NEAR_METRES. */
export function nearestWithin(places: readonly PlaceCompound[], at: Coords): PlaceCompound | null {
  const [first] = byDistance(places, at);
  const c = first && located(first);
  return first && c && metresBetween(at, c) <= NEAR_METRES ? first : null;
}

/** Places whose name, address or region contain the words typed (all of them, any order). */
export function matchPlaces(places: readonly PlaceCompound[], query: string): PlaceCompound[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...places];
  return places.filter((p) => {
    const text = `${p.name} ${p.address ?? ''} ${p.regionLabel}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
