/**
 * How far apart paraphrases and different lines are for the bundled sentence-embedding model (Universal
 * Sentence Encoder Lite), to choose rules.dedupe's `similarity` threshold. Measured on real text from
 * ../shared/corpora:
 *
 * - "policy lines": every line of the six agent policies (tau-bench airline and retail, tau2 telecom policy,
 *   manual and workflow, tau2 airline) against the most similar earlier line of the same policy. These are
 *   the pairs dedupe must leave alone: real prompts rarely restate a line, and neighbours differ in a fact.
 * - "unrelated": lines of one policy against lines of another, and persona prompts against each other.
 * - "same intent": two CLINC150 test utterances of the same intent, real paraphrases of one request.
 * - "restated rules": a real policy line and the same rule in other words (written for this bench), the
 *   duplicates rules.dedupe is asked to catch.
 *
 * Prints the distributions and, per threshold, the share of each group at or above it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createEmbeddingsService } from '../src/backend/services/embeddings';
import { normaliseUnit } from '../src/core/compression/strategies/dedupeUnits';
import { comparableByMeaning, jaccard, wordSet } from '../src/core/compression/strategies/similarity';
import { parseCsv } from '../test/core/compression/corpora';
import { CORPORA, percentile } from './lib/corpus';

export const name = 'similarity';

const POLICIES = [
  'system-prompts/041_sierra-research__tau_bench__envs__airline__wiki.md',
  'system-prompts/042_sierra-research__tau_bench__envs__retail__wiki.md',
  'system-prompts/043_sierra-research__data__tau2__domains__telecom__main_policy.md',
  'system-prompts/044_sierra-research__data__tau2__domains__telecom__tech_support_manual.md',
  'system-prompts/045_sierra-research__data__tau2__domains__telecom__tech_support_workflow.md',
  'golden/tau2_airline/policy.md',
];

/**
 * [real policy line, the same line in other words (written for this bench)]. Both sides are free of
 * numbers, quotes, negations and modal words, as a line must be for the guards to let rules.dedupe drop it.
 */
export const RESTATED: Array<[string, string]> = [
  [
    'You should deny user requests that are against this policy.',
    'Refuse requests from users that go against this policy.',
  ],
  [
    'You should try your best to resolve the issue for the user before transferring the user to a human agent.',
    "Do your best to solve the user's problem yourself before handing them over to a human agent.",
  ],
  [
    'Once the user has been authenticated, you can provide the user with information about order, product, profile information, e.g. help the user look up order id.',
    'After authentication, you may give the user information about their orders, products and profile, for example help them find an order id.',
  ],
  [
    'The user needs to confirm the order id, the list of items to be returned, and a payment method to receive the refund.',
    'Ask the user to confirm the order id, which items they are returning, and the payment method for the refund.',
  ],
  [
    'You can help the user make a payment for an overdue bill.',
    'You may assist the user in paying an overdue bill.',
  ],
  [
    'After you resume the line, the user will have to reboot their device to get service.',
    'Once the line is resumed, the user has to restart their device to get service back.',
  ],
  ['Check the bill status to make sure it is overdue.', "Verify that the bill's status is overdue."],
  [
    'Make sure you know what line the user wants to change the plan for.',
    'Find out which line the user wants to change the plan on.',
  ],
  [
    'For name lookup, date of birth is required for verification purposes.',
    'When looking a customer up by name, ask for their date of birth to verify them.',
  ],
  [
    'We offer data roaming to users who are traveling outside their home network.',
    'Data roaming is available for users travelling outside their home network.',
  ],
  [
    'Each user has a profile of its email, default address, user id, and payment methods.',
    'Every user profile holds the email, the default address, the user id and the payment methods.',
  ],
  [
    'As an airline agent, you can help users book, modify, or cancel flight reservations.',
    'In your role as an airline agent, you help users book, change or cancel their flight reservations.',
  ],
  [
    'Apply the refueled data to the line associated with the phone number the user provided.',
    'Add the refueled data to the line of the phone number the user gave you.',
  ],
  [
    'Send the user a payment request for the overdue bill.',
    'Send a payment request for the overdue bill to the user.',
  ],
];

interface Pair {
  a: string;
  b: string;
}

/** Lines rules.dedupe would compare: not headings, list markers dropped, at least 12 folded characters. */
function lines(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (/^#{1,6}\s|^\|/.test(line) || /^(?:[-*_]\s*){3,}$/.test(line)) continue;
    const body = line.replace(/^(?:[-*+>]|\d+[.)])\s+/, '');
    if (normaliseUnit(body).length >= 12) out.push(body);
  }
  return [...new Set(out)];
}

const read = (rel: string) => readFileSync(path.join(CORPORA, rel), 'utf8');

interface Scored extends Pair {
  /** Cosine of the embeddings. */
  s: number;
  /** Jaccard of the word sets. */
  j: number;
}

export async function run(): Promise<Record<string, unknown>> {
  const service = createEmbeddingsService({ cacheSize: 20_000 });
  let t = performance.now();
  await service.embed(['warm-up']);
  const loadMs = performance.now() - t;
  const policyLines = POLICIES.map((p) => lines(read(p)));
  const personas = parseCsv(read('system-prompts/awesome-chatgpt-prompts.csv'))
    .slice(1, 61)
    .map((r) => r[1]!.split('\n')[0]!.slice(0, 400));
  const clinc = JSON.parse(read('golden/clinc150/data_full.json')) as { test: Array<[string, string]> };
  const byIntent = new Map<string, string[]>();
  for (const [u, intent] of clinc.test) byIntent.set(intent, [...(byIntent.get(intent) ?? []), u]);
  const sameIntent: Pair[] = [...byIntent.values()].map((us) => ({ a: us[0]!, b: us[1]! }));
  const all = [
    ...policyLines.flat(),
    ...personas,
    ...sameIntent.flatMap((p) => [p.a, p.b]),
    ...RESTATED.flat(),
  ];
  t = performance.now();
  await service.embed(all);
  const embedMs = performance.now() - t;
  const score = async (p: Pair): Promise<Scored> => ({
    ...p,
    s: await service.similarity(p.a, p.b),
    j: jaccard(wordSet(p.a), wordSet(p.b)),
  });

  // each line against the most similar earlier line of the same policy: the pair dedupe would judge, and
  // with `comparable`, the most similar one that rules.dedupe may compare by meaning at all
  const nearest = async (comparable: boolean): Promise<Scored[]> => {
    const out: Scored[] = [];
    for (const ls of policyLines) {
      const vs = await service.embed(ls);
      for (let i = 1; i < ls.length; i++) {
        let j = -1;
        for (let k = 0; k < i; k++) {
          if (comparable && !comparableByMeaning(ls[i]!, ls[k]!)) continue;
          if (j < 0 || dot(vs[i]!, vs[k]!) > dot(vs[i]!, vs[j]!)) j = k;
        }
        if (j >= 0) out.push(await score({ a: ls[j]!, b: ls[i]! }));
        else out.push({ a: '', b: ls[i]!, s: 0, j: 0 });
      }
    }
    return out;
  };
  const unrelated: Pair[] = [];
  for (let i = 0; i + 1 < policyLines.length; i++) {
    // 041 and the tau2 airline policy (the last) share lines, so each is paired with the next only
    const a = policyLines[i]!;
    const b = policyLines[i + 1]!;
    for (let k = 0; k < 40; k++) unrelated.push({ a: a[(k * 7) % a.length]!, b: b[(k * 11) % b.length]! });
  }
  for (let i = 0; i + 1 < personas.length; i += 2) unrelated.push({ a: personas[i]!, b: personas[i + 1]! });

  const groups: Record<string, Scored[]> = {
    'policy: nearest earlier line': await nearest(false),
    'policy: nearest comparable earlier line': await nearest(true),
    unrelated: await Promise.all(unrelated.map(score)),
    'same intent (CLINC150)': await Promise.all(sameIntent.map(score)),
    'restated policy lines': await Promise.all(RESTATED.map(([a, b]) => score({ a, b }))),
  };
  const f = (x: number) => x.toFixed(3);
  console.log(`model load ${loadMs.toFixed(0)} ms; ${all.length} texts embedded in ${embedMs.toFixed(0)} ms`);
  console.log(
    '\n| cosine | pairs | p10 | median | p90 | p99 | max |\n| --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const [g, xs] of Object.entries(groups)) {
    const s = xs.map((x) => x.s).sort((a, b) => a - b);
    const q = (p: number) => f(percentile(s, p));
    console.log(
      `| ${g} | ${s.length} | ${q(10)} | ${q(50)} | ${q(90)} | ${q(99)} | ${f(s[s.length - 1]!)} |`,
    );
  }
  const thresholds = [0.8, 0.85, 0.88, 0.9, 0.92, 0.95];
  const shares: Record<string, Record<string, number[]>> = {};
  for (const rule of ['cosine ≥ t', 'cosine ≥ t and comparableByMeaning']) {
    console.log(`\n| ${rule} | ${thresholds.join(' | ')} |\n| --- |${' --- |'.repeat(thresholds.length)}`);
    shares[rule] = {};
    for (const [g, xs] of Object.entries(groups)) {
      // each policy group belongs to one rule: the nearest line overall, or the nearest comparable one
      const filtered = rule !== 'cosine ≥ t';
      if (g.startsWith('policy') && g.includes('comparable') !== filtered) continue;
      const ok = (x: Scored) => !filtered || g.startsWith('policy') || comparableByMeaning(x.a, x.b);
      const row = thresholds.map((th) => xs.filter((x) => x.s >= th && ok(x)).length / xs.length);
      shares[rule][g] = row;
      console.log(`| ${g} | ${row.map((x) => `${(x * 100).toFixed(1)} %`).join(' | ')} |`);
    }
  }
  const show = (title: string, xs: Scored[]) => {
    console.log(`\n${title}`);
    for (const n of xs)
      console.log(`  ${f(n.s)} J ${f(n.j)}  "${n.a.slice(0, 80)}"\n                   "${n.b.slice(0, 80)}"`);
  };
  const top = (xs: Scored[], n: number) => [...xs].sort((a, b) => b.s - a.s).slice(0, n);
  show('Most similar comparable policy lines:', top(groups['policy: nearest comparable earlier line']!, 15));
  show('Most similar unrelated lines:', top(groups.unrelated!, 2));
  show('Restated policy lines:', groups['restated policy lines']!);
  console.log(`  comparable: ${RESTATED.map(([a, b]) => (comparableByMeaning(a, b) ? 'y' : 'n')).join(' ')}`);
  return { loadMs, embedMs, texts: all.length, thresholds, shares };
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
