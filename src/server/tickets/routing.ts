/**
 * 分类/派单建议: suggests the responsibility item, and so the handler (the community, the township
 * or a district department), from the text of a resident's report.
 *
 * Features. The text is normalised (NFKC, so full-width letters, digits and punctuation become
 * half-width; lower case; every number becomes one token '〇'; punctuation separates), cut into
 * words by `Intl.Segmenter('zh', { granularity: 'word' })`, and complemented by the characters and
 * character pairs of each run of Han characters, because the segmenter cuts colloquial text
 * inconsistently ('楼道里' comes out as 楼|道里, '直梯' and '电梯' share only 梯). Keywords of the
 * list found in the text are features too. Each feature counts once per text (binary).
 *
 * Model. TF-IDF nearest centroid: an item's centroid is its pseudo-document (name, description and
 * keywords, weighted as `pseudoWeight` reports) plus the labelled examples of the item (resolved
 * tickets), each L2-normalised; a text scores the cosine with every centroid, and a softmax with a
 * temperature fitted on cross-validation (mean top score ≈ accuracy) turns cosines into 0..1
 * scores. It beat multinomial naive Bayes by ~10 points and matched softmax regression at a
 * hundredth of its training time (bench/routing-accuracy.ts). Its weights also read as an
 * explanation: the share of the cosine each term brings.
 *
 * Keyword fallback. With no labelled example, when the text has no feature the model has seen, or
 * when the top score is below `minConfidence` (0.08: on cross-validation the model's first
 * suggestion is right about one time in five below it, and most such texts are not reports at
 * all: '测试', '你好'), suggestions come from keyword matching on the list (`keywordRouter`),
 * which is also the baseline. It often finds nothing; the answer is then empty and the operator
 * picks. Keyword matching was never better than the model, at any confidence, so the fallback is
 * there for texts the model cannot place, not to correct it. Everything here is deterministic.
 */
import { departmentTypeName } from '../geo/department-types.ts';
import { RESPONSIBILITY_ITEMS } from './catalogue.ts';
import { LABELLED_TICKETS } from './labelled-tickets.ts';
import type { HandlerLevel } from './tables.ts';

// Types ------------------------------------------------------------------------------------------

/** What routing needs of a responsibility item: catalogue.ts items and item rows both fit. */
export interface CatalogueItem {
  code: string;
  /** Defaults to the code's prefix ('C07' of 'C07-08'). */
  categoryCode?: string;
  name: string;
  description: string;
  handlerLevel: HandlerLevel;
  departmentType: string | null;
  keywords: readonly string[];
}

/** A report whose item is known: a resolved ticket, or a labelled test text. */
export interface LabelledExample {
  text: string;
  itemCode: string;
}

export interface RoutingSuggestion {
  itemCode: string;
  itemName: string;
  /**
   * 0..1, higher is better. From the model: the probability of the item (over all items, so the
   * scores of one answer sum to at most 1). From keywords: the item's share of the matched keywords.
   */
  score: number;
  handlerLevel: HandlerLevel;
  /** A type of geo/department-types.ts when a district department handles the item, else null. */
  departmentType: string | null;
  /** Its name without the county prefix ('城市管理局'). */
  departmentName: string | null;
  /** Which way the suggestion was made: the learned model, or keyword matching on the list. */
  source: 'model' | 'keywords';
}

export interface TermContribution {
  /** A word, character pair, character or keyword of the (normalised) text. */
  term: string;
  /** How much it speaks for the item above the average item; always > 0. */
  weight: number;
}

export interface SuggestOptions {
  /** How many suggestions; 3 by default. */
  k?: number;
  /** Where it happened ('和顺小区5号楼', '振兴路与康乐巷交叉口'): weaker evidence than the text. */
  place?: string;
}

export interface Router {
  /** 'model' when trained on labelled examples, 'keywords' for plain keyword matching. */
  readonly kind: 'model' | 'keywords';
  /** Best items first; empty when nothing in the text is recognised. Never throws. */
  suggest(text: string, k?: number | SuggestOptions): RoutingSuggestion[];
  /** The terms of the text that speak most for the item, strongest first ("why this suggestion"). */
  explain(text: string, itemCode: string, n?: number): TermContribution[];
}

export interface TrainOptions {
  /** 'centroid' (the default) or 'naiveBayes' (kept for the bench's comparison). */
  model?: 'centroid' | 'naiveBayes';
  /** How many labelled reports an item's pseudo-document (name, description, keywords) counts as. */
  pseudoWeight?: number;
  /** Softmax temperature turning raw scores into 0..1 scores; by default fitted per model. */
  temperature?: number;
  /** Below this top score the model's answer is a guess: keyword matching answers instead. */
  minConfidence?: number;
  /** Weight of the place's terms against the text's. */
  placeWeight?: number;
  /** Additive smoothing (naive Bayes only). */
  alpha?: number;
}

/**
 * Per model, chosen on the labelled tickets (bench/routing-accuracy.ts): how many reports the
 * pseudo-document counts as (both models do best when the list's own words dominate and examples
 * add to them), and the temperature that makes the mean top score match the accuracy.
 */
const MODEL_DEFAULTS = {
  centroid: { pseudoWeight: 12, temperature: 0.02, alpha: 0 },
  naiveBayes: { pseudoWeight: 32, temperature: 8, alpha: 0.3 },
} as const;

const DEFAULTS = { minConfidence: 0.08, placeWeight: 0.5 } as const;

// Text -------------------------------------------------------------------------------------------

const SEGMENTER = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN_RUN = /\p{Script=Han}+/gu;
/** Stands for any number: '3号楼' and '12号楼' both become '〇号楼'. */
const NUMBER = '〇';

/** NFKC (full-width to half-width), lower case, numbers to one token, punctuation to spaces. */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\p{Nd}+(?:[.,]\p{Nd}+)*/gu, NUMBER)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The words of Intl.Segmenter (word-like segments only) of a normalised text. */
export function words(normalised: string): string[] {
  const out: string[] = [];
  for (const s of SEGMENTER.segment(normalised)) if (s.isWordLike) out.push(s.segment);
  return out;
}

/** Character pairs inside each run of Han characters (never across punctuation or latin). */
export function bigrams(normalised: string): string[] {
  const out: string[] = [];
  for (const m of normalised.matchAll(HAN_RUN)) {
    const run = Array.from(m[0]);
    for (let i = 0; i + 1 < run.length; i++) out.push(`${run[i]}${run[i + 1]}`);
  }
  return out;
}

/** A normalised text without its spaces, for substring matches of keywords. */
function compact(text: string): string {
  return normalise(text).replaceAll(' ', '');
}

/**
 * Features of a text, each once: 'w:' segmenter words, 'b:' character pairs, 'u:' Han characters,
 * 'k:' keywords of the list found in the text. What follows the colon is the term as in the text.
 */
function featureSet(text: string, keywords: readonly string[]): Set<string> {
  const norm = normalise(text);
  const out = new Set<string>();
  if (!norm) return out;
  for (const w of words(norm)) out.add(`w:${w}`);
  for (const b of bigrams(norm)) out.add(`b:${b}`);
  for (const m of norm.matchAll(HAN_RUN)) for (const c of m[0]) out.add(`u:${c}`);
  const flat = norm.replaceAll(' ', '');
  for (const k of keywords) if (flat.includes(k)) out.add(`k:${k}`);
  return out;
}

function pseudoDocument(item: CatalogueItem): string {
  return [item.name, item.description, ...item.keywords].join('，');
}

function categoryOf(item: CatalogueItem): string {
  const dash = item.code.indexOf('-');
  return item.categoryCode ?? (dash > 0 ? item.code.slice(0, dash) : item.code);
}

function toSuggestion(
  item: CatalogueItem,
  score: number,
  source: RoutingSuggestion['source'],
): RoutingSuggestion {
  return {
    itemCode: item.code,
    itemName: item.name,
    score,
    handlerLevel: item.handlerLevel,
    departmentType: item.departmentType,
    departmentName: item.departmentType ? (departmentTypeName(item.departmentType) ?? null) : null,
    source,
  };
}

function suggestArgs(k: number | SuggestOptions | undefined): { k: number; place: string } {
  const o: SuggestOptions = typeof k === 'object' && k !== null ? k : { k };
  const n = typeof o.k === 'number' && Number.isFinite(o.k) ? Math.max(0, Math.floor(o.k)) : 3;
  return { k: n, place: typeof o.place === 'string' ? o.place : '' };
}

function softmax(scores: Float64Array, temperature: number): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const s of scores) if (s > max) max = s;
  const out = new Float64Array(scores.length);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const e = Math.exp(((scores[i] as number) - max) / temperature);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / sum;
  return out;
}

/** Indexes by descending score, ties in catalogue order (so the answer is deterministic). */
function ranking(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number) || a - b,
  );
}

// Keyword matching -------------------------------------------------------------------------------

/** Each item's keywords, normalised like texts, without spaces. */
function itemKeywords(items: readonly CatalogueItem[]): string[][] {
  return items.map((item) => [...new Set(item.keywords.map(compact).filter(Boolean))]);
}

/** Per item: the keywords of the item found in the text, longer keywords weighing more. */
function keywordScores(text: string, keywords: readonly string[][]): Float64Array {
  const flat = compact(text);
  const scores = new Float64Array(keywords.length);
  if (!flat) return scores;
  keywords.forEach((list, i) => {
    let s = 0;
    for (const k of list) if (flat.includes(k)) s += Array.from(k).length;
    scores[i] = s;
  });
  return scores;
}

/** The baseline and the fallback: items ranked by the keywords of the list found in the text. */
export function keywordRouter(items: readonly CatalogueItem[]): Router {
  const keywords = itemKeywords(items);
  const byCode = new Map(items.map((item, i) => [item.code, i]));
  return {
    kind: 'keywords',
    suggest(text, k) {
      const a = suggestArgs(k);
      if (typeof text !== 'string' || a.k === 0) return [];
      const scores = keywordScores(a.place ? `${text} ${a.place}` : text, keywords);
      let total = 0;
      for (const s of scores) total += s;
      if (total === 0) return [];
      return ranking(scores)
        .filter((i) => (scores[i] as number) > 0)
        .slice(0, a.k)
        .map((i) => toSuggestion(items[i] as CatalogueItem, (scores[i] as number) / total, 'keywords'));
    },
    explain(text, itemCode, n = 8) {
      const i = byCode.get(itemCode);
      if (i === undefined || typeof text !== 'string') return [];
      const flat = compact(text);
      return (keywords[i] as string[])
        .filter((k) => flat.includes(k))
        .map((term) => ({ term, weight: Array.from(term).length }))
        .sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term))
        .slice(0, n);
    },
  };
}

// Models -----------------------------------------------------------------------------------------

/** A text (or document) as sorted feature indexes with their values. */
interface Vector {
  features: number[];
  values: number[];
}

interface Doc extends Vector {
  item: number;
  weight: number;
}

interface Model {
  /** Raw scores per item, higher is better. */
  score(x: Vector): Float64Array;
  /** Per feature of x: its part in the item's score above the average item's. */
  contributions(x: Vector, item: number): number[];
}

/** Smoothed inverse document frequency over the training documents. */
function idfOf(docs: readonly Doc[], nFeatures: number): Float64Array {
  const df = new Float64Array(nFeatures);
  for (const d of docs) for (const f of d.features) df[f] = (df[f] as number) + 1;
  const idf = new Float64Array(nFeatures);
  for (let f = 0; f < nFeatures; f++) idf[f] = Math.log((docs.length + 1) / ((df[f] as number) + 1)) + 1;
  return idf;
}

/** TF-IDF values of a vector, L2-normalised. */
function tfidf(x: Vector, idf: Float64Array): number[] {
  const values = x.features.map((f, j) => (x.values[j] as number) * (idf[f] as number));
  const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0)) || 1;
  return values.map((v) => v / norm);
}

/**
 * Centroids are kept as postings (feature → items and weights): memory grows with what the
 * documents contain, not with items × vocabulary, so tens of thousands of resolved tickets fit.
 */
function nearestCentroid(docs: readonly Doc[], nItems: number, nFeatures: number): Model {
  const idf = idfOf(docs, nFeatures);
  const centroids = Array.from({ length: nItems }, () => new Map<number, number>());
  for (const d of docs) {
    const v = tfidf(d, idf);
    const c = centroids[d.item] as Map<number, number>;
    d.features.forEach((f, j) => {
      c.set(f, (c.get(f) ?? 0) + d.weight * (v[j] as number));
    });
  }
  const postings = Array.from({ length: nFeatures }, () => ({
    items: [] as number[],
    weights: [] as number[],
  }));
  const mean = new Float64Array(nFeatures);
  centroids.forEach((c, item) => {
    let s = 0;
    for (const w of c.values()) s += w * w;
    const norm = Math.sqrt(s) || 1;
    for (const [f, w] of [...c].sort(([a], [b]) => a - b)) {
      const p = postings[f] as { items: number[]; weights: number[] };
      p.items.push(item);
      p.weights.push(w / norm);
      mean[f] = (mean[f] as number) + w / norm / nItems;
    }
  });
  const weightOf = (f: number, item: number) => {
    const p = postings[f] as { items: number[]; weights: number[] };
    const at = p.items.indexOf(item);
    return at < 0 ? 0 : (p.weights[at] as number);
  };
  return {
    score(x) {
      const v = tfidf(x, idf);
      const out = new Float64Array(nItems);
      x.features.forEach((f, j) => {
        const p = postings[f] as { items: number[]; weights: number[] };
        for (let i = 0; i < p.items.length; i++) {
          const item = p.items[i] as number;
          out[item] = (out[item] as number) + (v[j] as number) * (p.weights[i] as number);
        }
      });
      return out;
    },
    contributions(x, c) {
      const v = tfidf(x, idf);
      return x.features.map((f, j) => (v[j] as number) * (weightOf(f, c) - (mean[f] as number)));
    },
  };
}

/** Multinomial naive Bayes over binary features, uniform prior, additive smoothing. */
function naiveBayes(docs: readonly Doc[], nItems: number, nFeatures: number, alpha: number): Model {
  const counts = new Float64Array(nItems * nFeatures);
  const totals = new Float64Array(nItems);
  for (const d of docs)
    d.features.forEach((f, j) => {
      const v = d.weight * (d.values[j] as number);
      counts[d.item * nFeatures + f] = (counts[d.item * nFeatures + f] as number) + v;
      totals[d.item] = (totals[d.item] as number) + v;
    });
  const logp = new Float64Array(nItems * nFeatures);
  const mean = new Float64Array(nFeatures);
  for (let c = 0; c < nItems; c++) {
    const denominator = Math.log((totals[c] as number) + alpha * nFeatures);
    for (let f = 0; f < nFeatures; f++) {
      const l = Math.log((counts[c * nFeatures + f] as number) + alpha) - denominator;
      logp[c * nFeatures + f] = l;
      mean[f] = (mean[f] as number) + l / nItems;
    }
  }
  return {
    score(x) {
      const out = new Float64Array(nItems);
      for (let c = 0; c < nItems; c++) {
        let s = 0;
        x.features.forEach((f, j) => {
          s += (x.values[j] as number) * (logp[c * nFeatures + f] as number);
        });
        out[c] = s;
      }
      return out;
    },
    contributions(x, c) {
      return x.features.map(
        (f, j) => (x.values[j] as number) * ((logp[c * nFeatures + f] as number) - (mean[f] as number)),
      );
    },
  };
}

// Training ---------------------------------------------------------------------------------------

/**
 * Learns a router from labelled examples (resolved tickets: their text and the item they were
 * handled under) and the list's items. Examples of an item not in `items`, or with no text, are
 * ignored; with no usable example the keyword router is returned.
 */
export function trainRouter(
  examples: readonly LabelledExample[],
  items: readonly CatalogueItem[],
  options: TrainOptions = {},
): Router {
  const kind = options.model ?? 'centroid';
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o: Required<Omit<TrainOptions, 'model'>> = { ...DEFAULTS, ...MODEL_DEFAULTS[kind], ...given };
  const fallback = keywordRouter(items);
  const itemIndex = new Map(items.map((item, i) => [item.code, i]));
  const usable = examples.filter(
    (e) => typeof e?.text === 'string' && itemIndex.has(e.itemCode) && normalise(e.text) !== '',
  );
  if (usable.length === 0) return fallback;

  const keywords = [...new Set(items.flatMap((item) => item.keywords.map(compact)).filter(Boolean))].sort();
  const vocabulary = new Map<string, number>();
  const names: string[] = [];
  const vector = (text: string, grow: boolean, value = 1): Vector => {
    const features: number[] = [];
    for (const name of [...featureSet(text, keywords)].sort()) {
      let f = vocabulary.get(name);
      if (f === undefined && grow) {
        f = names.length;
        vocabulary.set(name, f);
        names.push(name);
      }
      if (f !== undefined) features.push(f);
    }
    return { features, values: features.map(() => value) };
  };
  const docs: Doc[] = items.map((item, i) => ({
    ...vector(pseudoDocument(item), true),
    item: i,
    weight: o.pseudoWeight,
  }));
  for (const e of usable)
    docs.push({ ...vector(e.text, true), item: itemIndex.get(e.itemCode) as number, weight: 1 });

  const model =
    kind === 'naiveBayes'
      ? naiveBayes(docs, items.length, names.length, o.alpha)
      : nearestCentroid(docs, items.length, names.length);

  /** The text's known features, and the place's (at placeWeight) that the text lacks. */
  const encode = (text: string, place: string): Vector => {
    const x = vector(text, false);
    if (!place) return x;
    const there = vector(place, false, o.placeWeight);
    there.features.forEach((f, j) => {
      if (x.features.includes(f)) return;
      x.features.push(f);
      x.values.push(there.values[j] as number);
    });
    return x;
  };

  return {
    kind: 'model',
    suggest(text, k) {
      const a = suggestArgs(k);
      if (typeof text !== 'string' || a.k === 0) return [];
      const x = encode(text, a.place);
      // Nothing the model has seen: its answer would be arbitrary. Keywords may still know a word.
      if (x.features.length === 0) return fallback.suggest(text, a);
      const p = softmax(model.score(x), o.temperature);
      const order = ranking(p);
      if ((p[order[0] as number] as number) < o.minConfidence) return fallback.suggest(text, a);
      return order.slice(0, a.k).map((i) => toSuggestion(items[i] as CatalogueItem, p[i] as number, 'model'));
    },
    explain(text, itemCode, n = 8) {
      const c = itemIndex.get(itemCode);
      if (c === undefined || typeof text !== 'string') return [];
      const x = encode(text, '');
      const parts = model.contributions(x, c);
      // The same surface as word, pair and keyword adds up.
      const bySurface = new Map<string, number>();
      x.features.forEach((f, j) => {
        const term = (names[f] as string).slice(2);
        if (term !== NUMBER) bySurface.set(term, (bySurface.get(term) ?? 0) + (parts[j] as number));
      });
      // A term inside a longer one shown ('楼' in '楼道') adds to it rather than repeat it.
      const kept: TermContribution[] = [];
      const longestFirst = [...bySurface].sort(
        ([a, x1], [b, x2]) => Array.from(b).length - Array.from(a).length || x2 - x1 || a.localeCompare(b),
      );
      for (const [term, weight] of longestFirst) {
        if (weight <= 0) continue;
        const host = kept.find((t) => t.term.includes(term));
        if (host) host.weight += weight;
        else kept.push({ term, weight });
      }
      // Terms far weaker than the strongest ('的', '到') are noise in a tooltip.
      const strongest = kept.reduce((m, t) => Math.max(m, t.weight), 0);
      return kept
        .filter((t) => t.weight >= strongest / 10)
        .sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term))
        .slice(0, n);
    },
  };
}

// Evaluation -------------------------------------------------------------------------------------

/** FNV-1a over the UTF-16 code units: a stable hash, the same on every machine. */
export function textHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The fold of a text in the 10-fold cross-validation: its hash mod 10. */
export function foldOf(text: string): number {
  return textHash(text) % 10;
}

/** The fixed split: folds 0-5 (about 60 %, at least 200 of the labelled reports) are held out, the others train. */
export function splitHeldOut<T extends LabelledExample>(
  examples: readonly T[],
): { train: T[]; heldOut: T[] } {
  const train: T[] = [];
  const heldOut: T[] = [];
  for (const e of examples) (foldOf(e.text) < 6 ? heldOut : train).push(e);
  return { train, heldOut };
}

/** One text's outcome; folds pool these before shares are computed. */
export interface Outcome {
  expected: string;
  suggested: string[];
  source: RoutingSuggestion['source'] | null;
}

export interface Evaluation {
  n: number;
  /** Share of texts whose first suggestion is the labelled item. */
  top1: number;
  /** Share whose labelled item is among the first three suggestions. */
  top3: number;
  /** Share whose first suggestion is in the labelled item's category. */
  category: number;
  /** Share whose first suggestion goes to the right handler (same level and department type). */
  handler: number;
  /** Share answered by keyword matching rather than the model (fallback, or the baseline itself). */
  keywords: number;
  /** Share with no suggestion at all. */
  empty: number;
  perCategory: { categoryCode: string; n: number; top1: number; top3: number }[];
  /** Labelled item → first suggestion ('' when none), most frequent first. */
  confusions: { expected: string; predicted: string; count: number }[];
}

export function outcomes(router: Router, examples: readonly LabelledExample[]): Outcome[] {
  return examples.map((e) => {
    const s = router.suggest(e.text, 3);
    return { expected: e.itemCode, suggested: s.map((x) => x.itemCode), source: s[0]?.source ?? null };
  });
}

export function evaluateOutcomes(results: readonly Outcome[], items: readonly CatalogueItem[]): Evaluation {
  const byCode = new Map(items.map((item) => [item.code, item]));
  const handler = (code: string | undefined) => {
    const item = code === undefined ? undefined : byCode.get(code);
    return item ? `${item.handlerLevel}/${item.departmentType ?? ''}` : undefined;
  };
  const category = (code: string | undefined) => {
    const item = code === undefined ? undefined : byCode.get(code);
    return item ? categoryOf(item) : undefined;
  };
  const share = (count: number, n: number) => (n === 0 ? 0 : count / n);
  const t = { top1: 0, top3: 0, category: 0, handler: 0, keywords: 0, empty: 0 };
  const perCategory = new Map<string, { n: number; top1: number; top3: number }>();
  const confusions = new Map<string, { expected: string; predicted: string; count: number }>();
  for (const r of results) {
    const first = r.suggested[0];
    const hit1 = first === r.expected;
    const hit3 = r.suggested.slice(0, 3).includes(r.expected);
    if (hit1) t.top1++;
    if (hit3) t.top3++;
    if (first === undefined) t.empty++;
    if (r.source === 'keywords') t.keywords++;
    if (first !== undefined && category(first) === category(r.expected)) t.category++;
    if (first !== undefined && handler(first) === handler(r.expected)) t.handler++;
    const cat = category(r.expected) ?? '?';
    const pc = perCategory.get(cat) ?? { n: 0, top1: 0, top3: 0 };
    pc.n++;
    if (hit1) pc.top1++;
    if (hit3) pc.top3++;
    perCategory.set(cat, pc);
    if (!hit1) {
      const key = `${r.expected} ${first ?? ''}`;
      const c = confusions.get(key) ?? { expected: r.expected, predicted: first ?? '', count: 0 };
      c.count++;
      confusions.set(key, c);
    }
  }
  const n = results.length;
  return {
    n,
    top1: share(t.top1, n),
    top3: share(t.top3, n),
    category: share(t.category, n),
    handler: share(t.handler, n),
    keywords: share(t.keywords, n),
    empty: share(t.empty, n),
    perCategory: [...perCategory]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([categoryCode, c]) => ({
        categoryCode,
        n: c.n,
        top1: share(c.top1, c.n),
        top3: share(c.top3, c.n),
      })),
    confusions: [...confusions.values()].sort(
      (a, b) =>
        b.count - a.count || a.expected.localeCompare(b.expected) || a.predicted.localeCompare(b.predicted),
    ),
  };
}

export function evaluate(
  router: Router,
  examples: readonly LabelledExample[],
  items: readonly CatalogueItem[],
): Evaluation {
  return evaluateOutcomes(outcomes(router, examples), items);
}

/** 10-fold cross-validation on the hash folds: every example is held out once, outcomes pooled. */
export function crossValidate(
  examples: readonly LabelledExample[],
  items: readonly CatalogueItem[],
  train: (examples: readonly LabelledExample[], items: readonly CatalogueItem[]) => Router = trainRouter,
): Evaluation {
  const pooled: Outcome[] = [];
  for (let fold = 0; fold < 10; fold++) {
    const test = examples.filter((e) => foldOf(e.text) === fold);
    if (test.length === 0) continue;
    const router = train(
      examples.filter((e) => foldOf(e.text) !== fold),
      items,
    );
    pooled.push(...outcomes(router, test));
  }
  return evaluateOutcomes(pooled, items);
}

// Similarity -------------------------------------------------------------------------------------

let similarityIdf: Map<string, number> | undefined;
let similarityUnseen = 1;

/**
 * Sets the texts whose document frequencies weigh terms in similarity() (recent tickets, say).
 * By default: the list's pseudo-documents and the labelled tickets.
 */
export function setSimilarityCorpus(texts: readonly string[]): void {
  const df = new Map<string, number>();
  for (const t of texts) for (const f of featureSet(t, [])) df.set(f, (df.get(f) ?? 0) + 1);
  similarityUnseen = Math.log(texts.length + 1) + 1;
  similarityIdf = new Map([...df].map(([f, n]) => [f, Math.log((texts.length + 1) / (n + 1)) + 1]));
}

function similarityVector(text: string): Map<string, number> {
  if (!similarityIdf)
    setSimilarityCorpus([
      ...RESPONSIBILITY_ITEMS.map(pseudoDocument),
      ...LABELLED_TICKETS.map((t) => t.text),
    ]);
  const idf = similarityIdf as Map<string, number>;
  const v = new Map<string, number>();
  for (const f of featureSet(text, [])) {
    // Sharing a number ('3号楼', '5号楼') says nothing about the matter.
    if (f.slice(2) === NUMBER) continue;
    v.set(f, idf.get(f) ?? similarityUnseen);
  }
  return v;
}

/** Routes texts for similarity(): trained on the built-in list and labelled tickets, on first use. */
let topicRouter: Router | undefined;

/** The text's distribution over items (the model's probabilities, or keyword shares). */
function topics(text: string): Map<string, number> {
  topicRouter ??= trainRouter(LABELLED_TICKETS, RESPONSIBILITY_ITEMS, {
    minConfidence: 0,
    // A little softer than routing's, so that neighbouring items (电梯故障, 电梯困人) share mass.
    temperature: 0.03,
  });
  return new Map(topicRouter.suggest(text, RESPONSIBILITY_ITEMS.length).map((s) => [s.itemCode, s.score]));
}

function cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [f, x] of a) {
    na += x * x;
    const y = b.get(f);
    if (y !== undefined) dot += x * y;
  }
  for (const y of b.values()) nb += y * y;
  if (na === 0 || nb === 0) return 0;
  return Math.min(1, dot / Math.sqrt(na * nb));
}

/**
 * How alike two reports are, 0..1, for spotting duplicates: the mean of the cosine of their TF-IDF
 * vectors (words, character pairs, characters) and the cosine of their distributions over the
 * list's items. The wording alone is fooled by a shared place ('小区北门外面的…'); the items keep
 * the same matter described differently above different matters at the same place.
 */
export function similarity(a: string, b: string): number {
  if (typeof a !== 'string' || typeof b !== 'string') return 0;
  const lexical = cosine(similarityVector(a), similarityVector(b));
  if (lexical === 0) return 0;
  return (lexical + cosine(topics(a), topics(b))) / 2;
}
