/**
 * V8 tuning for `martql compile`, a process that does its work once and exits.
 *
 * V8 hands a function to its optimizing compiler (TurboFan) once the function has used up an
 * "interrupt budget" of bytecode executed. The default budget suits a long-running program: hot
 * code gets optimized early and pays back over millions of calls. A compile runs each of its
 * thousands of code paths only a few thousand times, and optimizing them (on background threads,
 * which count in the process's CPU time as much as the main thread) costs more than it saves:
 * measured on the generated 2,000-model project, eight times the default budget took a cold
 * compile from ~2.2 s to ~1.6 s of CPU, while five compiles in a row in one process (the code
 * long optimized) ran as fast as with the default. Sixteen times, measured later against eight
 * (A/B, fresh processes, medians of 15 and 9 alternating runs on a loaded 2-core machine): cold
 * plain refs 1,067 -> 985 ms, macro-heavy 1,632 -> 1,500 ms, five compiles in a row in one process
 * no slower; 32x was no better cold and slower on repeated compiles. `--no-opt` (never optimize)
 * saves as much cold but is 1.6x slower once warm, which a project many times larger would feel.
 *
 * Only one-shot commands call this: `serve` keeps V8's defaults, where early optimization pays.
 */
import { setFlagsFromString } from 'node:v8';

/** V8's default `--interrupt-budget` (bytecode bytes executed before a function is considered hot). */
const DEFAULT_INTERRUPT_BUDGET = 66 * 1024;

export const ONE_SHOT_INTERRUPT_BUDGET = 16 * DEFAULT_INTERRUPT_BUDGET;

/** Raises V8's optimization threshold for the rest of this process. */
export function tuneV8ForOneShotCompile(): void {
  setFlagsFromString(`--interrupt-budget=${ONE_SHOT_INTERRUPT_BUDGET}`);
}
