import { bundleLibrary } from './bundle'
import type { Ignored } from './checker'
import { type Action, Step } from './commands'
import { World, type Setup } from './world'

/** A shrunk schedule as the simulator prints it: its setup, and its steps (`mount(0, 1) wait 20, …`). */
export interface Schedule {
  setup: Setup
  steps: string
}

/** Reads the printed steps back. */
export function parseSteps(steps: string): Step[] {
  return [...steps.matchAll(/(\w+)\((\d+), (\d+)\) wait (\d+)/g)].map(
    ([, action, a, b, wait]) => new Step(action as Action, Number(a), Number(b), Number(wait)),
  )
}

/**
 * Runs one schedule, then (unless `finish` is false) its end: every page wakes, every hook leaves. Returns the broken
 * promises (none: `''`).
 */
export async function replay(
  { setup, steps }: Schedule,
  ignored: readonly Ignored[] = [],
  { finish = true } = {},
): Promise<string> {
  await bundleLibrary()
  try {
    const world = await new World(setup, ignored).start()
    for (const step of parseSteps(steps)) await step.run({}, world)
    if (finish) await world.finish()
    return ''
  } catch (error) {
    return (error as Error).message
  }
}
