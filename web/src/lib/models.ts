// Analysts' SQL model definitions (src/models/custom_sql.h) as the editor
// holds them.

export interface CustomParam {
  name: string
  default: string
  zh: string
  en: string
}

export interface CustomDefinition {
  id: string
  name_zh: string
  name_en: string
  family: string
  detects: string
  basis: string
  severity: 'low' | 'medium' | 'high'
  params: CustomParam[]
  sql: string
}

export function emptyDefinition(): CustomDefinition {
  return {
    id: '',
    name_zh: '',
    name_en: '',
    family: 'custom',
    detects: '',
    basis: '',
    severity: 'medium',
    params: [],
    sql: '',
  }
}

/** Test-run values: only declared parameters, only those the analyst typed. */
export function paramsToValues(params: CustomParam[], typed: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of params) {
    const v = typed[p.name]
    if (p.name && v !== undefined && v.trim() !== '') out[p.name] = v.trim()
  }
  return out
}

/** The :named parameters a query uses, in order of first use. */
export function sqlParameters(sql: string): string[] {
  const out: string[] = []
  // Skip quoted text so ':' inside strings is not read as a parameter.
  const stripped = sql.replace(/'(?:[^']|'')*'/g, "''")
  for (const m of stripped.matchAll(/(?<![:\w]):([A-Za-z_][A-Za-z0-9_]*)/g)) {
    if (!out.includes(m[1])) out.push(m[1])
  }
  return out
}
