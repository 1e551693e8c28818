/**
 * Ends a run with one plain line, "N passed, N failed, N skipped", that any CI can read. A test
 * that never ran because its file failed around it (a `beforeAll` that could not start a server
 * or a browser) counts as failed, not skipped: nothing may read as skipped that did not choose to be.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of modules) {
      const moduleFailed = module.state() === 'failed';
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed' || (moduleFailed && test.options.mode !== 'skip' && test.options.mode !== 'todo')) counts.failed++;
        else counts.skipped++;
      }
    }
    console.log(`\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
}
