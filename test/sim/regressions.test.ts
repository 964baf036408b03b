// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { Rule } from './checker'
import { replay } from './replay'
import type { Setup } from './world'

/**
 * Schedules the simulator found and shrank (issue 26), each replayed with the one promise it broke checked: a
 * failing-then-passing case for each fix. `it.fails` marks a defect not fixed yet (its promise is still broken).
 */
const RULES: Rule[] = [
  'own-stream',
  'order',
  'gap',
  'one-error',
  'nothing-left',
  'storm',
  'one-connection',
  'open-truth',
  'status-truth',
  'bfcache',
  'resume',
  'pause-hidden',
  'pause-visible',
]

const room = (name: string, crossTab: boolean) => ({
  name,
  crossTab,
  fetch: false,
  ids: true,
  snapshot: false,
  retry: 0,
  interval: 150,
  heartbeat: false,
  idleTimeout: undefined,
  post: false,
  pauseWhenHidden: undefined,
})
/**
 * `tabs` tabs, each with a hook on room a (cross-tab or not, let go while hidden for `pause` ms); room b is never
 * cross-tab, or answers a POST.
 */
const world = (
  tabs: number,
  { crossTab = true, latency = 0, crossTabB = false, post = false, pause = undefined as number | undefined } = {},
): Setup => ({
  seed: 0,
  latency,
  rooms: [
    { ...room('a', crossTab), pauseWhenHidden: pause },
    { ...room('b', crossTabB), post, ids: !post },
  ],
  tabs,
})

/** Replays `steps` and checks `rules` only; resolves to the broken promises (`''` when none). */
const check = (setup: Setup, steps: string, ...rules: Rule[]) =>
  replay({ setup, steps }, [...RULES.filter((rule) => !rules.includes(rule))])

/** The same, without the schedule's end (for a case that another defect, met later, would cloud). */
const checkSteps = (setup: Setup, steps: string, ...rules: Rule[]) =>
  replay({ setup, steps }, [...RULES.filter((rule) => !rules.includes(rule))], { finish: false })

describe('issue 26, found by the simulator on the code before the fixes', () => {
  it('defect 1: a cross-tab page goes into the back/forward cache with its BroadcastChannel closed', async () => {
    expect(await check(world(1), 'pagehide(0, 0) wait 0', 'bfcache')).toBe('')
  })

  it('defect 2: a tab frozen while it leads, resumed after another took over, gets each event once', async () => {
    const steps = 'mount(0, 0) wait 152, freeze(0, 0) wait 0, resume(1, 0) wait 0'
    expect(await check(world(2), steps, 'order')).toBe('')
  })

  it('defect 4: a failure relayed, then sent again in a state note, is one onError', async () => {
    expect(await checkSteps(world(2), 'end(0, 0) wait 2, reconnect(0, 0) wait 1000', 'one-error')).toBe('')
  })

  it('defect 4: a 401 the stream gave up on is not told again when the leader’s tab closes', async () => {
    const steps = 'answer(0, 2) wait 0, reconnect(0, 0) wait 100, closeTab(0, 0) wait 500'
    expect(await checkSteps(world(2), steps, 'one-error')).toBe('')
  })

  it('defect 4: a hook hidden and shown again is not told again of the failure it was told of', async () => {
    const steps = 'end(0, 0) wait 2, hide(0, 0) wait 0, show(0, 0) wait 1000'
    expect(await checkSteps(world(2), steps, 'one-error')).toBe('')
  })

  // Fails with the defect 5 change of share.ts reverted (delivering what was held, then resuming after it).
  it('defect 5: a tab granted the lock while it awaits its welcome resumes from its own position', async () => {
    const steps = 'close(0, 0) wait 152, freeze(3, 0) wait 148, reconnect(0, 0) wait 152, hide(0, 0) wait 0'
    expect(await check(world(2), steps, 'gap')).toBe('')
  })

  // Defect 7, not fixed: keeping a stopped stream's position for a hook hidden by <Activity> needs to know that the
  // hook is hidden rather than unmounted, and React tells neither apart. Keeping every stopped stream's position in
  // the page (tried in this issue) fixed these cases, and left a component mounted again with no data when the
  // stream had nothing new after its last event (the bench's mount/unmount cycles on a one-event stream hung).
  it.fails('defect 7: a hook mounted while another is hidden resumes the stream from its position', async () => {
    const steps = 'show(0, 0) wait 152, hide(0, 0) wait 148, mount(0, 0) wait 0'
    expect(await check(world(1, { crossTab: false }), steps, 'gap', 'resume')).toBe('')
  })

  it.fails('defect 7, across tabs: a tab whose hook is hidden, then another mounted, does not start afresh', async () => {
    const steps = 'freeze(0, 0) wait 152, hide(0, 0) wait 148, mount(3, 0) wait 0, resume(0, 0) wait 0'
    expect(await check(world(2), steps, 'gap', 'resume')).toBe('')
  })

  it('defect 3: a tab that joined a leader has its log: a tab rejoining from further back misses nothing', async () => {
    const steps =
      'pagehide(0, 0) wait 0, changeUrl(0, 7) wait 0, openTab(0, 0) wait 152, close(0, 0) wait 0, mount(7, 0) wait 0, end(0, 0) wait 0'
    expect(await check(world(3), steps, 'gap')).toBe('')
  })

  // Defect 3: a tab that opened while the only tab with a position was away (here, in the back/forward cache) led
  // afresh, and the tab that came back stood further back than anything it knew. A leader now leaves its position
  // behind in the origin's storage as it lets the stream go, and a tab that leads afresh resumes from it.
  it('defect 3: a tab back from the back/forward cache, after a new tab led afresh, misses nothing', async () => {
    const steps = 'mount(0, 7) wait 152, pagehide(0, 0) wait 148, mount(7, 1) wait 0, pageshow(0, 0) wait 0'
    expect(await check(world(2, { crossTab: false, crossTabB: true }), steps, 'gap')).toBe('')
  })

  // Defect 6 (written by hand: the random schedules did not find it): a hook whose stream gave up joined without
  // starting it, so its tab never heard the other tabs again. It now joins them passively: it hears the tab that
  // runs the stream, if one does, without asking for it.
  it('defect 6: a hook shown again after its stream gave up is open once another tab reconnected', async () => {
    const steps =
      'answer(0, 2) wait 0, reconnect(0, 0) wait 3000, hide(1, 0) wait 100, answer(0, 0) wait 0, reconnect(0, 0) wait 1000, show(1, 0) wait 12000'
    expect(await check(world(2), steps, 'status-truth')).toBe('')
  })
})

describe('found by the simulator beyond the eight', () => {
  // Not fixed: the view starts a stream again when a hidden hook is shown, whatever its method; an answer half
  // received when its panel was hidden should stay as it was (closed) until the user asks again.
  it.fails('a POST being answered is not sent again when its hook, hidden by <Activity>, is shown', async () => {
    const steps = 'changeUrl(0, 3) wait 0, hide(0, 0) wait 0, show(0, 0) wait 0'
    expect(await check(world(1, { crossTab: false, post: true }), steps, 'no-resend')).toBe('')
  })

  // Found with SIM_SEED=random (seed 1732216112; and by the default seed 0 over 5,000 schedules, seed 26 of them):
  // the leading tab crashes, and the tab granted the lock next is frozen while it waits to hear how the last leader
  // left. It held the lock while frozen, so the third tab waited behind it, its hook saying `open` (the crashed
  // leader's last state) with nothing arriving. A tab now lets the lock go when it is frozen, granted or leading.
  it('a follower does not say open for long after its leader crashed while the next tab in line is frozen', async () => {
    const steps = 'pageshow(0, 0) wait 2, crashTab(0, 0) wait 0, freeze(0, 0) wait 0, online(0, 0) wait 0'
    expect(await check(world(3, { post: true }), steps, 'open-truth')).toBe('')
  })

  // The same family, found by the default seed (SIM_RUNS=5000, schedule 4258): the leader's page goes into the cache
  // as a new tab opens; the tab granted the lock next is put in the cache too, before it has heard how the leader left.
  it('a follower does not say open for long after its leader and the next in line went into the cache', async () => {
    const steps = 'end(1, 0) wait 40, hide(0, 0) wait 0, openTab(0, 0) wait 0, pagehide(5, 0) wait 2'
    expect(await check(world(3, { latency: 40 }), steps, 'open-truth')).toBe('')
  })

  // The same family (SIM_SEED=random): the next tab in line goes into the back/forward cache as the leader crashes.
  it('a follower does not say open for long after its leader crashed and the next tab went into the cache', async () => {
    const steps = 'end(0, 0) wait 3004, crashTab(0, 0) wait 0, pagehide(0, 0) wait 0, mount(0, 0) wait 0'
    expect(await check(world(3, { post: true }), steps, 'open-truth')).toBe('')
  })

  // A fetch attempt with no answer (a server restarting) counted as a refused preflight, and the next attempt went
  // through the browser's EventSource, which cannot send the last event id. A same-origin request needs no preflight.
  it('a stream that failed to reach a restarting server resumes from its position', async () => {
    const steps = 'openTab(0, 0) wait 151, restart(2, 0) wait 1, reconnect(0, 0) wait 0'
    expect(await check(world(1, { crossTab: false }), steps, 'resume')).toBe('')
  })
})

describe('pauseWhenHidden', () => {
  it('lets the stream go once the page has been hidden for the setting, and resumes it when shown', async () => {
    const steps = 'hidePage(0, 0) wait 1000, showPage(0, 0) wait 2000, hidePage(0, 0) wait 3000, showPage(0, 0) wait 0'
    expect(await check(world(1, { crossTab: false, pause: 500 }), steps, 'pause-hidden', 'pause-visible', 'gap')).toBe(
      '',
    )
  })

  // Not fixed (SIM_SEED=0, 1, 2, 3 with SIM_STRICT=1): the watch of the page fired once, and nothing arms it again
  // when the stream is started again while the page stays hidden; it stays open until the page is shown and hidden.
  it.fails('a stream reconnect()ed on a hidden page once it was let go is let go again', async () => {
    const steps = 'hidePage(0, 0) wait 500, reconnect(0, 0) wait 2000'
    expect(await check(world(1, { crossTab: false, pause: 500 }), steps, 'pause-hidden')).toBe('')
  })

  it.fails('across tabs: a stream a follower reconnect()s once every tab is hidden and it was let go is let go again', async () => {
    const steps = 'hidePage(0, 0) wait 0, hidePage(1, 0) wait 600, reconnect(1, 0) wait 2000'
    expect(await check(world(2, { pause: 500 }), steps, 'pause-hidden')).toBe('')
  })

  it.fails('a hook shown again by <Activity> on a stream let go says idle, not open', async () => {
    const steps = 'mount(0, 0) wait 0, hidePage(0, 0) wait 100, hide(0, 0) wait 500, show(0, 0) wait 0'
    expect(await check(world(1, { crossTab: false, pause: 500 }), steps, 'open-truth')).toBe('')
  })

  it('across tabs: the leader lets go once every tab is hidden, and resumes when one is shown', async () => {
    const steps =
      'hidePage(0, 0) wait 0, hidePage(1, 0) wait 1000, showPage(1, 0) wait 2000, hidePage(1, 0) wait 3000, showPage(0, 0) wait 0'
    const rules = ['pause-hidden', 'pause-visible', 'gap', 'order', 'one-connection'] as const
    expect(await check(world(2, { latency: 10, pause: 500 }), steps, ...rules)).toBe('')
  })

  // Found by the pause-hidden rule on the first cross-tab pause (10badb1): a tab's last note read the options once its
  // hooks had left, found none, and told the leader nothing; fixed in e392bbf.
  it('across tabs: a visible tab whose hooks left (hidden by <Activity>) is not counted as visible', async () => {
    const steps = 'hidePage(0, 0) wait 0, hide(1, 0) wait 2000'
    expect(await check(world(2, { pause: 500 }), steps, 'pause-hidden')).toBe('')
  })

  it('across tabs: a visible tab whose hook was closed is not counted as visible', async () => {
    const steps = 'hidePage(0, 0) wait 0, close(1, 0) wait 2000'
    expect(await check(world(2, { pause: 500 }), steps, 'pause-hidden')).toBe('')
  })

  // Not fixed (found by SIM_SEED=217 of explore.ts, 500 schedules): tab2's hooks come back (a new url), it says hello
  // as shown, is granted the lock at once (tab1 is frozen) and closes; its hello, still on its way, reaches tab1 once
  // tab1 leads, and tab1 counts the closed tab as shown for the rest of its turn.
  it.fails('across tabs: the hello of a tab that led and closed meanwhile does not keep the stream running', async () => {
    const steps =
      'freeze(0, 0) wait 0, hide(0, 0) wait 0, changeUrl(0, 0) wait 0, closeTab(3, 0) wait 0, resume(0, 0) wait 0'
    expect(await check(world(2, { latency: 40, pause: 500 }), steps, 'pause-hidden')).toBe('')
  })
})
