import fc from 'fast-check'
import type { Answer } from './server'
import { trace } from './trace'
import { MAX_TABS, type World } from './world'

/** What a step does, to the n-th tab, hook or room (see `World`): a user's, a page's, a server's action. */
const actions = {
  openTab: (world) => (world.liveTabs().length < MAX_TABS ? world.openTab().name : 'no room for a tab'),
  mount: (world, tab, room) => whom(world.tab(tab), (target) => !target.frozen && world.mount(target, room).name),
  unmount: (world, hook) => whom(world.hook(hook), (target) => target.unmount()),
  hide: (world, hook) => whom(world.hook(hook), (target) => target.hide()),
  show: (world, hook) => whom(world.hook(hook), (target) => target.show()),
  changeUrl: (world, hook, room) =>
    whom(world.hook(hook), (target) => {
      target.unmount()
      return world.mount(target.tab, room).name
    }),
  reconnect: (world, hook) => whom(world.hook(hook), (target) => target.reconnect()),
  close: (world, hook) => whom(world.hook(hook), (target) => target.close()),
  closeTab: (world, tab) => whom(world.tab(tab), (target) => target.close()),
  crashTab: (world, tab) => whom(world.tab(tab), (target) => target.crash()),
  freeze: (world, tab) => whom(world.tab(tab), (target) => !target.frozen && target.freeze()),
  resume: (world, tab) => whom(world.tab(tab), (target) => target.frozen && !target.inCache && target.resume()),
  pagehide: (world, tab) => whom(world.tab(tab), (target) => !target.frozen && world.enterCache(target)),
  pageshow: (world, tab) => whom(world.tab(tab), (target) => target.inCache && target.leaveCache()),
  hidePage: (world, tab) => whom(world.tab(tab), (target) => !target.frozen && target.setVisible(false)),
  showPage: (world, tab) => whom(world.tab(tab), (target) => !target.frozen && target.setVisible(true)),
  offline: (world, tab) => whom(world.tab(tab), (target) => target.setOnline(false)),
  online: (world, tab) => whom(world.tab(tab), (target) => target.setOnline(true)),
  answer: (world, room, code) => world.server.answer(world.room(room).name, ANSWERS[code % ANSWERS.length] as Answer),
  end: (world, room) => world.server.end(world.room(room).name),
  drop: (world, room) => world.server.drop(world.room(room).name),
  halfOpen: (world, room) => {
    const { name, idleTimeout } = world.room(room)
    if (idleTimeout) world.server.halfOpen(name) // only where hooks can tell a silent stream
  },
  restart: (world, downMs) => world.server.restart(downMs),
} satisfies Record<string, (world: World, a: number, b: number) => unknown>

export type Action = keyof typeof actions

const ANSWERS: Answer[] = ['stream', 204, 401, 500]

/** Names what a step acted on. */
function whom<T extends { name: string }>(target: T | undefined, act: (target: T) => unknown): string {
  if (!target) return 'nobody'
  const result = act(target)
  return typeof result === 'string' ? `${target.name} -> ${result}` : target.name
}

/** One step of a schedule: an action, then `wait` ms of simulated time, then every invariant checked. */
export class Step implements fc.AsyncCommand<object, World> {
  private did = ''

  constructor(
    readonly action: Action,
    readonly a: number,
    readonly b: number,
    readonly wait: number,
  ) {}

  check = () => true

  async run(_model: object, world: World): Promise<void> {
    world.ran.push(`${this.action}(${this.a}, ${this.b}) wait ${this.wait}`)
    const done = (actions[this.action] as (world: World, a: number, b: number) => unknown)(world, this.a, this.b)
    this.did = typeof done === 'string' ? ` [${done}]` : ''
    trace(world.clock.now, `step ${this}`)
    await world.run(this.wait)
  }

  toString(): string {
    return `${this.action}(${this.a}, ${this.b}) wait ${this.wait}${this.did}`
  }
}

/** A wait: mostly short (transitions overlap), sometimes long (backoff, liveness, handovers run out). */
const wait = fc.oneof(fc.constantFrom(0, 1, 5, 20, 100), fc.integer({ min: 0, max: 5000 }))
const step = (action: Action, a = fc.nat(7), b = fc.nat(7)) =>
  fc.tuple(a, b, wait).map(([x, y, ms]) => new Step(action, x, y, ms))

/** The schedules: every kind of step, the hooks' and the tabs' more often than the server's faults. */
export const steps = [
  step('openTab'),
  step('mount'),
  step('mount'),
  step('unmount'),
  step('hide'),
  step('show'),
  step('hide'),
  step('show'),
  step('changeUrl'),
  step('reconnect'),
  step('close'),
  step('closeTab'),
  step('crashTab'),
  step('freeze'),
  step('resume'),
  step('pagehide'),
  step('pageshow'),
  step('hidePage'),
  step('showPage'),
  step('offline'),
  step('online'),
  step('answer'),
  step('end'),
  step('drop'),
  step('halfOpen'),
  step('restart', fc.integer({ min: 0, max: 5000 })),
]
