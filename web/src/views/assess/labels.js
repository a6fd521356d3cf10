// Names the 考核 pages show for the API's keys.
export const KIND_NAMES = { week: '周', month: '月度', year: '年度' }
export const UNIT_KINDS = [
  { key: 'department', name: '部门' },
  { key: 'town', name: '乡镇/街道' },
  { key: 'community', name: '社区/村' },
]
export const COMPONENTS = [
  { key: 'problems', name: '问题整改' },
  { key: 'tasks', name: '任务推进' },
  { key: 'materials', name: '申报材料' },
  { key: 'inspections', name: '测评督查' },
  { key: 'announcements', name: '通知公告' },
]
export const ACTIONS = [
  { key: 'talk', name: '约谈' },
  { key: 'criticize', name: '通报批评' },
  { key: 'rectify', name: '责令整改' },
  { key: 'other', name: '其他' },
]
export const num = (x) => (x == null ? '—' : (Math.round(x * 100) / 100).toFixed(2))
export const listName = (l) => (l === 'red' ? '红榜' : l === 'black' ? '黑榜' : '')
