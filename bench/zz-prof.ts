import { readFileSync } from 'node:fs';
import { createGptTokenizer } from '../src/core/tokens/gptTokenizer';
import { createRequestCounter, parsePolicy } from '../src/core/history/policy';
import { simulateSync } from '../src/core/history/simulate';
import { CatalogSchema, findModel } from '../src/core/pricing/catalog';
import { longConversation } from '../test/core/history/policy/tauBench';
const tok = createGptTokenizer();
const catalog = CatalogSchema.parse(JSON.parse(readFileSync('resources/models.json', 'utf8')));
const gpt = findModel(catalog, process.argv[2] ?? 'gpt-4o');
const convo = longConversation(700);
const policy = parsePolicy({ version: 1, steps: [{ type: 'tokenBudget', maxTokens: 20000 }] });
const counter = createRequestCounter((t) => tok.count(t, 'o200k_base'));
let t = performance.now();
simulateSync({ conversation: convo, policy, model: gpt, counter });
console.log('cold', performance.now() - t);
for (let k = 0; k < 40; k++) {
t = performance.now();
simulateSync({ conversation: convo, policy, model: gpt, counter });
console.log('warm', performance.now() - t);
}
