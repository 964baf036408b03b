import fc from 'fast-check'
import { bundleLibrary } from './bundle'
import { steps } from './commands'
import { setups } from './setup'
import type { Ignored } from './checker'
import { World } from './world'

export interface Options {
  runs: number
  seed?: number | undefined
  path?: string | undefined
  maxSteps?: number
  /** The steps' own replay path (fast-check's `replayPath` of `fc.commands`), printed with a failure. */
  steps?: string | undefined
  /** The settings to print with the replay command (`SIM_STRICT=1`, …). */
  env?: string
  /** Promises not checked (known defects not yet fixed). */
  ignored?: readonly Ignored[]
}

/** One schedule: a world, its steps, then every hook leaves. */
export const schedules = (maxSteps = 40, ignored: readonly Ignored[] = [], replayPath?: string) =>
  fc.asyncProperty(
    setups,
    fc.commands(steps, { maxCommands: maxSteps, size: 'medium', replayPath }),
    async (setup, commands) => {
      const world = await new World(setup, ignored).start()
      await fc.asyncModelRun(() => ({ model: {}, real: world }), commands)
      await world.finish()
    },
  )

/**
 * Runs `runs` random schedules (or replays one: `seed` and `path`); returns `undefined` when every invariant held,
 * else the report: the broken promise, the seed, the shrunk schedule, and the command that replays it.
 */
export async function simulate({
  runs,
  seed,
  path,
  maxSteps,
  ignored,
  steps: replay,
  env = '',
}: Options): Promise<string | undefined> {
  await bundleLibrary()
  const details = await fc.check(schedules(maxSteps, ignored, replay), {
    numRuns: runs,
    seed,
    path,
    endOnFailure: !!process.env.SIM_NOSHRINK, // the first failure as found, not shrunk
  })
  if (!details.failed) return undefined
  const [, commands] = (details.counterexample ?? []) as [unknown, unknown]
  const listed = String(commands)
  const stepsPath = /replayPath="([^"]*)"/.exec(listed)?.[1] ?? ''
  return [
    `The simulator broke a promise after ${details.numRuns} schedule(s) (${details.numShrinks} shrinks):`,
    String((details.errorInstance as Error | undefined)?.message ?? details.errorInstance),
    `steps as fast-check lists them: ${listed.replace(/ ?\/\*replayPath="[^"]*"\*\//, '')}`,
    `replay: ${env}SIM_SEED=${details.seed} SIM_PATH=${details.counterexamplePath} SIM_STEPS='${stepsPath}' npx vitest run test/sim/sim.test.ts --project unit`,
  ].join('\n')
}
