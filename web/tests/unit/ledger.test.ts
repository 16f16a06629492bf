import { describe, expect, it } from 'vitest'
import * as lib from '../../src/lib/ledger'
import type { LedgerProblem } from '../../src/lib/ledger'

// A checkpoint as a demo server signs it.
const NOTE =
  'qingfeng/vm/demo.db\n33051\nRHYk0BQxi04wE2p+DWPcayc0FB6ZbrrJyATm2HAQSdc=\n\n' +
  '— qingfeng/vm/demo.db IGoKWvVf+Uulg7J2dej0lUrYcYholEQBvgO+CFRwKMSJsYJEXe17JXIqzfKQwJTgg512n8CrfNMmqK0Wifr+teJR3wc=\n'
const ROOT = '447624d014318b4e30136a7e0d63dc6b2734141e996ebac9c804e6d8701049d7'

describe('checkpoints', () => {
  it('decodes base64', () => {
    expect(lib.toHex(lib.base64ToBytes('AAEC/w==')!)).toBe('000102ff')
    expect(lib.toHex(lib.base64ToBytes('YWJj')!)).toBe('616263')
    expect(lib.base64ToBytes('abc')).toBeNull()
    expect(lib.base64ToBytes('a$c=')).toBeNull()
  })
  it('reads a signed note: origin, size, root in hex, signer and key id', () => {
    expect(lib.parseNote(NOTE)).toEqual({
      origin: 'qingfeng/vm/demo.db',
      size: 33051,
      rootHex: ROOT,
      extensions: [],
      signatures: [{ name: 'qingfeng/vm/demo.db', keyId: '206a0a5a' }],
    })
  })
  it('refuses what is not a note', () => {
    expect(lib.parseNote('')).toBeNull()
    expect(lib.parseNote('origin\n12\nroot\n')).toBeNull()
    expect(lib.parseNote('origin\nx\nRHYk0BQxi04wE2p+DWPcayc0FB6ZbrrJyATm2HAQSdc=\n\n— k AAAA\n')).toBeNull()
    expect(lib.parseNote('origin\n1\nAAAA\n\n— k AAAA\n')).toBeNull()
    expect(lib.parseNote(NOTE.replace('— ', '-- '))).toBeNull()
  })
  it('says how far the log ran past its latest checkpoint', () => {
    expect(lib.checkpointLag({ size: 33051, root: ROOT, checkpoint: NOTE })).toBe(0)
    expect(lib.checkpointLag({ size: 33060, root: 'x', checkpoint: NOTE })).toBe(9)
    expect(lib.checkpointLag({ size: 1, root: 'x', checkpoint: 'garbage' })).toBeNull()
    expect(lib.checkpointLag(null)).toBeNull()
  })
})

describe('integrity check', () => {
  const p = (kind: string, kind_zh: string): LedgerProblem => ({
    kind,
    kind_zh,
    dataset: 'payments',
    key: 'P1',
    version: 1,
    leaf_index: 3,
    detail: '',
    detail_en: '',
  })
  it('counts problems by kind, most frequent first', () => {
    const list = [p('edited', '被修改'), p('deleted', '被删除'), p('edited', '被修改')]
    expect(lib.problemKinds(list, true)).toEqual([
      ['被修改', 2],
      ['被删除', 1],
    ])
    expect(lib.problemKinds(list, false)).toEqual([
      ['edited', 2],
      ['deleted', 1],
    ])
  })
  it('knows when the list was cut at 200', () => {
    expect(lib.problemsTruncated({ problem_count: 250, problems: new Array(200).fill(p('edited', '')) })).toBe(true)
    expect(lib.problemsTruncated({ problem_count: 2, problems: [p('a', ''), p('b', '')] })).toBe(false)
  })
})

describe('proofs', () => {
  const inclusion = {
    type: 'qingfeng-inclusion-proof-v1',
    record: { dataset: 'companies', key: '91210902M0012RRK1A', version: 1, values: {}, row_sha256: 'aa' },
    leaf_index: 4272,
    leaf_hash: 'bb',
    tree_size: 33047,
    audit_path: ['01', '02'],
    checkpoint: NOTE,
  }
  const consistency = {
    type: 'qingfeng-consistency-proof-v1',
    old_size: 31434,
    new_size: 33051,
    old_root: 'cc',
    new_root: ROOT,
    proof: ['03'],
    old_checkpoint: NOTE,
    new_checkpoint: NOTE,
  }
  it('tells the kinds apart', () => {
    expect(lib.proofKind(inclusion)).toBe('inclusion')
    expect(lib.proofKind(consistency)).toBe('consistency')
    expect(lib.proofKind({ type: 'x' })).toBe('unknown')
    expect(lib.proofKind(null)).toBe('unknown')
  })
  it('lists the facts of an inclusion proof', () => {
    const f = lib.proofFacts(inclusion)
    expect(f.map((x) => x.key)).toEqual(['dataset', 'key', 'version', 'rowHash', 'leafIndex', 'leafHash', 'treeSize'])
    expect(f.find((x) => x.key === 'leafIndex')?.value).toBe('4272')
    expect(f.find((x) => x.key === 'leafHash')?.mono).toBe(true)
    expect(lib.proofPath(inclusion)).toEqual(['01', '02'])
    expect(lib.proofNotes(inclusion)).toEqual([{ key: 'checkpoint', note: NOTE }])
  })
  it('lists the facts of a consistency proof', () => {
    expect(lib.proofFacts(consistency).map((x) => [x.key, x.value])).toEqual([
      ['oldSize', '31434'],
      ['oldRoot', 'cc'],
      ['newSize', '33051'],
      ['newRoot', ROOT],
    ])
    expect(lib.proofPath(consistency)).toEqual(['03'])
    expect(lib.proofNotes(consistency).map((n) => n.key)).toEqual(['old_checkpoint', 'new_checkpoint'])
    expect(lib.proofNotes({ ...consistency, old_checkpoint: undefined }).map((n) => n.key)).toEqual(['new_checkpoint'])
  })
  it('names the downloaded file safely and writes the proof as JSON', () => {
    expect(lib.proofFileName(inclusion)).toBe('proof-companies-91210902M0012RRK1A.json')
    expect(lib.proofFileName({ ...inclusion, record: { dataset: 'persons', key: '../张三 1' } })).toBe('proof-persons-1.json')
    expect(lib.proofFileName(consistency)).toBe('consistency-31434-33051.json')
    expect(lib.proofFileName({})).toBe('proof.json')
    expect(JSON.parse(lib.proofText(inclusion))).toEqual(inclusion)
  })
  it('puts indented check lines under the line before', () => {
    expect(lib.groupChecks(['检查点签名有效', '记录内容与账本一致', '  name = 某公司', '  status = 存续', '包含证明有效'])).toEqual([
      { text: '检查点签名有效', sub: [] },
      { text: '记录内容与账本一致', sub: ['name = 某公司', 'status = 存续'] },
      { text: '包含证明有效', sub: [] },
    ])
    expect(lib.groupChecks(['  orphan'])).toEqual([{ text: 'orphan', sub: [] }])
  })
  it('checks the consistency form', () => {
    expect(lib.consistencyQuery('31434', '', 33051)).toEqual({ old: 31434 })
    expect(lib.consistencyQuery(' 10 ', '20', 33051)).toEqual({ old: 10, new: 20 })
    expect((lib.consistencyQuery('0', '', 33051) as string[])[0]).toBe('old')
    expect((lib.consistencyQuery('x', '', 33051) as string[])[0]).toBe('old')
    expect((lib.consistencyQuery('30', '20', 33051) as string[])[0]).toBe('old')
    expect((lib.consistencyQuery('40000', '', 33051) as string[])[0]).toBe('old')
    expect((lib.consistencyQuery('10', '40000', 33051) as string[])[0]).toBe('new')
    expect((lib.consistencyQuery('10', '2.5', null) as string[])[0]).toBe('new')
    expect(lib.consistencyQuery('10', '', null)).toEqual({ old: 10 })
  })
})

describe('the action log', () => {
  it('turns a bare name into user:NAME', () => {
    expect(lib.actorQuery(' analyst ')).toBe('user:analyst')
    expect(lib.actorQuery('system:scan')).toBe('system:scan')
    expect(lib.actorQuery('  ')).toBeUndefined()
  })
  it('labels the actions the server records', () => {
    expect(lib.actionName('draw_plan', 'zh-CN')).toBe('制定抽查计划')
    expect(lib.actionName('view_unmasked', 'en')).toBe('Viewed personal data')
    expect(lib.actionName('lead_propose', 'zh-CN')).toBeNull()
    expect(lib.knownActions()).toContain('ledger_verify')
  })
  it('writes details as one line, nothing for an empty object', () => {
    expect(lib.detailsText({})).toBe('')
    expect(lib.detailsText(null)).toBe('')
    expect(lib.detailsText({ job: 1 })).toBe('{"job":1}')
  })
})
