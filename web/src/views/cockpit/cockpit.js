// The 驾驶舱's chart options and record links, shared by the desk, the wall
// display and the phone view.
import { t } from '@/locales'

export const PARTS = ['field', 'questionnaire', 'materials']

export const num = (v) => (v === null || v === undefined ? '—' : (Math.round(Number(v) * 100) / 100).toFixed(2))

const INK = { light: '#303133', dark: '#e8eef7' }
const AXIS = { light: '#5e6167', dark: '#b8c7dc' }
const SPLIT = { light: '#e4e7ed', dark: '#24405f' }

/** The predicted total out of its maximum as a gauge. */
export function gaugeOption(p, theme = 'light') {
  const score = p?.total?.score
  const max = p?.total?.max || 100
  return {
    animation: false,
    series: [{
      type: 'gauge',
      min: 0,
      max,
      startAngle: 210,
      endAngle: -30,
      progress: { show: true, width: 16, itemStyle: { color: '#1d64c5' } },
      axisLine: { lineStyle: { width: 16, color: [[1, SPLIT[theme]]] } },
      axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: { show: false },
      pointer: { show: false },
      title: { show: true, offsetCenter: [0, '32%'], color: AXIS[theme], fontSize: theme === 'dark' ? 18 : 13 },
      detail: {
        valueAnimation: false,
        offsetCenter: [0, '-5%'],
        fontSize: theme === 'dark' ? 56 : 40,
        fontWeight: 'bold',
        color: INK[theme],
        formatter: () => (score === null || score === undefined ? '—' : num(score)),
      },
      data: [{ value: score ?? 0, name: t('cockpit.outOf', { max: num(max) }) }],
    }],
  }
}

function axes(theme, weeks) {
  return {
    xAxis: { type: 'category', data: weeks.map((w) => w.slice(5)), axisLabel: { color: AXIS[theme] }, axisLine: { lineStyle: { color: AXIS[theme] } } },
    yAxis: { type: 'value', axisLabel: { color: AXIS[theme] }, splitLine: { lineStyle: { color: SPLIT[theme] } } },
  }
}

/** The weekly predicted total and its parts as lines. */
export function trendOption(trend, theme = 'light') {
  const weeks = trend.map((w) => w.week)
  const line = (key, color) => ({
    name: key === 'total' ? t('cockpit.total') : t(`cockpit.parts.${key}`),
    type: 'line',
    connectNulls: false,
    symbolSize: 8,
    lineStyle: { width: key === 'total' ? 3 : 2 },
    itemStyle: { color },
    data: trend.map((w) => w[key]),
  })
  return {
    animation: false,
    grid: { left: 44, right: 16, top: 36, bottom: 28 },
    legend: { top: 0, textStyle: { color: INK[theme] } },
    tooltip: { trigger: 'axis' },
    ...axes(theme, weeks),
    series: [line('total', '#c0262d'), line('field', '#1d64c5'), line('questionnaire', '#2b7a0b'), line('materials', '#a15c00')],
  }
}

/** Problems reported, closed and fallen overdue by week as bars. */
export function flowOption(flow, theme = 'light') {
  const bar = (key, color) => ({ name: t(`cockpit.flowKeys.${key}`), type: 'bar', barMaxWidth: 14, itemStyle: { color }, data: flow.map((w) => w[key]) })
  return {
    animation: false,
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    legend: { top: 0, textStyle: { color: INK[theme] } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    ...axes(theme, flow.map((w) => w.week)),
    series: [bar('reported', '#1d64c5'), bar('closed', '#2b7a0b'), bar('overdue', '#c0262d')],
  }
}

/** The pages of the records behind a fix line. */
export function recordLinks(f) {
  const ids = f.ids || {}
  if (f.kind === 'materials') return (ids.material_ids || []).map((id) => ({ to: `/materials/items/${id}`, text: t('cockpit.material', { id }) }))
  if (f.kind === 'field') return [...new Set(ids.problem_ids || [])].map((id) => ({ to: `/problems/${id}`, text: t('cockpit.problem', { id }) }))
  return []
}
