// The README's startSimulator example is the file the suite runs, word for word.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('README shows test/examples/start-simulator.test.ts as it is', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./examples/start-simulator.test.ts', import.meta.url), 'utf8');
  const block = /## In your own tests[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(example);
});
