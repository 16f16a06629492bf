// Chinese first; English for visitors and reviewers. The server's own
// messages come in both languages (message / message_en).
import { createI18n } from 'vue-i18n'

const zh = {
  app: { name: '清风', title: '纪检监察大数据监督平台', short: '清风大数据监督平台', subtitle: '清风 · 纪检监察大数据监督平台' },
  common: {
    search: '查询', reset: '重置', refresh: '刷新', save: '保存', cancel: '取消', confirm: '确定', close: '关闭',
    submit: '提交', edit: '编辑', delete: '删除', detail: '详情', back: '返回', actions: '操作', yes: '是', no: '否',
    all: '全部', none: '无', loading: '加载中…', total: '共 {n} 条', yuan: '元', count: '数量', amount: '金额（元）',
    download: '下载', upload: '上传', enabled: '已启用', disabled: '已停用', status: '状态', name: '名称',
    time: '时间', noData: '暂无数据', forbidden: '无权访问', forbiddenHint: '该记录不在您的数据范围内，或您的角色无权查看。',
    notFound: '页面不存在', home: '返回首页', saved: '已保存', done: '操作成功', copy: '复制', copied: '已复制',
    unmask: '显示敏感信息', unmaskConfirm: '查看明文个人信息将被记录在可信账本中。确定显示吗？', masked: '已脱敏',
    unmasked: '明文显示（已记录）', remask: '恢复脱敏', required: '必填', optional: '选填',
  },
  menu: {
    dashboard: '驾驶舱', leads: '问题线索', leadDetail: '线索详情', models: '监督模型', data: '数据管理',
    reports: '信访举报', ledger: '可信账本', users: '用户与权限', portal: '公众服务',
  },
  top: { language: '语言', logout: '退出登录', role: '角色', scope: '数据范围', allScope: '全市' },
  login: {
    title: '用户登录', name: '用户名', password: '密码', submit: '登 录', portal: '群众投诉举报入口',
    failed: '登录失败', hint: '演示账号见 <db>.accounts.txt',
  },
  dash: {
    leads: '问题线索', active: '在查线索', amount: '涉及金额', overdue: '超期未办', warning: '临期预警',
    confirmed: '查实', closed: '已办结', byFamily: '线索类别分布', byMonth: '线索按月趋势', byOrg: '单位线索排行（前 10）',
    byRegion: '地区线索排行', byStatus: '处置状态', overdueItems: '超期与临期事项', rates: '模型查实率',
    amountByFamily: '各类别涉及金额（元）', today: '数据截至 {d}', noOverdue: '没有超期或临期事项',
    rate: '查实率', judged: '已核定',
  },
  leads: {
    id: '编号', model: '监督模型', family: '类别', score: '风险分', amount: '涉及金额（元）', subject: '对象',
    summary: '问题摘要', status: '处置状态', org: '单位', region: '地区', assignee: '承办人', created: '发现时间',
    updated: '更新时间', deadline: '办理期限', verdict: '核定结论', detection: '检出状态',
    searchPlaceholder: '摘要、单位、模型或线索编号', minScore: '最低风险分', export: '导出 Excel',
    bulk: '批量操作', selected: '已选 {n} 条', bulkAssign: '批量分派', bulkPropose: '批量提出处置意见',
    bulkApprove: '批量审批同意', bulkComment: '批量备注', bulkDone: '已对 {n} 条线索执行',
    active: '在查', resolved: '已消失', daysLeft: '剩 {n} 天', overdueBy: '超期 {n} 天', moreFilters: '更多条件',
    verdictNone: '未核定', deadlineOverdue: '已超期', deadlineWarning: '临期', deadlineDue: '有期限',
  },
  detail: {
    explanation: '问题说明', detects: '检测内容', basis: '依据', evidence: '证据记录', graph: '关系图谱',
    timeline: '处置过程', disposition: '处置', comments: '批注意见', attachments: '附件', record: '原始记录',
    propose: '提出处置意见', approve: '审批同意', reject: '退回', outcome: '登记办理结果', closeLead: '办结',
    reopen: '重新启用', assign: '分派', verdict: '核定', comment: '发表意见', merge: '合并到',
    route: '处置方式', text: '说明', assignee: '承办人（登录名）', into: '目标线索编号', noHistory: '尚无处置记录',
    noComments: '暂无意见', noAttachments: '暂无附件', uploadAttachment: '上传附件', report: '打印报告',
    dossier: '卷宗 Excel', firstScan: '首次发现于第 {n} 次扫描', paths: '关联路径', expandHint: '点击节点展开其关系（再次点击收起高亮）',
    noGraph: '该线索没有可展示的关系', nodes: '{n} 个节点，{m} 条关系', depth: '展开层数', fieldsShown: '字段', expandNode: '选择节点展开…',
    expandMasked: '该节点的号码已脱敏，先点“显示敏感信息”再展开', expandForbidden: '您的数据范围有限，不能展开全图关系',
    actionsTitle: '可执行的操作', noActions: '当前状态下您没有可执行的操作', mergedInto: '已合并到 {id}',
    reason: '理由', by: '操作人', at: '时间',
  },
  models: {
    catalogue: '模型目录', family: '类别', severity: '严重程度', params: '参数', default: '默认值',
    value: '当前值', leads: '线索数', active: '在查', rate: '查实率', enabled: '启用', run: '运行扫描',
    runAll: '运行全部启用模型', running: '扫描进行中…', stats: '命中统计', hitsPerScan: '每次扫描命中数',
    byStatus: '线索处置状态', custom: '自定义 SQL 模型', editor: 'SQL 模型编辑器', testRun: '试运行',
    sql: 'SQL 语句', newModel: '新建模型', id: '模型编号', nameZh: '中文名称', nameEn: '英文名称',
    detects: '检测内容', basis: '依据', saveParams: '保存参数', scanDone: '扫描完成', scanResult: '扫描结果',
    newLeads: '新增', updated: '更新', closed: '消失', testRows: '试运行结果（前 {n} 条）', sqlError: 'SQL 错误',
    sev: { '1': '低', '2': '中', '3': '高' },
    builtin: '内置模型', confirmDelete: '确定删除模型 {id} 吗？',
  },
  data: {
    datasets: '数据集', dataset: '数据集', title: '名称', rows: '当前记录数', quarantined: '隔离记录',
    lastImport: '最近导入', columns: '字段', type: '类型', required: '必填', aliases: '中文别名',
    upload: '上传导入', chooseFile: '选择文件', auto: '按文件名自动识别', importing: '正在导入…',
    progress: '导入进度', accepted: '新增', unchanged: '未变', newVersion: '新版本', imports: '导入记录',
    quarantine: '隔离区', file: '文件', line: '行号', column: '字段', value: '原值', reason: '原因',
    raw: '原始行', fix: '修正并重新导入', fixed: '已修正并导入', stillInvalid: '仍不合格：{r}',
    exportRows: '导出待修正行', importDone: '导入完成', importFailed: '导入失败', bytes: '已读', rowsRead: '读取行数',
    state: { queued: '排队中', running: '进行中', done: '已完成', failed: '失败' },
  },
  reports: {
    inbox: '信访举报', kind: '类型', category: '问题类别', content: '内容', region: '所在地区', anonymous: '匿名',
    contact: '联系方式', receipt: '回执码', statusLabel: '办理状态', reply: '答复', toLead: '转为问题线索',
    created: '提交时间', target: '被反映对象', setStatus: '更新状态', channel: '渠道',
  },
  ledger: {
    size: '记录总数', root: '根哈希', checkpoint: '最新签名检查点', actions: '操作记录', actor: '操作人',
    action: '操作', target: '对象', details: '详情', verify: '校验', proof: '记录证明',
    verifyHint: '完整校验与单条记录证明由命令行完成：qingfeng ledger verify / qingfeng ledger proof',
  },
  users: {
    name: '登录名', displayName: '姓名', role: '角色', regions: '地区范围', orgs: '单位范围', state: '状态',
    created: '创建时间', locked: '已锁定', disabledState: '已停用', normal: '正常', add: '新建用户',
    password: '初始密码', newPassword: '新密码（留空不改）', unlock: '解除锁定', disable: '停用', enable: '启用',
    rights: '权限', allRegions: '全部地区', allOrgs: '全部单位', orgsHint: '每行一个单位名称',
  },
  portal: {
    title: '群众投诉举报', intro: '您可以在此反映党员干部和公职人员的违纪违法问题，或对办事服务进行投诉。可以匿名提交。',
    submitTab: '我要投诉举报', lookupTab: '办理进度查询', publishedTab: '公开信息', kind: '类型',
    complaint: '投诉', report: '举报', category: '问题类别', content: '具体内容', contentHint: '请写明时间、地点、人员和事实经过（不超过 5000 字）',
    region: '问题发生地', target: '被反映对象', targetHint: '单位或人员', anonymous: '匿名提交', contactName: '联系人',
    contactPhone: '联系电话', submit: '提交', receiptTitle: '提交成功', receiptHint: '请妥善保存回执码，凭回执码查询办理进度。回执码只显示这一次，遗失后无法找回。',
    lookup: '查询', receiptPlaceholder: '请输入回执码', status: '办理状态', reply: '答复意见', updated: '更新时间',
    notFoundReceipt: '回执码不正确或不存在', published: '监督检查结果公开', noPublished: '暂无公开信息',
    consoleLink: '工作人员登录', categories: {
      welfare: '民生资金', funds: '财政资金', procurement: '招标采购', conduct: '作风问题', integrity: '廉洁问题',
      enforcement: '执法问题', service: '办事服务', other: '其他',
    },
  },
  family: {
    welfare: '民生资金', funds: '财政资金', procurement: '招标采购', integrity: '廉洁从政', conduct: '作风建设',
    complaints: '信访诉求', party: '党组织生活', enforcement: '行政执法', ocds: '开放合同数据', custom: '自定义',
  },
  status: {
    pending: '待处置', proposed: '待审批', in_progress: '办理中', held: '暂存待查', concluded: '已出结果',
    closed: '已办结', merged: '已合并',
  },
  route: { talk_inquiry: '谈话函询', preliminary_check: '初步核实', hold: '暂存待查', close_out: '予以了结' },
  outcome: {
    form1: '第一种形态（批评教育、谈话提醒、函询）', form2: '第二种形态（党纪轻处分、组织调整）',
    form3: '第三种形态（党纪重处分、重大职务调整）', form4: '第四种形态（严重违纪涉嫌违法立案审查）',
    unfounded: '查无实据，予以澄清',
  },
  verdict: { confirmed: '属实', dismissed: '不属实' },
  role: { admin: '系统管理员', leader: '分管领导', analyst: '监督分析员', handler: '承办人', auditor: '审计员' },
  right: {
    read: '查看', propose: '提出处置', approve: '审批', process: '办理', verdict: '核定', assign: '分派',
    comment: '批注', merge: '合并', export: '导出', unmask: '查看明文', ledger: '账本审计', users: '用户管理',
    reports: '信访举报', import: '数据导入', models: '模型管理',
  },
  nodeKind: { person: '人员', org: '单位/企业', address: '地址', phone: '电话', account: '银行账户', device: '设备/IP' },
  action: {
    propose: '提出处置意见', approve: '审批同意', reject: '退回', outcome: '登记结果', close: '办结', reopen: '重新启用',
    assign: '分派', verdict: '核定', comment: '意见', merge: '合并', attach: '上传附件', unassign: '取消分派',
  },
}

type Messages = typeof zh

const en: Messages = {
  app: { name: 'Qingfeng', title: 'Integrity Supervision Platform', short: 'Qingfeng Supervision', subtitle: 'Qingfeng · Integrity Supervision Platform' },
  common: {
    search: 'Search', reset: 'Reset', refresh: 'Refresh', save: 'Save', cancel: 'Cancel', confirm: 'OK', close: 'Close',
    submit: 'Submit', edit: 'Edit', delete: 'Delete', detail: 'Details', back: 'Back', actions: 'Actions', yes: 'Yes', no: 'No',
    all: 'All', none: 'None', loading: 'Loading…', total: '{n} in all', yuan: 'yuan', count: 'Count', amount: 'Amount (yuan)',
    download: 'Download', upload: 'Upload', enabled: 'Enabled', disabled: 'Disabled', status: 'Status', name: 'Name',
    time: 'Time', noData: 'No data', forbidden: 'Forbidden', forbiddenHint: 'This record is outside your data scope, or your role may not see it.',
    notFound: 'Page not found', home: 'Home', saved: 'Saved', done: 'Done', copy: 'Copy', copied: 'Copied',
    unmask: 'Show personal data', unmaskConfirm: 'Viewing personal data in clear is recorded in the ledger. Show it?', masked: 'Masked',
    unmasked: 'In clear (recorded)', remask: 'Mask again', required: 'required', optional: 'optional',
  },
  menu: {
    dashboard: 'Dashboard', leads: 'Leads', leadDetail: 'Lead', models: 'Models', data: 'Data',
    reports: 'Reports', ledger: 'Ledger', users: 'Users & roles', portal: 'Public portal',
  },
  top: { language: 'Language', logout: 'Sign out', role: 'Role', scope: 'Scope', allScope: 'whole city' },
  login: {
    title: 'Sign in', name: 'User name', password: 'Password', submit: 'Sign in', portal: 'Public complaints and reports',
    failed: 'Sign-in failed', hint: 'Demo accounts are in <db>.accounts.txt',
  },
  dash: {
    leads: 'Leads', active: 'Active leads', amount: 'Amount at stake', overdue: 'Overdue', warning: 'Due soon',
    confirmed: 'Confirmed', closed: 'Closed', byFamily: 'Leads by family', byMonth: 'Leads by month', byOrg: 'Organisations (top 10)',
    byRegion: 'Regions', byStatus: 'By status', overdueItems: 'Overdue and due soon', rates: 'Model confirmation rates',
    amountByFamily: 'Amount at stake by family (yuan)', today: 'As of {d}', noOverdue: 'Nothing overdue or due soon',
    rate: 'Rate', judged: 'Judged',
  },
  leads: {
    id: 'ID', model: 'Model', family: 'Family', score: 'Score', amount: 'Amount (yuan)', subject: 'Subject',
    summary: 'Summary', status: 'Status', org: 'Organisation', region: 'Region', assignee: 'Assignee', created: 'Found',
    updated: 'Updated', deadline: 'Deadline', verdict: 'Verdict', detection: 'Detection',
    searchPlaceholder: 'Summary, organisation, model or lead id', minScore: 'Min. score', export: 'Export to Excel',
    bulk: 'Bulk actions', selected: '{n} selected', bulkAssign: 'Assign', bulkPropose: 'Propose a route',
    bulkApprove: 'Approve', bulkComment: 'Comment', bulkDone: 'Done on {n} leads',
    active: 'Active', resolved: 'Gone', daysLeft: '{n} days left', overdueBy: '{n} days overdue', moreFilters: 'More filters',
    verdictNone: 'Not judged', deadlineOverdue: 'Overdue', deadlineWarning: 'Due soon', deadlineDue: 'With deadline',
  },
  detail: {
    explanation: 'Explanation', detects: 'Detects', basis: 'Basis', evidence: 'Evidence', graph: 'Relationships',
    timeline: 'Timeline', disposition: 'Disposition', comments: 'Comments', attachments: 'Attachments', record: 'Record',
    propose: 'Propose a route', approve: 'Approve', reject: 'Send back', outcome: 'Record the outcome', closeLead: 'Close',
    reopen: 'Reopen', assign: 'Assign', verdict: 'Verdict', comment: 'Comment', merge: 'Merge into',
    route: 'Route', text: 'Text', assignee: 'Assignee (user name)', into: 'Target lead id', noHistory: 'No actions yet',
    noComments: 'No comments', noAttachments: 'No attachments', uploadAttachment: 'Attach a file', report: 'Printable report',
    dossier: 'Dossier (Excel)', firstScan: 'first found by scan {n}', paths: 'Paths', expandHint: 'Click a node to expand its relationships',
    noGraph: 'No relationships to show for this lead', nodes: '{n} nodes, {m} links', depth: 'Depth', fieldsShown: 'Fields', expandNode: 'Expand a node…',
    expandMasked: 'This node is masked: show personal data first to expand it', expandForbidden: 'Your scope is limited: the whole graph is not open to you',
    actionsTitle: 'Available actions', noActions: 'No action is open to you in this state', mergedInto: 'Merged into {id}',
    reason: 'Reason', by: 'By', at: 'At',
  },
  models: {
    catalogue: 'Catalogue', family: 'Family', severity: 'Severity', params: 'Parameters', default: 'Default',
    value: 'Value', leads: 'Leads', active: 'Active', rate: 'Confirmed', enabled: 'Enabled', run: 'Run a scan',
    runAll: 'Run all enabled models', running: 'Scanning…', stats: 'Hit statistics', hitsPerScan: 'Hits per scan',
    byStatus: 'Leads by status', custom: 'Custom SQL models', editor: 'SQL model editor', testRun: 'Test run',
    sql: 'SQL', newModel: 'New model', id: 'Model id', nameZh: 'Chinese name', nameEn: 'English name',
    detects: 'Detects', basis: 'Basis', saveParams: 'Save parameters', scanDone: 'Scan finished', scanResult: 'Scan result',
    newLeads: 'New', updated: 'Updated', closed: 'Gone', testRows: 'Test run (first {n} rows)', sqlError: 'SQL error',
    sev: { '1': 'low', '2': 'medium', '3': 'high' },
    builtin: 'Built-in', confirmDelete: 'Delete model {id}?',
  },
  data: {
    datasets: 'Datasets', dataset: 'Dataset', title: 'Title', rows: 'Current rows', quarantined: 'Quarantined',
    lastImport: 'Last import', columns: 'Columns', type: 'Type', required: 'Required', aliases: 'Chinese aliases',
    upload: 'Upload and import', chooseFile: 'Choose a file', auto: 'From the file name', importing: 'Importing…',
    progress: 'Progress', accepted: 'Accepted', unchanged: 'Unchanged', newVersion: 'New versions', imports: 'Imports',
    quarantine: 'Quarantine', file: 'File', line: 'Line', column: 'Column', value: 'Value', reason: 'Reason',
    raw: 'Raw row', fix: 'Fix and re-import', fixed: 'Fixed and imported', stillInvalid: 'Still invalid: {r}',
    exportRows: 'Export rows to fix', importDone: 'Import finished', importFailed: 'Import failed', bytes: 'Read', rowsRead: 'Rows read',
    state: { queued: 'queued', running: 'running', done: 'done', failed: 'failed' },
  },
  reports: {
    inbox: 'Reports', kind: 'Kind', category: 'Category', content: 'Content', region: 'Region', anonymous: 'Anonymous',
    contact: 'Contact', receipt: 'Receipt', statusLabel: 'Status', reply: 'Reply', toLead: 'Turn into a lead',
    created: 'Submitted', target: 'About', setStatus: 'Update status', channel: 'Channel',
  },
  ledger: {
    size: 'Entries', root: 'Root hash', checkpoint: 'Latest signed checkpoint', actions: 'User actions', actor: 'Actor',
    action: 'Action', target: 'Target', details: 'Details', verify: 'Verify', proof: 'Proof',
    verifyHint: 'Full verification and a record\'s proof are done on the command line: qingfeng ledger verify / qingfeng ledger proof',
  },
  users: {
    name: 'User name', displayName: 'Name', role: 'Role', regions: 'Regions', orgs: 'Organisations', state: 'State',
    created: 'Created', locked: 'Locked', disabledState: 'Disabled', normal: 'Active', add: 'New user',
    password: 'Initial password', newPassword: 'New password (blank: unchanged)', unlock: 'Unlock', disable: 'Disable', enable: 'Enable',
    rights: 'Rights', allRegions: 'All regions', allOrgs: 'All organisations', orgsHint: 'One organisation per line',
  },
  portal: {
    title: 'Complaints and reports', intro: 'Report misconduct by party members and public officials, or complain about a public service. You may stay anonymous.',
    submitTab: 'Submit', lookupTab: 'Track', publishedTab: 'Published', kind: 'Kind',
    complaint: 'Complaint', report: 'Report', category: 'Category', content: 'What happened', contentHint: 'When, where, who and what (at most 5000 characters)',
    region: 'Where', target: 'About', targetHint: 'an organisation or a person', anonymous: 'Anonymous', contactName: 'Name',
    contactPhone: 'Phone', submit: 'Submit', receiptTitle: 'Submitted', receiptHint: 'Keep this receipt code to follow up. It is shown only once and cannot be recovered.',
    lookup: 'Look up', receiptPlaceholder: 'Receipt code', status: 'Status', reply: 'Reply', updated: 'Updated',
    notFoundReceipt: 'Wrong or unknown receipt code', published: 'Published inspection results', noPublished: 'Nothing published yet',
    consoleLink: 'Staff sign-in', categories: {
      welfare: 'Welfare funds', funds: 'Public funds', procurement: 'Procurement', conduct: 'Conduct', integrity: 'Integrity',
      enforcement: 'Law enforcement', service: 'Public service', other: 'Other',
    },
  },
  family: {
    welfare: 'Welfare', funds: 'Public funds', procurement: 'Procurement', integrity: 'Integrity', conduct: 'Conduct',
    complaints: 'Complaints', party: 'Party life', enforcement: 'Enforcement', ocds: 'Open contracting', custom: 'Custom',
  },
  status: {
    pending: 'Pending', proposed: 'Awaiting approval', in_progress: 'In progress', held: 'On hold', concluded: 'Concluded',
    closed: 'Closed', merged: 'Merged',
  },
  route: { talk_inquiry: 'Talk or written inquiry', preliminary_check: 'Preliminary check', hold: 'Hold', close_out: 'Close out' },
  outcome: {
    form1: 'Form 1 (criticism, talk, inquiry)', form2: 'Form 2 (light sanction)',
    form3: 'Form 3 (heavy sanction)', form4: 'Form 4 (case opened)', unfounded: 'Unfounded, cleared',
  },
  verdict: { confirmed: 'Confirmed', dismissed: 'Dismissed' },
  role: { admin: 'Administrator', leader: 'Leader', analyst: 'Analyst', handler: 'Handler', auditor: 'Auditor' },
  right: {
    read: 'read', propose: 'propose', approve: 'approve', process: 'process', verdict: 'verdict', assign: 'assign',
    comment: 'comment', merge: 'merge', export: 'export', unmask: 'unmask', ledger: 'ledger', users: 'users',
    reports: 'reports', import: 'import', models: 'models',
  },
  nodeKind: { person: 'Person', org: 'Organisation', address: 'Address', phone: 'Phone', account: 'Bank account', device: 'Device/IP' },
  action: {
    propose: 'Proposed', approve: 'Approved', reject: 'Sent back', outcome: 'Outcome', close: 'Closed', reopen: 'Reopened',
    assign: 'Assigned', verdict: 'Verdict', comment: 'Comment', merge: 'Merged', attach: 'Attachment', unassign: 'Unassigned',
  },
}

// Each workflow page keeps its messages in src/locales/<page>.ts
// (`export default { zh: { … }, en: { … } }`), merged here under their own keys.
type PageMessages = Record<string, unknown>
const pages = import.meta.glob<{ default: { zh: PageMessages; en: PageMessages } }>('./locales/*.ts', { eager: true })
for (const m of Object.values(pages)) {
  for (const [k, v] of Object.entries(m.default.zh)) {
    if (k in zh) throw new Error(`duplicate message group ${k}`)
    ;(zh as PageMessages)[k] = v
  }
  for (const [k, v] of Object.entries(m.default.en)) {
    if (k in en) throw new Error(`duplicate message group ${k}`)
    ;(en as PageMessages)[k] = v
  }
}

const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('qf_locale') : null

export const i18n = createI18n({
  legacy: false,
  locale: saved === 'en' ? 'en' : 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zh, en },
})

export function setLocale(l: 'zh-CN' | 'en'): void {
  i18n.global.locale.value = l
  localStorage.setItem('qf_locale', l)
  document.documentElement.lang = l
}

/** A label from a group (status, route, family…), falling back to the id itself. */
export function label(group: string, id: string | null | undefined): string {
  if (!id) return '—'
  const key = `${group}.${id}`
  return i18n.global.te(key) ? i18n.global.t(key) : id
}

export { zh as zhMessages, en as enMessages }
