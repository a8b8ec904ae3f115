import type { Reporter, TestCase, TestModule } from 'vitest/node';

/**
 * Ends the run with the plain line CI reads: `N passed, N failed` (and skipped, when any). A test
 * that never ran because a hook of its suite failed (a store that could not be opened) is failed,
 * not skipped: only a test skipped on purpose (`runIf`, `skip`) counts as skipped.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = errors.length;
    let skipped = 0;
    for (const m of modules) {
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed++;
      for (const t of m.children.allTests() as Iterable<TestCase>) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed' || inFailedSuite(t)) failed++;
        else skipped++;
      }
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}

function inFailedSuite(t: TestCase): boolean {
  for (let p = t.parent; p.type === 'suite'; p = p.parent) if (p.state() === 'failed') return true;
  return t.module.state() === 'failed' && t.module.errors().length > 0;
}
