// The money properties of src/bench/money-properties.ts at a few thousand runs each; the
// million-run check is `npm run check:money`.
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { MONEY_PROPERTIES } from '../../src/bench/money-properties.js';

describe('money properties', () => {
  for (const { name, property } of MONEY_PROPERTIES) {
    it(name, () => fc.assert(property as fc.IProperty<unknown[]>, { numRuns: 3_000 }));
  }
});
