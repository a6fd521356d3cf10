// Names the survey pages show for the server's keys (docs/surveys.md).
export const RATES = [
  { key: 'awareness', name: '知晓率' },
  { key: 'support', name: '支持率' },
  { key: 'participation', name: '参与率' },
  { key: 'satisfaction', name: '满意度' },
]
export const rateName = (k) => RATES.find((r) => r.key === k)?.name || ''
export const TYPES = [
  { key: 'single', name: '单选题' },
  { key: 'multiple', name: '多选题' },
  { key: 'rating', name: '评分题' },
  { key: 'text', name: '简答题' },
]
export const typeName = (k) => TYPES.find((x) => x.key === k)?.name || k
export const STATUS = { draft: '草稿', published: '进行中', closed: '已结束' }
export const STATUS_TAG = { draft: 'info', published: 'success', closed: '' }
export const FLAGS = { fast: '用时过短', straight: '答案雷同', device: '设备重复', address: '地址重复', gps: '定位在县外' }
export const REVIEW = { '': '待审核', accepted: '已通过', rejected: '已剔除' }
/** 0.8123 → "81.2%"; null → "—". */
export const pct = (v, digits = 1) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(digits)}%`)
/** The default options of a question of type and rate. */
export function defaultOptions(type, rate) {
  if (type === 'text') return []
  if (type === 'rating' || rate === 'satisfaction')
    return [
      { key: 'a', label: '满意', score: 1, scored: true },
      { key: 'b', label: '比较满意', score: 0.8, scored: true },
      { key: 'c', label: '一般', score: 0.5, scored: true },
      { key: 'd', label: '不满意', score: 0, scored: true },
      { key: 'x', label: '不清楚', score: null, scored: false },
    ]
  if (rate === 'awareness') return [{ key: 'y', label: '知道', score: 1, scored: true }, { key: 'n', label: '不知道', score: 0, scored: true }]
  if (rate === 'support') return [{ key: 'y', label: '支持', score: 1, scored: true }, { key: 'n', label: '不支持', score: 0, scored: true }]
  if (rate === 'participation') return [{ key: 'y', label: '参加过', score: 1, scored: true }, { key: 'n', label: '没有参加', score: 0, scored: true }]
  return [{ key: 'a', label: '选项一', score: 1, scored: true }, { key: 'b', label: '选项二', score: 0, scored: true }]
}
