/** The budgets, States Parties and periods pages at 1366 and 360 px wide, in three languages (./responsive-harness.ts): no sideways scroll, no axe-core violation. */
import { describeResponsive } from './responsive-harness.js';
import { BUDGET_PAGES } from './page-lists/budgets.js';

describeResponsive('the budgets, States Parties and periods pages at 1366 and 360 px wide, in three languages', BUDGET_PAGES, (user, url, width) =>
  width !== 360 ? null : user === 'finance' && url === '/budgets/2018' ? 'budget-2018-360' : user === 'finance' && url === '/periods' ? 'periods-360' : null,
);
