import { createApp } from 'vue'
import 'element-plus/dist/index.css'
import './style.css'
import App from './App.vue'
import { router } from './router'
import { i18n } from './i18n'
import { installElement } from './plugins'
import { setUnauthenticatedHandler } from './lib/api'
import { session } from './lib/session'

// A session that expires mid-work sends the user back to sign in, then here.
setUnauthenticatedHandler(() => {
  session.user = null
  const here = router.currentRoute.value
  if (!here.meta.public) void router.push({ name: 'login', query: { next: here.fullPath } })
})

const app = createApp(App)
installElement(app)
app.use(i18n)
app.use(router)
app.mount('#app')
