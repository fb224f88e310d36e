// The orders' public surface: what the app and other features may use. Nothing exported here
// may import the Trade screen's components: they load with the page (page.ts), and this file
// loads with the app.
export { ordersEvents } from './events.ts';
export { ordersPage } from './page.ts';
export { orderKeys, orderQueries } from './queries.ts';
