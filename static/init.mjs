// Starts GOV.UK Frontend's components. Kept in a file so the CSP needs no inline script.
import { initAll } from './govuk/govuk-frontend.min.js'

initAll()
