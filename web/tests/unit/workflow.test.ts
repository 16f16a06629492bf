import { describe, expect, it } from 'vitest'
import { actorName, availableActions, buildCommand } from '../../src/lib/workflow'

const analyst = { name: 'analyst', role: 'analyst', rights: ['read', 'propose', 'process', 'verdict', 'assign', 'comment', 'merge', 'export', 'unmask'] }
const leader = { name: 'leader', role: 'leader', rights: ['read', 'approve', 'verdict', 'assign', 'comment', 'export', 'unmask'] }
const clerk = { name: 'clerk', role: 'handler', rights: ['read', 'process', 'comment'] }
const auditor = { name: 'auditor', role: 'auditor', rights: ['read', 'export', 'ledger'] }

describe('availableActions', () => {
  it('lets an analyst propose a pending lead but not approve it', () => {
    const a = availableActions({ status: 'pending', assignee: null }, analyst)
    expect(a).toContain('propose')
    expect(a).not.toContain('approve')
  })
  it('lets a leader approve or reject a proposal', () => {
    expect(availableActions({ status: 'proposed', assignee: null }, leader)).toEqual(['approve', 'reject', 'assign', 'verdict'])
    expect(availableActions({ status: 'proposed', assignee: null }, analyst)).not.toContain('approve')
  })
  it('lets a handler record an outcome only on leads assigned to them', () => {
    expect(availableActions({ status: 'in_progress', assignee: 'clerk' }, clerk)).toEqual(['outcome'])
    expect(availableActions({ status: 'in_progress', assignee: 'other' }, clerk)).toEqual([])
  })
  it('offers nothing to a read-only auditor, on merged leads, or when signed out', () => {
    expect(availableActions({ status: 'pending', assignee: null }, auditor)).toEqual([])
    expect(availableActions({ status: 'merged', assignee: null }, analyst)).toEqual([])
    expect(availableActions({ status: 'pending', assignee: null }, null)).toEqual([])
  })
  it('lets a leader close a concluded lead and reopen a closed one', () => {
    expect(availableActions({ status: 'concluded', assignee: null }, leader)).toContain('close')
    expect(availableActions({ status: 'closed', assignee: null }, leader)).toContain('reopen')
  })
})

describe('buildCommand', () => {
  it('asks for the field each action needs', () => {
    expect(buildCommand('propose', {})).toEqual({ body: null, missing: 'route' })
    expect(buildCommand('reject', { text: '  ' })).toEqual({ body: null, missing: 'text' })
    expect(buildCommand('merge', {})).toEqual({ body: null, missing: 'into' })
  })
  it('builds the request body, trimmed, with optional text', () => {
    expect(buildCommand('propose', { route: 'talk_inquiry', text: ' 建议谈话 ' }).body).toEqual({
      action: 'propose',
      route: 'talk_inquiry',
      text: '建议谈话',
    })
    expect(buildCommand('approve', {}).body).toEqual({ action: 'approve' })
  })
  it('allows an empty assignee to unassign', () => {
    expect(buildCommand('assign', { assignee: '' }).body).toEqual({ action: 'assign', assignee: '' })
  })
  it('shows ledger actors without their prefix', () => {
    expect(actorName('user:leader')).toBe('leader')
    expect(actorName('os:root')).toBe('os:root')
  })
})
