// Small shared types of the registry's main-side parts.
import type { z } from 'zod';
import type { UriState as UriStateSchema } from '../../src-shared/registry/contract.ts';

export type UriState = z.infer<typeof UriStateSchema>;
