/**
 * 分类/派单建议: suggests the responsibility item (and so the handler: community, township or a
 * district department) from the text of a resident's report.
 *
 * Features: the text is normalised (NFKC, so full-width letters, digits and punctuation become
 * half-width; lower case; every number becomes one token; punctuation separates), cut into words
 * by `Intl.Segmenter('zh', { granularity: 'word' })`, and complemented by the character bigrams
 * of each run of Han characters, since the segmenter cuts colloquial text inconsistently
 * ('楼道里' comes out as 楼|道里). Keywords of the list found in the text are features too.
 *
 * Model: multinomial naive Bayes over binary (present/absent) features with a uniform prior,
 * trained on one pseudo-document per item (its name, description and keywords) plus the labelled
 * examples (resolved tickets). It beat TF-IDF nearest centroid and softmax regression on the
 * fixed held-out split and in 10-fold cross-validation (bench/routing-accuracy.ts), trains in a few
 * milliseconds, and its term weights read directly as an explanation.
 *
 * Keyword fallback: with no labelled examples, or when the text has no feature the model has seen,
 * suggestions come from keyword matching on the list (`keywordRouter`); that also gives the
 * baseline the model is measured against. Everything here is deterministic.
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
  /** 0..1. From the model: the posterior probability over all items (the scores of one answer sum
   * to at most 1). From keywords: the share of the matched keyword weight. */
  score: number;
  handlerLevel: HandlerLevel;
  /** A type of geo/department-types.ts when a district department handles the item. */
  departmentType: string | null;
  departmentName: string | null;
  /** Which way the suggestion was made: the learned model, or keyword matching on the list. */
  source: 'model' | 'keywords';
}

export interface TermContribution {
  /** A word, character pair or keyword as it appears in the (normalised) text. */
  term: string;
  /** How much it pulls towards the item, in nats against the average item; always > 0. */
  weight: number;
}

export interface SuggestOptions {
  /** How many suggestions, 3 by default. */
  k?: number;
  /** Where it happened ('和顺小区5号楼', '振兴路与康乐巷交叉口'): counted as weaker evidence. */
  place?: string;
}

export interface Router {
  /** 'model' when trained on labelled examples, 'keywords' for plain keyword matching. */
  readonly kind: 'model' | 'keywords';
  /** Best items first; may be empty (nothing recognisable in the text). Never throws. */
  suggest(text: string, k?: number | SuggestOptions): RoutingSuggestion[];
  /** The terms of the text that speak most for the item, strongest first (for "why this suggestion"). */
  explain(text: string, itemCode: string, n?: number): TermContribution[];
}

export interface TrainOptions {
  /** Additive smoothing of naive Bayes. */
  alpha?: number;
  /** How many labelled examples one item's pseudo-document (name, description, keywords) counts as. */
  pseudoWeight?: number;
  /** Softmax temperature turning log-likelihoods into the 0..1 scores. */
  temperature?: number;
  /** Below this top score the text counts as unclear: keyword hits then reorder the model's top candidates. */
  minConfidence?: number;
  /** Evidence of the place against the text. */
  placeWeight?: number;
  /** Model variant, for the bench's comparison; naive Bayes by default. */
  model?: 'nb' | 'centroid' | 'logreg';
}

const DEFAULTS: Required<TrainOptions> = {
  alpha: 0.1,
  pseudoWeight: 2,
  temperature: 4,
  minConfidence: 0.25,
  placeWeight: 0.5,
  model: 'nb',
};

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
    .replace(/[^\p{L}\p{N}〇]+/gu, ' ')
    .trim();
}

/** The words of Intl.Segmenter (word-like segments only) of a normalised text. */
export function words(normalised: string): string[] {
  const out: string[] = [];
  for (const s of SEGMENTER.segment(normalised)) if (s.isWordLike) out.push(s.segment);
  return out;
}

/** Character pairs inside each run of Han characters (pairs never straddle punctuation). */
export function bigrams(normalised: string): string[] {
  const out: string[] = [];
  for (const m of normalised.matchAll(HAN_RUN)) {
    const run = Array.from(m[0]);
    for (let i = 0; i + 1 < run.length; i++) out.push(`${run[i]}${run[i + 1]}`);
  }
  return out;
}

/** Feature names: 'w:' word, 'b:' bigram, 'k:' keyword of the list. The surface is after the colon. */
function surface(feature: string): string {
  return feature.slice(2);
}

/** Features of a text, each counted once (binary), with the keywords of `keywords` found in it. */
export const GROUP = { w: 1, b: 1, u: 1, k: 1 };
export const FEAT = { words: true, bigrams: true, unigrams: false, keywords: true };
function featureSet(text: string, keywords: readonly string[]): Set<string> {
  const norm = normalise(text);
  const out = new Set<string>();
  if (!norm) return out;
  if (FEAT.words) for (const w of words(norm)) out.add(`w:${w}`);
  if (FEAT.bigrams) for (const b of bigrams(norm)) out.add(`b:${b}`);
  if (FEAT.unigrams) for (const m of norm.matchAll(HAN_RUN)) for (const c of m[0]) out.add(`u:${c}`);
  if (!FEAT.keywords) return out;
  const compact = norm.replaceAll(' ', '');
  for (const k of keywords) if (compact.includes(k)) out.add(`k:${k}`);
  return out;
}

function normalisedKeywords(items: readonly CatalogueItem[]): string[] {
  const all = new Set<string>();
  for (const item of items)
    for (const k of item.keywords) {
      const n = normalise(k).replaceAll(' ', '');
      if (n) all.add(n);
    }
  return [...all].sort();
}

function pseudoDocument(item: CatalogueItem): string {
  return [item.name, item.description, ...item.keywords].join('，');
}

function categoryOf(item: CatalogueItem): string {
  return item.categoryCode ?? item.code.slice(0, item.code.indexOf('-') > 0 ? item.code.indexOf('-') : 3);
}

function toSuggestion(item: CatalogueItem, score: number, source: RoutingSuggestion['source']) {
  return {
    itemCode: item.code,
    itemName: item.name,
    score,
    handlerLevel: item.handlerLevel,
    departmentType: item.departmentType,
    departmentName: item.departmentType ? (departmentTypeName(item.departmentType) ?? null) : null,
    source,
  } satisfies RoutingSuggestion;
}

function suggestArgs(k: number | SuggestOptions | undefined): { k: number; place: string } {
  const o = typeof k === 'object' && k !== null ? k : { k };
  const n = Number.isFinite(o.k) ? Math.max(0, Math.floor(o.k as number)) : 3;
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

/** Indexes by descending score, ties by catalogue order (so the result is deterministic). */
function ranking(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number) || a - b,
  );
}

// Keyword matching -------------------------------------------------------------------------------

/** Per item: how strongly the text's keywords point at it (longer keywords weigh more). */
function keywordScores(text: string, items: readonly CatalogueItem[]): Float64Array {
  const compact = normalise(text).replaceAll(' ', '');
  const scores = new Float64Array(items.length);
  if (!compact) return scores;
  items.forEach((item, i) => {
    let s = 0;
    for (const raw of item.keywords) {
      const k = normalise(raw).replaceAll(' ', '');
      if (k && compact.includes(k)) s += Array.from(k).length;
    }
    scores[i] = s;
  });
  return scores;
}

function keywordSuggest(text: string, items: readonly CatalogueItem[], k: number): RoutingSuggestion[] {
  const scores = keywordScores(text, items);
  let total = 0;
  for (const s of scores) total += s;
  if (total === 0) return [];
  return ranking(scores)
    .filter((i) => (scores[i] as number) > 0)
    .slice(0, k)
    .map((i) => toSuggestion(items[i] as CatalogueItem, (scores[i] as number) / total, 'keywords'));
}

/** The baseline and fallback: items ranked by the keywords of the list that occur in the text. */
export function keywordRouter(items: readonly CatalogueItem[]): Router {
  const byCode = new Map(items.map((item) => [item.code, item]));
  return {
    kind: 'keywords',
    suggest(text, k) {
      const a = suggestArgs(k);
      if (typeof text !== 'string') return [];
      return keywordSuggest(a.place ? `${text} ${a.place}` : text, items, a.k);
    },
    explain(text, itemCode, n = 8) {
      const item = byCode.get(itemCode);
      if (!item || typeof text !== 'string') return [];
      const compact = normalise(text).replaceAll(' ', '');
      const seen = new Set<string>();
      const out: TermContribution[] = [];
      for (const raw of item.keywords) {
        const k = normalise(raw).replaceAll(' ', '');
        if (k && !seen.has(k) && compact.includes(k)) {
          seen.add(k);
          out.push({ term: k, weight: Array.from(k).length });
        }
      }
      return out.sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term)).slice(0, n);
    },
  };
}

// Models -----------------------------------------------------------------------------------------

/** A scorer over the vocabulary: per item, a score of a bag of feature indexes (higher is better). */
interface Model {
  /** Raw scores per item; features weighted by `weights` (1 for the text, placeWeight for the place). */
  score(features: readonly number[], weights: readonly number[]): Float64Array;
  /** Contribution of one feature to one item, against the average item. */
  contribution(feature: number, item: number): number;
}

interface Doc {
  features: number[];
  values: number[];
  item: number;
  weight: number;
}

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
  for (let c = 0; c < nItems; c++) {
    const denominator = Math.log((totals[c] as number) + alpha * nFeatures);
    for (let f = 0; f < nFeatures; f++)
      logp[c * nFeatures + f] = Math.log((counts[c * nFeatures + f] as number) + alpha) - denominator;
  }
  const mean = new Float64Array(nFeatures);
  for (let f = 0; f < nFeatures; f++) {
    let s = 0;
    for (let c = 0; c < nItems; c++) s += logp[c * nFeatures + f] as number;
    mean[f] = s / nItems;
  }
  return {
    score(features, weights) {
      const out = new Float64Array(nItems);
      for (let c = 0; c < nItems; c++) {
        let s = 0;
        for (let j = 0; j < features.length; j++)
          s += (weights[j] as number) * (logp[c * nFeatures + (features[j] as number)] as number);
        out[c] = s;
      }
      return out;
    },
    contribution(f, c) {
      return (logp[c * nFeatures + f] as number) - (mean[f] as number);
    },
  };
}

/** Inverse document frequency over the training documents, smoothed. */
function idfOf(docs: readonly Doc[], nFeatures: number): Float64Array {
  const df = new Float64Array(nFeatures);
  for (const d of docs) for (const f of d.features) df[f] = (df[f] as number) + 1;
  const idf = new Float64Array(nFeatures);
  for (let f = 0; f < nFeatures; f++) idf[f] = Math.log((docs.length + 1) / ((df[f] as number) + 1)) + 1;
  return idf;
}

/** TF-IDF vectors (binary tf), L2-normalised, as parallel index/value arrays. */
function tfidf(features: readonly number[], weights: readonly number[], idf: Float64Array) {
  const values = features.map((f, j) => (weights[j] as number) * (idf[f] as number));
  const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0)) || 1;
  return values.map((v) => v / norm);
}

export const KNN = { gamma: 0, beta: 0 };
function nearestCentroid(docs: readonly Doc[], nItems: number, nFeatures: number): Model {
  const idf = idfOf(docs, nFeatures);
  const centroids = new Float64Array(nItems * nFeatures);
  if (KNN.beta > 0) {
    const pseudo = new Float64Array(nItems * nFeatures);
    const ex = new Float64Array(nItems * nFeatures);
    for (const d of docs) {
      const v = tfidf(d.features, d.values, idf);
      const target = d.weight === 1 ? ex : pseudo;
      d.features.forEach((f, j) => {
        target[d.item * nFeatures + f] = (target[d.item * nFeatures + f] as number) + (v[j] as number);
      });
    }
    for (const m of [pseudo, ex])
      for (let c = 0; c < nItems; c++) {
        let s = 0;
        for (let f = 0; f < nFeatures; f++) s += (m[c * nFeatures + f] as number) ** 2;
        const norm = Math.sqrt(s) || 1;
        for (let f = 0; f < nFeatures; f++) m[c * nFeatures + f] = (m[c * nFeatures + f] as number) / norm;
      }
    for (let at = 0; at < centroids.length; at++) centroids[at] = (pseudo[at] as number) + KNN.beta * (ex[at] as number);
  } else
  for (const d of docs) {
    const v = tfidf(
      d.features,
      d.values,
      idf,
    );
    d.features.forEach((f, j) => {
      centroids[d.item * nFeatures + f] =
        (centroids[d.item * nFeatures + f] as number) + d.weight * (v[j] as number);
    });
  }
  for (let c = 0; c < nItems; c++) {
    let s = 0;
    for (let f = 0; f < nFeatures; f++) s += (centroids[c * nFeatures + f] as number) ** 2;
    const norm = Math.sqrt(s) || 1;
    for (let f = 0; f < nFeatures; f++)
      centroids[c * nFeatures + f] = (centroids[c * nFeatures + f] as number) / norm;
  }
  const examples = docs
    .filter((d) => d.weight === 1)
    .map((d) => ({ item: d.item, v: new Map(d.features.map((f, j) => [f, tfidf(d.features, d.values, idf)[j] as number])) }));
  return {
    score(features, weights) {
      const v = tfidf(features, weights, idf);
      const out = new Float64Array(nItems);
      for (let c = 0; c < nItems; c++) {
        let s = 0;
        for (let j = 0; j < features.length; j++)
          s += (v[j] as number) * (centroids[c * nFeatures + (features[j] as number)] as number);
        out[c] = s;
      }
      if (KNN.gamma > 0) {
        const best = new Float64Array(nItems);
        for (const e of examples) {
          let s = 0;
          features.forEach((f, j) => {
            s += (v[j] as number) * (e.v.get(f) ?? 0);
          });
          if (s > (best[e.item] as number)) best[e.item] = s;
        }
        for (let c = 0; c < nItems; c++) out[c] = (out[c] as number) + KNN.gamma * (best[c] as number);
      }
      return out;
    },
    contribution(f, c) {
      return (centroids[c * nFeatures + f] as number) * (idf[f] as number);
    },
  };
}

export const LR = { lambda: 1e-4, rate: 2, epochs: 300 };
/** Softmax regression on TF-IDF vectors: full-batch gradient descent with momentum, L2 penalty. */
function logisticRegression(docs: readonly Doc[], nItems: number, nFeatures: number): Model {
  const idf = idfOf(docs, nFeatures);
  const xs = docs.map((d) =>
    tfidf(
      d.features,
      d.values,
      idf,
    ),
  );
  const w = new Float64Array(nItems * nFeatures);
  const velocity = new Float64Array(nItems * nFeatures);
  const grad = new Float64Array(nItems * nFeatures);
  const lambda = LR.lambda;
  const rate = LR.rate;
  const momentum = 0.9;
  let totalWeight = 0;
  for (const d of docs) totalWeight += d.weight;
  const z = new Float64Array(nItems);
  for (let epoch = 0; epoch < LR.epochs; epoch++) {
    grad.fill(0);
    docs.forEach((d, i) => {
      const x = xs[i] as number[];
      for (let c = 0; c < nItems; c++) {
        let s = 0;
        for (let j = 0; j < d.features.length; j++)
          s += (x[j] as number) * (w[c * nFeatures + (d.features[j] as number)] as number);
        z[c] = s;
      }
      const p = softmax(z, 1);
      for (let c = 0; c < nItems; c++) {
        const g = (((p[c] as number) - (c === d.item ? 1 : 0)) * d.weight) / totalWeight;
        if (g === 0) continue;
        for (let j = 0; j < d.features.length; j++) {
          const at = c * nFeatures + (d.features[j] as number);
          grad[at] = (grad[at] as number) + g * (x[j] as number);
        }
      }
    });
    for (let at = 0; at < w.length; at++) {
      const v =
        momentum * (velocity[at] as number) - rate * ((grad[at] as number) + lambda * (w[at] as number));
      velocity[at] = v;
      w[at] = (w[at] as number) + v;
    }
  }
  const mean = new Float64Array(nFeatures);
  for (let f = 0; f < nFeatures; f++) {
    let s = 0;
    for (let c = 0; c < nItems; c++) s += w[c * nFeatures + f] as number;
    mean[f] = s / nItems;
  }
  return {
    score(features, weights) {
      const v = tfidf(features, weights, idf);
      const out = new Float64Array(nItems);
      for (let c = 0; c < nItems; c++) {
        let s = 0;
        for (let j = 0; j < features.length; j++)
          s += (v[j] as number) * (w[c * nFeatures + (features[j] as number)] as number);
        out[c] = s;
      }
      return out;
    },
    contribution(f, c) {
      return ((w[c * nFeatures + f] as number) - (mean[f] as number)) * (idf[f] as number);
    },
  };
}

// Training ---------------------------------------------------------------------------------------

/**
 * Learns a router from labelled examples (resolved tickets) and the list's items. Examples naming
 * an item not in `items` are ignored. With no usable example the keyword router is returned.
 */
export function trainRouter(
  examples: readonly LabelledExample[],
  items: readonly CatalogueItem[],
  options: TrainOptions = {},
): Router {
  const o = { ...DEFAULTS, ...options };
  const fallback = keywordRouter(items);
  const itemIndex = new Map(items.map((item, i) => [item.code, i]));
  const usable = examples.filter(
    (e) => typeof e?.text === 'string' && itemIndex.has(e.itemCode) && normalise(e.text) !== '',
  );
  if (usable.length === 0 || items.length === 0) return fallback;

  const keywords = normalisedKeywords(items);
  const vocabulary = new Map<string, number>();
  const names: string[] = [];
  const index = (set: Set<string>, grow: boolean) => {
    const features: number[] = [];
    const values: number[] = [];
    for (const f of [...set].sort()) {
      let i = vocabulary.get(f);
      if (i === undefined && grow) {
        i = names.length;
        vocabulary.set(f, i);
        names.push(f);
      }
      if (i !== undefined) {
        features.push(i);
        values.push(GROUP[f[0] as keyof typeof GROUP] ?? 1);
      }
    }
    return { features, values };
  };
  const docs: Doc[] = [];
  items.forEach((item, i) => {
    docs.push({
      ...index(featureSet(pseudoDocument(item), keywords), true),
      item: i,
      weight: o.pseudoWeight,
    });
  });
  for (const e of usable)
    docs.push({
      ...index(featureSet(e.text, keywords), true),
      item: itemIndex.get(e.itemCode) as number,
      weight: 1,
    });

  const model =
    o.model === 'centroid'
      ? nearestCentroid(docs, items.length, names.length)
      : o.model === 'logreg'
        ? logisticRegression(docs, items.length, names.length)
        : naiveBayes(docs, items.length, names.length, o.alpha);
  // Cosine and regression scores live on a smaller scale than log-likelihoods.
  const temperature = o.model === 'nb' ? o.temperature : o.temperature / 40;

  /** Known features of the text (weight 1) and of the place (placeWeight), text winning on overlap. */
  const encode = (text: string, place: string) => {
    const own = index(featureSet(text, keywords), false);
    if (!place) return { features: own.features, weights: own.values };
    const features = own.features.slice();
    const weights = own.values.slice();
    const there = index(featureSet(place, keywords), false);
    there.features.forEach((f, j) => {
      if (own.features.includes(f)) return;
      features.push(f);
      weights.push(o.placeWeight * (there.values[j] as number));
    });
    return { features, weights };
  };

  return {
    kind: 'model',
    suggest(text, k) {
      const a = suggestArgs(k);
      if (typeof text !== 'string' || a.k === 0) return [];
      const { features, weights } = encode(text, a.place);
      // Nothing the model has seen: its answer would be the prior. Keywords may still know a word.
      if (features.length === 0) return fallback.suggest(text, a);
      const p = softmax(model.score(features, weights), temperature);
      let order = ranking(p);
      // Low confidence: among the model's leading candidates, those the list's keywords name go first.
      if ((p[order[0] as number] as number) < o.minConfidence) {
        const kw = keywordScores(a.place ? `${text} ${a.place}` : text, items);
        const head = order.slice(0, Math.max(a.k, 5));
        const named = head.filter((i) => (kw[i] as number) > 0);
        if (named.length > 0) {
          named.sort(
            (x, y) => (kw[y] as number) - (kw[x] as number) || (p[y] as number) - (p[x] as number) || x - y,
          );
          order = named.concat(order.filter((i) => !named.includes(i)));
        }
      }
      return order.slice(0, a.k).map((i) => toSuggestion(items[i] as CatalogueItem, p[i] as number, 'model'));
    },
    explain(text, itemCode, n = 8) {
      const c = itemIndex.get(itemCode);
      if (c === undefined || typeof text !== 'string') return [];
      const { features } = encode(text, '');
      // Word, pair and keyword of the same surface add up: the tooltip shows the surface once.
      const bySurface = new Map<string, number>();
      for (const f of features) {
        const term = surface(names[f] as string);
        bySurface.set(term, (bySurface.get(term) ?? 0) + model.contribution(f, c));
      }
      return [...bySurface]
        .filter(([term, weight]) => weight > 0 && term !== NUMBER)
        .map(([term, weight]) => ({ term, weight }))
        .sort((x, y) => y.weight - x.weight || x.term.localeCompare(y.term))
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
  return h >>> 0;
}

/** The fold of an example in 10-fold cross-validation: its text's hash mod 10. */
export function foldOf(text: string): number {
  return textHash(text) % 10;
}

/** The fixed split: folds 0-3 (about 40 %) are held out, the rest trains. */
export function splitHeldOut<T extends LabelledExample>(
  examples: readonly T[],
): { train: T[]; heldOut: T[] } {
  const train: T[] = [];
  const heldOut: T[] = [];
  for (const e of examples) (foldOf(e.text) < 4 ? heldOut : train).push(e);
  return { train, heldOut };
}

export interface Evaluation {
  n: number;
  /** Share of texts whose first suggestion is the labelled item. */
  top1: number;
  /** Share of texts whose labelled item is among the first three suggestions. */
  top3: number;
  /** Share whose first suggestion is in the right category. */
  category: number;
  /** Share whose first suggestion goes to the right handler (same level and department type). */
  handler: number;
  /** Share with no suggestion at all. */
  empty: number;
  perCategory: { categoryCode: string; n: number; top1: number; top3: number }[];
  /** Labelled item → first suggestion, most frequent first. */
  confusions: { expected: string; predicted: string; count: number }[];
}

/** One text's outcome, kept so that folds can be pooled before computing shares. */
export interface Outcome {
  expected: string;
  suggested: string[];
}

export function outcomes(router: Router, examples: readonly LabelledExample[]): Outcome[] {
  return examples.map((e) => ({
    expected: e.itemCode,
    suggested: router.suggest(e.text, 3).map((s) => s.itemCode),
  }));
}

export function evaluateOutcomes(results: readonly Outcome[], items: readonly CatalogueItem[]): Evaluation {
  const byCode = new Map(items.map((item) => [item.code, item]));
  const handler = (code: string | undefined) => {
    const item = code === undefined ? undefined : byCode.get(code);
    return item ? `${item.handlerLevel}/${item.departmentType ?? ''}` : '?';
  };
  const category = (code: string | undefined) => {
    const item = code === undefined ? undefined : byCode.get(code);
    return item ? categoryOf(item) : '?';
  };
  const share = (count: number, n: number) => (n === 0 ? 0 : count / n);
  let top1 = 0;
  let top3 = 0;
  let sameCategory = 0;
  let sameHandler = 0;
  let empty = 0;
  const perCategory = new Map<string, { n: number; top1: number; top3: number }>();
  const confusions = new Map<string, number>();
  for (const r of results) {
    const first = r.suggested[0];
    const hit1 = first === r.expected;
    const hit3 = r.suggested.slice(0, 3).includes(r.expected);
    if (hit1) top1++;
    if (hit3) top3++;
    if (first === undefined) empty++;
    if (first !== undefined && category(first) === category(r.expected)) sameCategory++;
    if (first !== undefined && handler(first) === handler(r.expected)) sameHandler++;
    const cat = category(r.expected);
    const pc = perCategory.get(cat) ?? { n: 0, top1: 0, top3: 0 };
    pc.n++;
    if (hit1) pc.top1++;
    if (hit3) pc.top3++;
    perCategory.set(cat, pc);
    if (!hit1) {
      const key = `${r.expected}→${first ?? '(none)'}`;
      confusions.set(key, (confusions.get(key) ?? 0) + 1);
    }
  }
  const n = results.length;
  return {
    n,
    top1: share(top1, n),
    top3: share(top3, n),
    category: share(sameCategory, n),
    handler: share(sameHandler, n),
    empty: share(empty, n),
    perCategory: [...perCategory]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([categoryCode, c]) => ({
        categoryCode,
        n: c.n,
        top1: share(c.top1, c.n),
        top3: share(c.top3, c.n),
      })),
    confusions: [...confusions]
      .map(([key, count]) => {
        const [expected = '', predicted = ''] = key.split('→');
        return { expected, predicted, count };
      })
      .sort(
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

/** 10-fold cross-validation on the hash folds: every example is held out once; outcomes pooled. */
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
let similarityDocs = 0;

/** Sets the texts whose document frequencies weigh terms in similarity() (e.g. recent tickets). */
export function setSimilarityCorpus(texts: readonly string[]): void {
  const df = new Map<string, number>();
  for (const t of texts) for (const f of featureSet(t, [])) df.set(f, (df.get(f) ?? 0) + 1);
  similarityDocs = texts.length;
  similarityIdf = new Map([...df].map(([f, n]) => [f, Math.log((texts.length + 1) / (n + 1)) + 1]));
}

function similarityVector(text: string): Map<string, number> {
  // By default, document frequencies from the list's pseudo-documents and the labelled tickets,
  // so that words every report has ('小区', '门口') count little.
  if (!similarityIdf)
    setSimilarityCorpus([
      ...RESPONSIBILITY_ITEMS.map(pseudoDocument),
      ...LABELLED_TICKETS.map((t) => t.text),
    ]);
  const idf = similarityIdf;
  const unseen = Math.log(similarityDocs + 1) + 1;
  const v = new Map<string, number>();
  for (const f of featureSet(text, [])) {
    // A shared number ('3号楼' and '5号楼' both have one) says nothing about the matter.
    if (f === `w:${NUMBER}`) continue;
    v.set(f, idf ? (idf.get(f) ?? unseen) : 1);
  }
  return v;
}

/**
 * How alike two reports are, 0..1: cosine of their word-and-bigram TF-IDF vectors, for spotting
 * duplicates. The same matter described differently scores above two different matters; the same
 * place alone is weak evidence (its words are frequent).
 */
export function similarity(a: string, b: string): number {
  if (typeof a !== 'string' || typeof b !== 'string') return 0;
  const va = similarityVector(a);
  const vb = similarityVector(b);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [f, x] of va) {
    na += x * x;
    const y = vb.get(f);
    if (y !== undefined) dot += x * y;
  }
  for (const y of vb.values()) nb += y * y;
  if (na === 0 || nb === 0) return 0;
  return Math.min(1, dot / Math.sqrt(na * nb));
}
