/**
 * `npm run bench:routing`: how well routing suggests the responsibility item, measured on the
 * labelled reports of src/server/tickets/labelled-tickets.ts. Prints tables and writes
 * bench/results/routing-<date>.json.
 *
 * Two measures, both deterministic: the fixed split (text hash mod 10 < 4 held out, ~40 %), and,
 * because that holds out fewer than 200 texts, 10-fold cross-validation on the same hash folds
 * (every text held out once, results pooled). Accuracy figures are exact; timings depend on the
 * machine and its load (printed).
 */
import fs from 'node:fs';
import os from 'node:os';
import { RESPONSIBILITY_CATEGORIES, RESPONSIBILITY_ITEMS } from '../src/server/tickets/catalogue.ts';
import { LABELLED_TICKETS } from '../src/server/tickets/labelled-tickets.ts';
import {
  crossValidate,
  type Evaluation,
  evaluate,
  keywordRouter,
  type LabelledExample,
  type Router,
  splitHeldOut,
  type TrainOptions,
  textHash,
  trainRouter,
} from '../src/server/tickets/routing.ts';

const started = new Date();
const items = RESPONSIBILITY_ITEMS;
const { train, heldOut } = splitHeldOut(LABELLED_TICKETS);
const itemName = new Map(items.map((i) => [i.code, i.name]));
const categoryName = new Map(RESPONSIBILITY_CATEGORIES.map((c) => [c.code, c.name]));

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;

/** Prints rows under a header; `align` has one letter per column, 'l' or 'r' (default: 'l' then 'r's). */
function table(head: string[], rows: (string | number)[][], align = `l${'r'.repeat(head.length - 1)}`): void {
  const cells = [head, ...rows.map((r) => r.map(String))];
  // CJK characters take two columns.
  const width = (s: string) =>
    [...s].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/u.test(ch) ? 2 : 1), 0);
  const widths = head.map((_, i) => Math.max(...cells.map((r) => width(r[i] ?? ''))));
  const pad = (c: string, i: number) => {
    const fill = ' '.repeat((widths[i] ?? 0) - width(c));
    return align[i] === 'l' ? c + fill : fill + c;
  };
  const line = (r: string[]) => r.map(pad).join('  ').trimEnd();
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}

/** Median wall time of `runs` calls. */
function time<T>(runs: number, f: () => T): { ms: number; value: T } {
  const times: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] as number, value };
}

// Methods ----------------------------------------------------------------------------------------

interface Method {
  name: string;
  note: string;
  train: (examples: readonly LabelledExample[]) => Router;
}

const withOptions = (options: TrainOptions) => (examples: readonly LabelledExample[]) =>
  trainRouter(examples, items, options);

const METHODS: Method[] = [
  {
    name: 'keywords (baseline)',
    note: 'keyword matching on the list; nothing learned',
    train: () => keywordRouter(items),
  },
  {
    name: 'naive Bayes',
    note: 'multinomial NB, binary features, alpha 0.3, pseudo-document = 32 reports; no fallback',
    train: withOptions({ model: 'naiveBayes', minConfidence: 0 }),
  },
  {
    name: 'centroid, list only',
    note: 'TF-IDF centroid of the pseudo-documents alone (examples weigh ~0): what the list knows',
    train: withOptions({ pseudoWeight: 1e6, minConfidence: 0 }),
  },
  {
    name: 'centroid',
    note: 'TF-IDF nearest centroid, pseudo-document = 12 reports; no fallback',
    train: withOptions({ minConfidence: 0 }),
  },
  {
    name: 'centroid + fallback (shipped)',
    note: 'trainRouter defaults: keywords answer below a top score of 0.08',
    train: withOptions({}),
  },
];

interface MethodResult {
  name: string;
  note: string;
  heldOut: Evaluation;
  crossValidation: Evaluation;
  trainMs: number;
  suggestMicros: number;
}

const results: MethodResult[] = METHODS.map((m) => {
  const trained = time(5, () => m.train(train));
  const router = trained.value;
  const t0 = performance.now();
  for (const e of heldOut) router.suggest(e.text, 3);
  const suggestMicros = ((performance.now() - t0) * 1000) / heldOut.length;
  return {
    name: m.name,
    note: m.note,
    heldOut: evaluate(router, heldOut, items),
    crossValidation: crossValidate(LABELLED_TICKETS, items, (examples) => m.train(examples)),
    trainMs: trained.ms,
    suggestMicros,
  };
});
const shipped = results.at(-1) as MethodResult;
const baseline = results[0] as MethodResult;

console.log(`routing accuracy — ${started.toISOString()}`);
console.log(
  `node ${process.version}, ICU ${process.versions.icu}, segmenter locale ${new Intl.Segmenter('zh', { granularity: 'word' }).resolvedOptions().locale}, ` +
    `${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
);
console.log(
  `${items.length} items, ${LABELLED_TICKETS.length} labelled reports: fixed split trains on ${train.length} and holds out ${heldOut.length} ` +
    `(10-fold cross-validation over all ${LABELLED_TICKETS.length} is reported too)\n`,
);

table(
  ['method', 'held-out top-1', 'top-3', 'handler', 'CV top-1', 'top-3', 'handler', 'train', 'suggest'],
  results.map((r) => [
    r.name,
    pct(r.heldOut.top1),
    pct(r.heldOut.top3),
    pct(r.heldOut.handler),
    pct(r.crossValidation.top1),
    pct(r.crossValidation.top3),
    pct(r.crossValidation.handler),
    ms(r.trainMs),
    `${r.suggestMicros.toFixed(0)} µs`,
  ]),
);
console.log(
  '\nhandler: the first suggestion goes to the right handler (same level and department type) even when the item differs.',
);
for (const r of results) console.log(`  ${r.name}: ${r.note}`);
console.log(
  `\nshipped router on cross-validation: ${pct(shipped.crossValidation.keywords)} answered by keywords, ${pct(shipped.crossValidation.empty)} left empty ` +
    `(baseline: ${pct(baseline.crossValidation.empty)} empty); category right ${pct(shipped.crossValidation.category)}.`,
);
console.log(
  `margin over the baseline: held-out top-1 +${pct(shipped.heldOut.top1 - baseline.heldOut.top1)}, top-3 +${pct(shipped.heldOut.top3 - baseline.heldOut.top3)}; ` +
    `CV top-1 +${pct(shipped.crossValidation.top1 - baseline.crossValidation.top1)}, top-3 +${pct(shipped.crossValidation.top3 - baseline.crossValidation.top3)}`,
);

// Per category -----------------------------------------------------------------------------------

console.log('\nper category (shipped router; baseline in brackets)');
table(
  ['category', 'n held-out', 'top-1', 'top-3', 'n CV', 'CV top-1', 'CV top-3'],
  shipped.crossValidation.perCategory.map((c) => {
    const h = shipped.heldOut.perCategory.find((x) => x.categoryCode === c.categoryCode);
    const b = baseline.crossValidation.perCategory.find((x) => x.categoryCode === c.categoryCode);
    return [
      `${c.categoryCode} ${categoryName.get(c.categoryCode) ?? ''}`,
      h?.n ?? 0,
      h ? pct(h.top1) : '-',
      h ? pct(h.top3) : '-',
      c.n,
      `${pct(c.top1)} (${b ? pct(b.top1) : '-'})`,
      `${pct(c.top3)} (${b ? pct(b.top3) : '-'})`,
    ];
  }),
);

// Confusions -------------------------------------------------------------------------------------

console.log('\nmost frequent confusions (shipped router, cross-validation: labelled → first suggestion)');
table(
  ['count', 'labelled item', 'suggested instead'],
  shipped.crossValidation.confusions
    .slice(0, 12)
    .map((c) => [
      c.count,
      `${c.expected} ${itemName.get(c.expected) ?? ''}`,
      c.predicted ? `${c.predicted} ${itemName.get(c.predicted) ?? ''}` : '(nothing)',
    ]),
  'rll',
);

// Learning curve ---------------------------------------------------------------------------------

/** Training examples in a fixed pseudo-random order (by a second hash), so prefixes are samples. */
const shuffled = [...train].sort((a, b) => textHash(`~${a.text}`) - textHash(`~${b.text}`));
const curve = [0, 0.25, 0.5, 0.75, 1].map((share) => {
  const n = Math.round(shuffled.length * share);
  const router = trainRouter(shuffled.slice(0, n), items);
  return { examples: n, kind: router.kind, ...evaluate(router, heldOut, items) };
});
console.log('\nlearning curve (shipped router on the fixed held-out set; 0 examples = keyword fallback)');
table(
  ['training examples', 'router', 'top-1', 'top-3'],
  curve.map((c) => [c.examples, c.kind, pct(c.top1), pct(c.top3)]),
  'rlrr',
);

// Scale ------------------------------------------------------------------------------------------

/** The labelled reports with varied places prepended, as many as a city's resolved tickets. */
const PLACES = [
  '和顺小区',
  '向阳街',
  '康宁苑',
  '振兴路',
  '锦华家园',
  '东关村',
  '福瑞新村',
  '育才路',
  '北辰花园',
  '泰和路',
];
const many: LabelledExample[] = [];
for (let i = 0; many.length < 20_000; i++)
  for (const e of LABELLED_TICKETS) {
    if (many.length >= 20_000) break;
    many.push({ text: `${PLACES[i % PLACES.length]}${i}号楼${e.text}`, itemCode: e.itemCode });
  }
const allTime = time(5, () => trainRouter(LABELLED_TICKETS, items));
const scaleTime = time(1, () => trainRouter(many, items));
const cvTime = time(1, () => crossValidate(LABELLED_TICKETS, items));
console.log(
  `\ntraining time (median of 5): ${ms(shipped.trainMs)} on ${train.length} examples, ${ms(allTime.ms)} on all ${LABELLED_TICKETS.length}; ` +
    `${ms(scaleTime.ms)} on ${many.length} (synthetic); 10-fold cross-validation ${ms(cvTime.ms)}; ` +
    `suggest ${shipped.suggestMicros.toFixed(0)} µs per text.`,
);

// Results file -----------------------------------------------------------------------------------

const strip = (e: Evaluation) => ({ ...e, confusions: e.confusions.slice(0, 30) });
const file = new URL(`./results/routing-${started.toISOString().slice(0, 10)}.json`, import.meta.url);
fs.mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
fs.writeFileSync(
  file,
  `${JSON.stringify(
    {
      at: started.toISOString(),
      node: process.version,
      icu: process.versions.icu,
      cpus: os.cpus().length,
      load: os.loadavg(),
      items: items.length,
      labelled: LABELLED_TICKETS.length,
      train: train.length,
      heldOut: heldOut.length,
      methods: results.map((r) => ({
        name: r.name,
        note: r.note,
        trainMs: r.trainMs,
        suggestMicros: r.suggestMicros,
        heldOut: strip(r.heldOut),
        crossValidation: strip(r.crossValidation),
      })),
      learningCurve: curve.map((c) => ({ examples: c.examples, router: c.kind, top1: c.top1, top3: c.top3 })),
      timings: {
        trainAllMs: allTime.ms,
        trainSyntheticMs: scaleTime.ms,
        syntheticExamples: many.length,
        crossValidationMs: cvTime.ms,
      },
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwritten ${file.pathname}`);
