// A standard's grading scheme (src/inspect/grading.h) as the indicator dialog
// edits it: shares and rates in percent, back to the API's 0..1 JSON.
export const GRADING_KINDS = ['credits', 'levels', 'deduction', 'rate']

const pct = (x) => Math.round(Number(x) * 10000) / 100
const frac = (p) => Math.round(Number(p) * 100) / 10000

const DEFAULT_LEVELS = [
  { name: 'A', share: 100, rule: '' },
  { name: 'B', share: 80, rule: '' },
  { name: 'C', share: 60, rule: '' },
]
const DEFAULT_THRESHOLDS = [
  { min: 90, share: 100 },
  { min: 80, share: 80 },
]

/** An editable draft of g (null or { kind, ... }); every kind keeps its own parameters. */
export function gradingDraft(g) {
  const kind = GRADING_KINDS.includes(g?.kind) ? g.kind : 'credits'
  return {
    kind,
    levels: kind === 'levels' && g.levels?.length
      ? g.levels.map((l) => ({ name: l.name ?? '', share: pct(l.share), rule: l.rule ?? '' }))
      : DEFAULT_LEVELS.map((l) => ({ ...l })),
    per: kind === 'deduction' ? Number(g.per) : 2,
    floor: kind === 'deduction' ? Number(g.floor) || 0 : 0,
    thresholds: kind === 'rate' && g.thresholds?.length
      ? g.thresholds.map((x) => ({ min: pct(x.min), share: pct(x.share) }))
      : DEFAULT_THRESHOLDS.map((x) => ({ ...x })),
  }
}

/** The `grading` body the indicators API takes for draft d. */
export function gradingBody(d) {
  if (d.kind === 'levels') {
    return { kind: 'levels', levels: d.levels.map((l) => ({ name: l.name.trim(), share: frac(l.share), rule: l.rule.trim() })) }
  }
  if (d.kind === 'deduction') return { kind: 'deduction', per: d.per, floor: d.floor }
  if (d.kind === 'rate') return { kind: 'rate', thresholds: d.thresholds.map((x) => ({ min: frac(x.min), share: frac(x.share) })) }
  return { kind: 'credits' }
}
