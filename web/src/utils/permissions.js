// The permission strings (module:object:action) the pages check before they
// show a button or open a page: the server's catalogue (src/auth/perm.c).
// One `edit` permission covers add, edit, move, enable/disable and delete.
// Kept in one place so a renamed permission is a one-line change here.
const unitEdit = 'org:unit:edit'
const userEdit = 'org:user:edit'
const roleEdit = 'org:role:edit'

export const PERM = {
  unit: {
    view: 'org:unit:view',
    add: unitEdit,
    edit: unitEdit,
    remove: unitEdit,
    importing: 'org:unit:import',
    exporting: 'org:unit:export',
  },
  user: {
    view: 'org:user:view',
    add: userEdit,
    edit: userEdit,
    remove: userEdit,
    reset: 'org:user:reset-password',
    importing: 'org:user:import',
    exporting: 'org:user:export',
  },
  role: {
    view: 'org:role:view',
    add: roleEdit,
    edit: roleEdit,
    remove: roleEdit,
  },
  audit: {
    view: 'audit:log:view',
    exporting: 'audit:log:export',
  },
  login: {
    view: 'audit:login:view',
  },
  session: {
    view: 'session:online:view',
    kick: 'session:online:kick',
  },
  category: {
    view: 'master:category:view',
    edit: 'master:category:edit',
  },
  grid: {
    view: 'master:grid:view',
    edit: 'master:grid:edit',
  },
  point: {
    view: 'master:point:view',
    edit: 'master:point:edit',
  },
  file: {
    upload: 'file:upload',
    view: 'file:view',
  },
  // The closed loop: one permission per kind of step (src/problem/problem_fsm.c).
  problem: {
    view: 'problem:view',
    report: 'problem:report',
    exporting: 'problem:export',
    link: 'problem:link', // link and unlink near-duplicates
    accept: 'problem:accept', // accept, invalidate
    assign: 'problem:assign',
    rectify: 'problem:rectify', // sign, return, submit, extend (lead unit only)
    verify: 'problem:verify',
    approve: 'problem:approve', // decide-extension, park, unpark, void
    reopen: 'problem:reopen',
    ranking: 'problem:ranking:view', // 单位排名 and its export
  },
  // 工作台账: plans, tasks, progress reports (docs/plans.md).
  plan: {
    view: 'plan:view',
    edit: 'plan:edit', // create, import, change, delete plans
    report: 'plan:report', // a unit reports progress on its tasks
    comment: 'plan:comment', // the office comments reports
  },
  // 督查通报: bulletins drafted from a period, PDF and Word (docs/bulletins.md).
  bulletin: {
    view: 'bulletin:view',
    edit: 'bulletin:edit', // draft, change, delete, issue
  },
  // 参数设置: recurrence rule, ranking weights and grade bands.
  setting: {
    view: 'system:setting:view',
    edit: 'system:setting:edit',
  },
  // 测评督查: frameworks, checklists, rounds, records (docs/inspection.md).
  // 问卷测评: design/publish, quality review, results, surveyors (docs/surveys.md).
  survey: {
    view: 'survey:view',
    edit: 'survey:edit', // design, publish, close, copy, posters
    review: 'survey:review', // accept or reject flagged responses
    results: 'survey:results', // results, exports, the PDF report
    respond: 'survey:respond', // surveyor mode on a phone
  },
  inspection: {
    frameworkView: 'inspection:framework:view',
    frameworkEdit: 'inspection:framework:edit', // edit, import, copy, activate, checklists, default credits
    roundView: 'inspection:round:view',
    roundEdit: 'inspection:round:edit', // create, edit, close/reopen, delete, move points
    roundExport: 'inspection:round:export', // xlsx and the PDF report
    recordSubmit: 'inspection:record:submit', // fill in checklists in the field
  },
  // Online materials (网上申报): the office edits and reviews, units upload
  // and submit within their scope, leaders read the score and the package.
  materials: {
    view: 'material:view',
    edit: 'material:edit', // add, edit, delete, copy the catalogue
    upload: 'material:upload', // upload versions, submit
    review: 'material:review', // return or approve with a rating
    export: 'material:export', // the score, the progress xlsx, the package zip
  },
  // 考核 and 问责: the office sets the scheme, computes, adjusts and publishes;
  // units read their own published results.
  assess: {
    view: 'assess:view',
    edit: 'assess:edit', // scheme, create, recompute, publish, delete a draft
    adjust: 'assess:adjust', // 加减分 (the approver is the actor)
  },
  accountability: {
    view: 'accountability:view',
    edit: 'accountability:edit',
  },
  // The leaders' 驾驶舱: county-wide readers (leaders, the office).
  dashboard: { view: 'dashboard:view' },
  // Tenants belong to platform administrators (me.is_platform_admin).
}
