// Pages: the console (signed in) and the public portal (no sign-in). Views are
// loaded on demand so the first page only fetches what it shows.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { restore, session, can } from './lib/session'
import type { Features } from './lib/session'

declare module 'vue-router' {
  interface RouteMeta {
    title?: string
    public?: boolean
    right?: string
    feature?: keyof Features
    parent?: { title: string; to: string }
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./views/Login.vue'), meta: { public: true, title: 'login.title' } },
  {
    path: '/portal',
    name: 'portal',
    component: () => import('./views/portal/Portal.vue'),
    meta: { public: true, title: 'portal.title' },
  },
  {
    path: '/',
    component: () => import('./layouts/ConsoleLayout.vue'),
    children: [
      { path: '', redirect: '/dashboard' },
      { path: 'dashboard', name: 'dashboard', component: () => import('./views/Dashboard.vue'), meta: { title: 'menu.dashboard', right: 'read' } },
      { path: 'leads', name: 'leads', component: () => import('./views/LeadList.vue'), meta: { title: 'menu.leads', right: 'read' } },
      {
        path: 'leads/:id',
        name: 'lead',
        component: () => import('./views/LeadDetail.vue'),
        meta: { title: 'menu.leadDetail', right: 'read', parent: { title: 'menu.leads', to: '/leads' } },
      },
      { path: 'models', name: 'models', component: () => import('./views/Models.vue'), meta: { title: 'menu.models', right: 'read' } },
      {
        path: 'data',
        name: 'data',
        component: () => import('./views/Data.vue'),
        meta: { title: 'menu.data', right: 'read', feature: 'datasets' },
      },
      {
        path: 'reports',
        name: 'reports',
        component: () => import('./views/Reports.vue'),
        meta: { title: 'menu.reports', right: 'reports', feature: 'reports' },
      },
      // Supervision workflows, in menu order.
      { path: 'hotline', name: 'hotline', component: () => import('./views/Hotline.vue'), meta: { title: 'hotline.title', right: 'read' } },
      { path: 'draws', name: 'draws', component: () => import('./views/Draws.vue'), meta: { title: 'draws.title', right: 'read' } },
      { path: 'enforcement', name: 'enforcement', component: () => import('./views/Enforcement.vue'), meta: { title: 'enforcement.title', right: 'read' } },
      { path: 'party', name: 'party', component: () => import('./views/Party.vue'), meta: { title: 'party.title', right: 'read' } },
      { path: 'duties', name: 'duties', component: () => import('./views/Duties.vue'), meta: { title: 'duties.title', right: 'read' } },
      { path: 'ledger', name: 'ledger', component: () => import('./views/Ledger.vue'), meta: { title: 'menu.ledger', right: 'ledger' } },
      { path: 'users', name: 'users', component: () => import('./views/Users.vue'), meta: { title: 'menu.users', right: 'users' } },
      { path: 'forbidden', name: 'forbidden', component: () => import('./views/Forbidden.vue'), meta: { title: 'common.forbidden' } },
      { path: ':rest(.*)*', name: 'notfound', component: () => import('./views/NotFound.vue'), meta: { title: 'common.notFound' } },
    ],
  },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  const signedIn = await restore()
  if (!signedIn) return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  if (to.meta.right && !can(to.meta.right)) return { name: 'forbidden' }
  if (to.meta.feature && !session.features[to.meta.feature]) return { name: 'notfound', params: { rest: to.path.slice(1).split('/') } }
  return true
})
