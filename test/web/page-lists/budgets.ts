/** The budgets, States Parties and periods pages: each role (by its demo user) and the pages it can see, with the refusals of roles that cannot. */
import type { PageList } from '../responsive-harness.js';

export const BUDGET_PAGES: PageList = {
  finance: ['/budgets', '/budgets/new', '/budgets/2018', '/budgets/2016', '/scales', '/scales/UN-2016-2018', '/scales/new', '/states', '/states?q=fr&status=inForce', '/states/FRA', '/states/new', '/periods'],
  presidency: ['/budgets', '/budgets/2018', '/scales/UN-2016-2018', '/states', '/states/MEX', '/periods'],
  auditor: ['/budgets/2017', '/states?status=inForce', '/periods'],
  admin: ['/periods', '/budgets'], // the periods it reopens; the budgets: its refusal (403)
  france: ['/states/FRA'], // its own entry of the register (anything else of the area is 404 for a State)
};
