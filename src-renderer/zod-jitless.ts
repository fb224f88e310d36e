// Imported first by main.tsx: zod must not try `new Function` under the app's strict CSP
// (the attempt alone is reported as a violation). It has to run before any schema is built.
import { z } from 'zod';

z.config({ jitless: true });
