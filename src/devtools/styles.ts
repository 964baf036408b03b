/** The panel's styles, inside its shadow root: they reach nothing of the page, and the page's reach nothing here. */
export const styles = `
:host { all: initial; }
* { box-sizing: border-box; }
.toggle, .panel {
  position: fixed;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: #e5e7eb;
  background: #111827;
  border: 1px solid #374151;
  box-shadow: 0 8px 24px rgb(0 0 0 / 0.25);
}
button { font: inherit; color: inherit; cursor: pointer; }
button:focus-visible, summary:focus-visible, h2:focus-visible { outline: 2px solid #60a5fa; outline-offset: 2px; }
.toggle { border-radius: 999px; padding: 6px 12px; font-weight: 600; }
.panel { width: min(520px, calc(100vw - 24px)); max-height: min(70vh, 640px); overflow: auto; border-radius: 8px; }
header { position: sticky; top: 0; display: flex; align-items: center; justify-content: space-between; padding: 8px 12px; background: #111827; border-bottom: 1px solid #374151; }
h2 { margin: 0; font-size: 14px; }
.close { background: none; border: 0; font-size: 20px; line-height: 1; padding: 0 4px; }
.count { display: inline-block; min-width: 20px; padding: 0 6px; border-radius: 999px; background: #374151; text-align: center; font-size: 12px; }
.count.bad { background: #b91c1c; }
ul { list-style: none; margin: 0; padding: 0; }
.stream { padding: 8px 12px; border-bottom: 1px solid #1f2937; }
.line { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: baseline; }
.url { flex: 1 1 12ch; min-width: 12ch; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-family: ui-monospace, monospace; }
.actions { display: flex; gap: 8px; }
.hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.muted { color: #9ca3af; }
.status { padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; color: #111827; background: #9ca3af; }
.status.connecting { background: #fbbf24; }
.status.open { background: #34d399; }
.status.reconnecting { background: #fb923c; }
.status.closed { background: #9ca3af; }
.status.error { background: #f87171; }
dl { display: grid; grid-template-columns: repeat(7, auto); gap: 0 12px; margin: 6px 0 4px; }
dt { color: #9ca3af; font-size: 11px; }
dd { margin: 0; font-variant-numeric: tabular-nums; overflow: hidden; text-overflow: ellipsis; }
.timeline { display: block; width: 100%; height: 18px; fill: #60a5fa; background: #1f2937; border-radius: 4px; }
.countdown, .failure, .hint { margin: 6px 0 0; padding: 4px 8px; border-radius: 4px; }
.countdown { background: #431407; color: #fed7aa; }
.failure { background: #450a0a; color: #fecaca; }
.hint { background: #422006; color: #fde68a; }
.actions button, li li button { background: #1f2937; border: 1px solid #374151; border-radius: 4px; padding: 2px 10px; }
details { margin-top: 6px; }
summary { cursor: pointer; color: #93c5fd; }
ol { margin: 6px 0 0; padding: 0; list-style: none; max-height: 240px; overflow: auto; }
li li { display: grid; grid-template-columns: 1fr auto; gap: 2px 8px; align-items: start; padding: 4px 0; border-top: 1px solid #1f2937; }
li li code { font-family: ui-monospace, monospace; font-size: 12px; white-space: pre-wrap; word-break: break-all; color: #d1d5db; }
li li button { grid-row: 1 / 3; grid-column: 2; }
.empty { margin: 0; padding: 16px 12px; color: #9ca3af; }
`
